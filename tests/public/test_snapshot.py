"""The read model: a fixed handful of queries, kept per revision, nothing internal."""

from __future__ import annotations

from typing import Any

from tests.factories import TEST_ACTOR, Catalogue, domain, function, org, service
from watwerkt.engine import SystemState
from watwerkt.readmodel.load import load
from watwerkt.readmodel.snapshot import current, snapshots
from watwerkt.status.revision import revision_state
from watwerkt.status.services import SystemChange, recompute, set_system


def test_it_loads_everything_in_a_fixed_number_of_queries(
    helped: Catalogue, django_assert_num_queries: Any
) -> None:
    # 12, the latest incident update, and the watermark (how far the status events reach)
    with django_assert_num_queries(14):
        small = load("stad")
    assert small is not None
    for n in range(30):  # a bigger catalogue costs the same number of queries
        s = service(domain(helped.org, f"extra-{n}"), f"dienst-{n}")
        function(s, "doen", [helped.channels["online"], helped.channels["loket"]])
    recompute(TEST_ACTOR)
    with django_assert_num_queries(14):
        bigger = load("stad")
    assert bigger is not None
    assert len(bigger.services) == len(small.services) + 30


def test_it_holds_what_the_public_side_shows(helped: Catalogue) -> None:
    snapshot = load("stad")
    assert snapshot is not None
    assert [d.slug for d in snapshot.domains] == ["loketten", "sport"]
    reispas = snapshot.services["reispas"]
    assert [f.slug for f in reispas.functions] == ["aanvragen", "afhalen"]
    assert [i.level for i in reispas.items] == ["limited", "unavailable"]
    assert reispas.level == "limited"
    assert [a.text["nl"] for a in reispas.alternatives] == ["Afhalen kan in het districtshuis"]
    assert [m.kind for m in reispas.measures] == ["deadline_extended"]
    assert [i.kind for i in snapshot.instructions] == ["dont"]


def test_it_is_kept_while_the_revision_stays_and_reloaded_after_a_write(
    small: Catalogue, django_assert_num_queries: Any
) -> None:
    first = current("stad")
    with django_assert_num_queries(1):  # only the revision is read
        assert current("stad") is first
    set_system(small.systems["datacenter"], SystemChange(SystemState.DOWN), TEST_ACTOR)
    after = current("stad")
    assert after is not first
    assert after is not None
    assert after.services["sporthal"].level == "unavailable"


def test_another_process_writing_is_seen_through_the_revision(small: Catalogue) -> None:
    """A write by another process changes only the database; the revision tells."""
    first = current("stad")
    assert first is not None
    cached = snapshots.get("stad", first.revision)
    assert cached is first
    set_system(small.systems["reservatie"], SystemChange(SystemState.DOWN), TEST_ACTOR)
    assert revision_state() != first.revision
    assert snapshots.get("stad", revision_state()) is not first


def test_names_of_internal_systems_never_enter_the_read_model(helped: Catalogue) -> None:
    set_system(helped.systems["datacenter"], SystemChange(SystemState.DOWN), TEST_ACTOR)
    snapshot = load("stad")
    assert snapshot is not None
    internal = helped.systems["reservatie"].pk
    public = helped.systems["datacenter"].pk
    assert snapshot.systems[internal].name == {}
    assert snapshot.systems[public].name == {"nl": "Datacenter Noord"}
    assert "Geheim" not in repr(snapshot)


def test_an_unknown_organisation_has_no_snapshot(small: Catalogue) -> None:
    assert load("onbekend") is None
    assert current("onbekend") is None


def test_organisations_do_not_see_each_others_services(small: Catalogue) -> None:
    other = org("politie", "Politie")
    service(domain(other, "meldingen"), "aangifte")
    recompute(TEST_ACTOR)
    stad, politie = current("stad"), current("politie")
    assert stad is not None
    assert politie is not None
    assert "aangifte" not in stad.services
    assert list(politie.services) == ["aangifte"]

"""The impact of a system change before it is made, the guarded confirm, and restorations."""

from __future__ import annotations

import pytest

from tests.factories import TEST_ACTOR, Catalogue, domain, function, org, service, system
from watwerkt.catalogue.models import Dependency
from watwerkt.engine import Level, SystemState
from watwerkt.status.impact import ImpactMoved, apply, preview, restorations, restorations_cache
from watwerkt.status.models import StatusEvent
from watwerkt.status.report import change_lines
from watwerkt.status.revision import current_revision
from watwerkt.status.services import SystemChange, recompute, set_status, set_system
from watwerkt.status.values import ManualStatus

DOWN = SystemChange(SystemState.DOWN)


def words(impact_lines: object) -> list[tuple[str, str, str, str]]:
    return [(x.subject, x.path, x.before, x.after) for x in impact_lines]  # type: ignore[attr-defined]


def test_a_preview_lists_every_level_that_would_change_and_writes_nothing(small: Catalogue) -> None:
    revision, events = current_revision(), StatusEvent.objects.count()
    impact = preview(small.systems["datacenter"], DOWN)
    assert words(impact.of("service")) == [
        ("service", "stad/materiaal", "available", "unavailable"),
        ("service", "stad/sporthal", "available", "unavailable"),
    ]
    assert len(impact.of("item")) == 3
    assert [x.path for x in impact.of("system")] == ["stad/datacenter", "stad/reservatie"]
    assert impact.revision == revision
    assert impact.hidden == 0
    assert (current_revision(), StatusEvent.objects.count()) == (revision, events)


def test_applying_the_confirmed_preview_does_exactly_what_it_showed(small: Catalogue) -> None:
    shown = preview(small.systems["datacenter"], DOWN)
    done = apply(small.systems["datacenter"], DOWN, TEST_ACTOR, "brand", confirmed=shown.digest)
    assert done.lines == shown.lines
    small.systems["datacenter"].refresh_from_db()
    assert small.systems["datacenter"].state == "down"
    manual = StatusEvent.objects.get(subject="system", layer="manual")
    assert (manual.actor, manual.note) == ("test", "brand")


def test_the_preview_equals_what_the_plain_write_path_reports(small: Catalogue) -> None:
    shown = preview(small.systems["reservatie"], DOWN)
    changes = set_system(small.systems["reservatie"], DOWN, TEST_ACTOR).changes
    assert [(x.subject, x.path, x.before, x.after) for x in change_lines(changes)] == sorted(
        words(shown.lines),
        key=lambda x: (["system", "organisation", "domain", "service", "item"].index(x[0]), x[1]),
    )


def test_a_confirm_after_the_impact_moved_writes_nothing_and_gives_the_new_preview(
    small: Catalogue,
) -> None:
    shown = preview(small.systems["datacenter"], DOWN)
    # Meanwhile someone pins materiaal: the data centre no longer takes it down.
    set_status([small.items["mat"]], ManualStatus(Level.AVAILABLE, pinned=True), TEST_ACTOR)
    revision = current_revision()
    with pytest.raises(ImpactMoved) as moved:
        apply(small.systems["datacenter"], DOWN, TEST_ACTOR, confirmed=shown.digest)
    assert current_revision() == revision
    small.systems["datacenter"].refresh_from_db()
    assert small.systems["datacenter"].state == "up"
    assert "stad/materiaal" not in [x.path for x in moved.value.impact.of("service")]
    again = apply(
        small.systems["datacenter"], DOWN, TEST_ACTOR, confirmed=moved.value.impact.digest
    )
    assert again.lines == moved.value.impact.lines


def test_an_unrelated_write_in_between_does_not_stop_the_confirm(small: Catalogue) -> None:
    shown = preview(small.systems["datacenter"], DOWN)
    set_status(
        [small.items["pas_apply"]], ManualStatus(Level.AVAILABLE, note={"nl": "ok"}), TEST_ACTOR
    )
    assert current_revision() > shown.revision
    done = apply(small.systems["datacenter"], DOWN, TEST_ACTOR, confirmed=shown.digest)
    assert done.lines == shown.lines


def test_the_digest_covers_the_change_itself(small: Catalogue) -> None:
    shown = preview(small.systems["register"], DOWN)
    with pytest.raises(ImpactMoved):
        apply(
            small.systems["register"],
            SystemChange(SystemState.DEGRADED),
            TEST_ACTOR,
            confirmed=shown.digest,
        )


def test_only_organisations_one_may_see_are_shown_the_rest_is_counted(small: Catalogue) -> None:
    other = org("elders", "Elders")
    shared = system(other, "betaalplatform")
    Dependency.objects.create(system=shared, service=small.services["sporthal"], kind="soft")
    pool = service(domain(other, "sport"), "zwembad")
    function(pool)
    Dependency.objects.create(system=shared, service=pool)
    recompute(TEST_ACTOR)  # the engine takes in the new dependencies
    theirs = preview(shared, DOWN, organisation_ids={other.pk}, system_ids={shared.pk})
    assert [x.path for x in theirs.of("service")] == ["elders/zwembad"]
    assert theirs.hidden == 5  # stad's organisation, domain, service and its two items
    everyone = preview(shared, DOWN)
    assert {x.path for x in everyone.of("service")} == {"elders/zwembad", "stad/sporthal"}


def test_restorations_count_what_comes_back_per_organisation(small: Catalogue) -> None:
    set_system(small.systems["datacenter"], DOWN, TEST_ACTOR)
    set_system(small.systems["register"], DOWN, TEST_ACTOR)
    found = restorations([small.systems["datacenter"].pk, small.systems["register"].pk])
    dc, reg = found[small.systems["datacenter"].pk], found[small.systems["register"].pk]
    stad = small.org.pk
    assert (dc.services_back, dc.items_back, dc.items_hit) == ({stad: 2}, {stad: 3}, {stad: 3})
    assert (reg.services_back, reg.items_back, reg.items_hit) == ({stad: 1}, {stad: 1}, {stad: 1})
    assert dc.total(dc.items_back, {stad}) == 3
    assert dc.total(dc.items_back, set()) == 0


def test_restorations_are_kept_per_revision(small: Catalogue) -> None:
    set_system(small.systems["datacenter"], DOWN, TEST_ACTOR)
    pk = small.systems["datacenter"].pk
    restorations([pk])
    computed = restorations_cache.computed
    restorations([pk])
    assert restorations_cache.computed == computed
    set_system(small.systems["register"], DOWN, TEST_ACTOR)
    restorations([pk])
    assert restorations_cache.computed == computed + 1

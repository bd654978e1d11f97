"""The status write path: manual statuses, system states, events, revisions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from tests.factories import TEST_ACTOR, Catalogue
from watwerkt.authoring.edits import (
    HelpEntry,
    RecoveryPlan,
    replace_alternatives,
    set_recovery_plan,
)
from watwerkt.authoring.notices import add_notice
from watwerkt.engine import Level, SystemState
from watwerkt.incidents import services as incidents
from watwerkt.status.graphs import graphs
from watwerkt.status.models import AppendOnlyError, EffectiveStatus, Revision, StatusEvent
from watwerkt.status.revision import current_revision
from watwerkt.status.services import (
    ManualStatus,
    SystemChange,
    apply_manual,
    preview_system,
    recompute,
    set_status,
    set_system,
)
from watwerkt.status.values import parse_qualifier
from watwerkt.status.writing import Actor, revising, writing


def effective(subject: str, pk: int) -> dict[str, Any]:
    return EffectiveStatus.objects.get(subject=subject, object_id=pk).value


def down(small: Catalogue, name: str) -> None:
    set_system(small.systems[name], SystemChange(SystemState.DOWN), TEST_ACTOR)


def test_a_system_going_down_makes_hard_dependents_unavailable(small: Catalogue) -> None:
    down(small, "datacenter")
    assert effective("item", small.items["hal_online"].pk)["level"] == "unavailable"
    assert effective("item", small.items["pas_apply"].pk)["level"] == "available"
    assert effective("service", small.services["sporthal"].pk)["level"] == "unavailable"
    assert effective("organisation", small.org.pk)["level"] == "limited"


def test_a_derived_status_stores_its_cause_chain(small: Catalogue) -> None:
    down(small, "datacenter")
    cause = effective("item", small.items["mat"].pk)["causes"][0]
    assert cause["system"] == small.systems["reservatie"].pk
    assert cause["via"][0]["system"] == small.systems["datacenter"].pk
    assert cause["via"][0]["own"] is True


def test_a_soft_dependency_makes_a_function_limited(small: Catalogue) -> None:
    down(small, "register")
    assert effective("item", small.items["pas_pick"].pk)["level"] == "limited"
    assert effective("service", small.services["reispas"].pk)["level"] == "limited"


def test_every_write_takes_a_new_revision(small: Catalogue) -> None:
    before = current_revision()
    down(small, "register")
    assert current_revision() == before + 1


def test_a_write_that_changes_nothing_keeps_the_revision(small: Catalogue) -> None:
    down(small, "register")
    before, events = current_revision(), StatusEvent.objects.count()
    down(small, "register")
    assert (current_revision(), StatusEvent.objects.count()) == (before, events)


def structure() -> int:
    return Revision.objects.get(pk=1).structure


def test_status_writes_keep_the_structure_number(small: Catalogue) -> None:
    """Readers then learn everything that changed from the status events alone."""
    before, revision = structure(), current_revision()
    down(small, "register")
    noted = ManualStatus(Level.LIMITED, note={"nl": "Enkel op afspraak"})
    set_status([small.items["mat"]], noted, TEST_ACTOR)
    assert (structure(), current_revision()) == (before, revision + 2)


def test_incident_writes_keep_the_structure_number(small: Catalogue) -> None:
    """The public snapshot reads no incident, only when updates were published,
    which following it reads again: it is followed, not loaded, after these."""
    before, revision = structure(), current_revision()
    incident = incidents.create_incident(small.org, {"nl": "Storing"}, TEST_ACTOR)
    draft = incidents.post_update(incident, {"nl": "We kijken"}, TEST_ACTOR)
    incidents.publish_update(draft, TEST_ACTOR)
    incidents.edit_update(draft, TEST_ACTOR, body={"nl": "We kijken ernaar"})
    incidents.discard_update(
        incidents.post_update(incident, {"nl": "Klad"}, TEST_ACTOR), TEST_ACTOR
    )
    incidents.edit_incident(incident, TEST_ACTOR, impact="minor")
    target = incidents.add_target(incident, {"nl": "Morgen"}, TEST_ACTOR)
    incidents.reach_target(target, TEST_ACTOR)
    incidents.resolve(incident, TEST_ACTOR, body={"nl": "Opgelost"})
    now = timezone.now()
    window = incidents.create_maintenance(
        small.org,
        {"nl": "Onderhoud"},
        now + timedelta(hours=1),
        now + timedelta(hours=2),
        TEST_ACTOR,
    )
    incidents.publish_maintenance(window, TEST_ACTOR)
    incidents.cancel_maintenance(window, TEST_ACTOR)
    set_recovery_plan(small.systems["register"], RecoveryPlan(1, "IT", None, ()), TEST_ACTOR)
    assert (structure(), current_revision()) == (before, revision + 14)


def test_every_other_write_bumps_the_structure_number(small: Catalogue) -> None:
    before = structure()
    with revising(TEST_ACTOR):  # a name, a help text: structural unless said otherwise
        pass
    assert structure() == before + 1
    with writing(TEST_ACTOR) as write:  # a status, but without the promise of only that
        apply_manual(write, small.items["mat"], ManualStatus(Level.LIMITED))
    assert structure() == before + 2
    with writing(TEST_ACTOR, statuses_only=True) as write:
        write.touched = True
    assert structure() == before + 3
    with revising(TEST_ACTOR, structural=False) as write:  # but a resync always is
        write.resync = True
    assert structure() == before + 4
    add_notice(small.org, "instruction", "do", {"nl": "Bel ons"}, TEST_ACTOR)
    assert structure() == before + 5
    replace_alternatives(
        small.services["sporthal"], [HelpEntry("contact", {"nl": "Mail"})], TEST_ACTOR
    )
    assert structure() == before + 6


def test_a_manual_status_records_a_manual_and_an_effective_event(small: Catalogue) -> None:
    item = small.items["pas_apply"]
    status = ManualStatus(Level.LIMITED, (parse_qualifier("delays"),))
    set_status([item], status, Actor("comms", "console"), "wachttijden")
    manual = StatusEvent.objects.filter(subject="item", object_id=item.pk, layer="manual").last()
    assert manual is not None
    assert (manual.actor, manual.source, manual.note) == ("comms", "console", "wachttijden")
    assert manual.old["level"] == "available"
    assert manual.new["qualifiers"] == [{"code": "delays"}]
    assert manual.path == "stad/reispas/aanvragen/loket"
    assert effective("item", item.pk)["qualifiers"] == [{"code": "delays"}]


def test_since_is_kept_when_only_the_qualifiers_change(small: Catalogue) -> None:
    item = small.items["pas_apply"]
    set_status([item], ManualStatus(Level.LIMITED), TEST_ACTOR)
    item.refresh_from_db()
    first = item.since
    set_status([item], ManualStatus(Level.LIMITED, (parse_qualifier("backlog"),)), TEST_ACTOR)
    item.refresh_from_db()
    assert item.since == first


def test_a_pin_overrides_a_down_system_and_says_so(small: Catalogue) -> None:
    item = small.items["hal_phone"]
    set_status([item], ManualStatus(Level.LIMITED, pinned=True), TEST_ACTOR)
    down(small, "reservatie")
    value = effective("item", item.pk)
    assert (value["level"], value["pinned"]) == ("limited", True)
    assert [c["system"] for c in value["causes"]] == [small.systems["reservatie"].pk]
    assert effective("item", small.items["hal_online"].pk)["level"] == "unavailable"


def test_the_preview_predicts_the_change_and_writes_nothing(small: Catalogue) -> None:
    before = (current_revision(), StatusEvent.objects.count())
    preview = preview_system(small.systems["reservatie"], SystemChange(SystemState.DOWN)).changes
    assert (current_revision(), StatusEvent.objects.count()) == before
    changed = {(c.subject, c.key) for c in preview}
    assert ("item", small.items["hal_online"].pk) in changed
    assert ("item", small.items["pas_apply"].pk) not in changed
    applied = set_system(
        small.systems["reservatie"], SystemChange(SystemState.DOWN), TEST_ACTOR
    ).changes
    assert {(c.subject, c.key) for c in applied} == changed


def test_the_current_state_always_agrees_with_the_events(small: Catalogue) -> None:
    down(small, "datacenter")
    set_status([small.items["hal_phone"]], ManualStatus(Level.LIMITED, pinned=True), TEST_ACTOR)
    set_system(small.systems["datacenter"], SystemChange(SystemState.UP), TEST_ACTOR)
    down(small, "register")
    latest: dict[tuple[str, int], Any] = {}
    for event in StatusEvent.objects.filter(layer="effective").order_by("id"):
        latest[(event.subject, event.object_id)] = event.new
    stored = {(r.subject, r.object_id): r.value for r in EffectiveStatus.objects.all()}
    assert latest == stored
    for item in small.items.values():
        item.refresh_from_db()
        last = StatusEvent.objects.filter(subject="item", object_id=item.pk, layer="manual").last()
        if last is not None:
            assert last.new["level"] == item.level
            assert last.new["pinned"] == item.pinned


def test_a_failed_write_leaves_no_trace_and_the_next_write_is_correct(small: Catalogue) -> None:
    before = (current_revision(), StatusEvent.objects.count())
    with pytest.raises(ValueError, match="no function x channel"):
        set_status([], ManualStatus(Level.UNAVAILABLE), TEST_ACTOR)
    assert (current_revision(), StatusEvent.objects.count()) == before
    down(small, "datacenter")
    assert effective("item", small.items["hal_online"].pk)["level"] == "unavailable"


def test_events_cannot_be_changed_or_deleted(small: Catalogue) -> None:
    down(small, "register")
    event = StatusEvent.objects.first()
    assert event is not None
    event.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


@pytest.mark.parametrize(
    "sql", ["UPDATE status_statusevent SET note = 'x'", "DELETE FROM status_statusevent"]
)
def test_the_database_refuses_to_rewrite_events(small: Catalogue, sql: str) -> None:
    down(small, "register")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        connection.cursor().execute(sql)


def test_a_removed_item_keeps_its_readable_path_in_history(small: Catalogue) -> None:
    item = small.items["pas_pick"]
    pk = item.pk
    item.delete()
    recompute(TEST_ACTOR)
    gone = StatusEvent.objects.filter(subject="item", object_id=pk, new__isnull=True).get()
    assert gone.path == "stad/reispas/afhalen/loket"
    assert gone.organisation_id == small.org.pk


def test_a_write_in_a_fresh_process_still_sees_what_changes(small: Catalogue) -> None:
    graphs.forget()  # as in a new CLI process: no graph cached yet
    changes = set_status([small.items["mat"]], ManualStatus(Level.UNAVAILABLE), TEST_ACTOR).changes
    assert effective("item", small.items["mat"].pk)["level"] == "unavailable"
    assert {c.subject for c in changes} >= {"item", "service"}
    graphs.forget()
    down(small, "register")
    assert effective("item", small.items["pas_pick"].pk)["level"] == "limited"

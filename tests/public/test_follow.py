"""Following status changes: the same snapshot a full load gives, for a fraction of the work."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from tests.factories import TEST_ACTOR, Catalogue, domain, function, org, service, system
from watwerkt.authoring.edits import HelpEntry, replace_alternatives
from watwerkt.authoring.notices import add_notice
from watwerkt.catalogue.models import Dependency, FunctionChannel, Organisation, System
from watwerkt.engine import Expected, Level, Qualifier, SystemState
from watwerkt.incidents.models import OPEN_PHASES, Incident, IncidentUpdate
from watwerkt.incidents.services import (
    add_target,
    create_incident,
    create_maintenance,
    discard_update,
    edit_incident,
    edit_update,
    post_update,
    publish_update,
    resolve,
)
from watwerkt.readmodel import follow as following
from watwerkt.readmodel.follow import follow
from watwerkt.readmodel.load import load
from watwerkt.readmodel.snapshot import snapshots
from watwerkt.readmodel.values import Snapshot
from watwerkt.status.impact import apply, preview
from watwerkt.status.revision import revision_state, watermark
from watwerkt.status.services import (
    SystemChange,
    apply_manual_many,
    recompute,
    set_status,
    set_system,
)
from watwerkt.status.values import ManualStatus, QualifierValue, manual_from_row
from watwerkt.status.writing import writing

EXPECTED = [None, Expected("weeks"), Expected("date", "2023-03-01"), Expected("month", "2023-04")]
QUALIFIERS = [
    QualifierValue(Qualifier.DELAYS),
    QualifierValue(Qualifier.BACKLOG),
    QualifierValue(Qualifier.EXCEPT, {"nl": "nieuwe aanvragen"}),
    QualifierValue(Qualifier.STARTED_BEFORE, date="2022-12-06"),
]


def current_through_cache(slug: str) -> Snapshot:
    found = snapshots.get(slug, revision_state())
    assert found is not None
    return found


def assert_followed_equals_a_fresh_load(slug: str) -> Snapshot:
    """The cache's snapshot at the current revision, checked to be followed, not
    loaded, and to equal a fresh full load to the last value."""
    loaded, followed = snapshots.loaded, snapshots.followed
    held = current_through_cache(slug)
    assert (snapshots.loaded, snapshots.followed) == (loaded, followed + 1)
    fresh = load(slug)
    assert held == fresh
    assert held.cited == fresh.cited
    assert held.watermark == fresh.watermark
    return held


def random_status(rng: random.Random, step: int) -> ManualStatus:
    return ManualStatus(
        rng.choice(list(Level)),
        tuple(rng.sample(QUALIFIERS, rng.randint(0, 2))),
        None,
        rng.choice(EXPECTED),
        pinned=rng.random() < 0.2,
        note=rng.choice([{}, {"nl": f"Noot {step}"}, {"nl": "Noot", "fr": "Note"}]),
    )


def random_system_change(rng: random.Random) -> SystemChange:
    state = rng.choice(list(SystemState))
    return SystemChange(state, expected=None if state == SystemState.UP else rng.choice(EXPECTED))


def random_write(rng: random.Random, step: int, items: list[Any], systems: list[System]) -> None:
    """One of the writes a crisis team makes, through the real write paths."""
    kind = rng.choice(["items", "items", "items", "note", "bulk", "system", "system", "impact"])
    if kind == "items":
        set_status(rng.sample(items, rng.randint(1, 3)), random_status(rng, step), TEST_ACTOR)
    elif kind == "note":  # the public note alone: no effective status changes
        item = rng.choice(items)
        item.refresh_from_db()
        kept = manual_from_row(item)
        set_status([item], replace(kept, note={"nl": f"Nu {step}"}), TEST_ACTOR)
    elif kind == "bulk":  # as the console's bulk edit writes
        with writing(TEST_ACTOR, statuses_only=True) as write:
            chosen = rng.sample(items, rng.randint(2, 6))
            for item in chosen:
                item.refresh_from_db()
            apply_manual_many(write, [(i, random_status(rng, step)) for i in chosen])
    elif kind == "system":
        set_system(rng.choice(systems), random_system_change(rng), TEST_ACTOR)
    else:
        chosen, change = rng.choice(systems), random_system_change(rng)
        apply(chosen, change, TEST_ACTOR, confirmed=preview(chosen, change).digest)


def random_incident_write(rng: random.Random, step: int, organisation: Organisation) -> None:
    """One of the writes the comms officer makes meanwhile: none changes what the
    snapshot shows but by publishing an update ("changed since the previous one")."""
    now = timezone.now()
    incidents = list(Incident.objects.filter(organisation=organisation, phase__in=OPEN_PHASES))
    updates = IncidentUpdate.objects.filter(incident__in=incidents).order_by("id")
    drafts = list(updates.filter(published_at=None))
    published = list(updates.exclude(published_at=None))
    kind = rng.choice(["post", "post", "publish", "publish", "past", "edit", "discard", "title"])
    kind = "other" if rng.random() < 0.1 else kind
    if (kind in ("publish", "discard") and not drafts) or (kind == "edit" and not published):
        kind = "post"
    if not incidents:
        create_incident(organisation, {"nl": f"Storing {step}"}, TEST_ACTOR, started_at=now)
        return
    incident = rng.choice(sorted(incidents, key=lambda i: i.pk))
    body = {"nl": f"Stand van zaken {step}"}
    if kind == "post":
        post_update(incident, body, TEST_ACTOR, publish=rng.random() < 0.4)
    elif kind == "publish" and drafts:
        publish_update(rng.choice(drafts), TEST_ACTOR)
    elif kind == "past":  # published as of earlier: the window's lower end moves back
        at = max(incident.started_at, now - timedelta(hours=rng.randint(0, 30)))
        post_update(incident, body, TEST_ACTOR, publish=True, at=at)
    elif kind == "edit" and published:
        edit_update(rng.choice(published), TEST_ACTOR, body={"nl": f"Verbeterd {step}"})
    elif kind == "discard" and drafts:
        discard_update(rng.choice(drafts), TEST_ACTOR)
    elif kind == "title":
        edit_incident(incident, TEST_ACTOR, title={"nl": f"Storing {step}"}, impact="minor")
    elif kind == "other":
        resolve(incident, TEST_ACTOR, body={"nl": f"Opgelost {step}"})
        add_target(incident, {"nl": "Alles werkt weer"}, TEST_ACTOR)
        create_maintenance(
            organisation,
            {"nl": f"Onderhoud {step}"},
            now + timedelta(hours=1),
            now + timedelta(hours=2),
            TEST_ACTOR,
            publish=True,
        )


@pytest.mark.parametrize("seed", [1, 2])
def test_a_followed_snapshot_equals_a_fresh_load_after_every_status_write(
    demo: Organisation, seed: int
) -> None:
    rng = random.Random(seed)
    items = list(FunctionChannel.objects.filter(function__service__organisation=demo))
    systems = list(System.objects.all())
    current_through_cache(demo.slug)
    for step in range(30):
        before = revision_state()
        random_write(rng, step, items, systems)
        if revision_state() != before:  # a write that changed nothing makes no revision
            assert_followed_equals_a_fresh_load(demo.slug)


@pytest.mark.parametrize("seed", [3, 4])
def test_incident_writes_among_status_writes_are_followed_too(
    demo: Organisation, seed: int
) -> None:
    """Incidents, updates (published now or as of earlier, edited, discarded),
    recovery targets and maintenance windows leave the structure number alone."""
    rng = random.Random(seed)
    items = list(FunctionChannel.objects.filter(function__service__organisation=demo))
    systems = list(System.objects.all())
    create_incident(demo, {"nl": "Storing"}, TEST_ACTOR, started_at=timezone.now())
    current_through_cache(demo.slug)
    for step in range(40):
        before = revision_state()
        if rng.random() < 0.5:
            random_incident_write(rng, step, demo)
        else:
            random_write(rng, step, items, systems)
        if revision_state() != before:
            assert_followed_equals_a_fresh_load(demo.slug)


def test_the_changes_follow_the_previous_update_as_updates_are_published(
    small: Catalogue,
) -> None:
    """Publishing an update moves the window's lower end to it, forward, and back
    again when an update is published as of earlier; edits keep it."""
    start = timezone.now() + timedelta(days=1)
    current_through_cache("stad")
    with time_machine.travel(start, tick=False):
        incident = create_incident(small.org, {"nl": "Storing"}, TEST_ACTOR, started_at=start)
        assert_followed_equals_a_fresh_load("stad")
    steps = [
        (timedelta(hours=1), "mat", Level.LIMITED, None),
        (timedelta(hours=2), "hal_phone", Level.UNAVAILABLE, timedelta(hours=2)),
        (timedelta(hours=3), "pas_apply", Level.LIMITED, None),
        (timedelta(hours=4), "mat", Level.AVAILABLE, timedelta(hours=4)),
        (timedelta(hours=5), "hal_online", Level.UNAVAILABLE, timedelta(hours=1, minutes=30)),
        (timedelta(hours=6), "pas_pick", Level.MAINTENANCE, None),
    ]
    seen = set()
    for after, key, level, published in steps:
        with time_machine.travel(start + after, tick=False):
            set_status([small.items[key]], ManualStatus(level), TEST_ACTOR)
            held = assert_followed_equals_a_fresh_load("stad")
            seen.add((held.changes_since, tuple(c.service_id for c in held.changes)))
        if published is not None:
            with time_machine.travel(start + after + timedelta(minutes=1), tick=False):
                post_update(
                    incident, {"nl": "Update"}, TEST_ACTOR, publish=True, at=start + published
                )
                assert_followed_equals_a_fresh_load("stad")
    update = IncidentUpdate.objects.filter(incident=incident).latest("id")
    edit_update(update, TEST_ACTOR, body={"nl": "Verbeterd"})
    assert_followed_equals_a_fresh_load("stad")
    assert len({since for since, _ in seen}) > 3  # the lower end did move


def test_a_shared_system_is_followed_in_every_organisation(small: Catalogue) -> None:
    other = org("elders", "Elders")
    shared = system(other, "betaalplatform")
    Dependency.objects.create(system=shared, service=small.services["sporthal"], kind="soft")
    pool = service(domain(other, "sport"), "zwembad")
    function(pool, "zwemmen", [None])
    Dependency.objects.create(system=shared, service=pool)
    recompute(TEST_ACTOR)
    rng = random.Random(3)
    items = list(FunctionChannel.objects.all())
    systems = [shared, *small.systems.values()]
    for slug in ("stad", "elders"):
        current_through_cache(slug)
    for step in range(20):
        before = revision_state()
        if step % 3 == 0:
            set_system(shared, random_system_change(rng), TEST_ACTOR)
        else:
            random_write(rng, step, items, systems)
        if revision_state() != before:
            for slug in ("stad", "elders"):
                assert_followed_equals_a_fresh_load(slug)


def test_the_changes_follow_the_window_as_both_its_ends_move(small: Catalogue) -> None:
    """Changes enter at the top of the 24-hour window and leave at its bottom, even
    when a write's clock runs behind the one before (a writer that waited for the lock)."""
    start = timezone.now() + timedelta(days=1)
    current_through_cache("stad")
    writes = [
        (timedelta(0), "mat", Level.LIMITED),
        (timedelta(hours=1), "hal_phone", Level.UNAVAILABLE),
        (timedelta(hours=2), "mat", Level.AVAILABLE),  # materiaal ends where it started
        (timedelta(hours=3), "pas_apply", Level.LIMITED),
        (timedelta(hours=24, minutes=30), "pas_pick", Level.MAINTENANCE),  # the first ones leave
        (timedelta(hours=26), "hal_online", Level.UNAVAILABLE),
        (timedelta(hours=25, minutes=30), "pas_apply", Level.AVAILABLE),  # behind the last one
        (timedelta(hours=28), "pas_pick", Level.AVAILABLE),
    ]
    seen = set()
    for after, key, level in writes:
        with time_machine.travel(start + after, tick=False):
            set_status([small.items[key]], ManualStatus(level), TEST_ACTOR)
            held = assert_followed_equals_a_fresh_load("stad")
            seen.add(tuple(c.service_id for c in held.changes))
    assert len(seen) > 3  # the list did move


def test_the_names_of_systems_come_and_go_with_the_statuses_citing_them(
    helped: Catalogue,
) -> None:
    datacenter, reservatie = helped.systems["datacenter"], helped.systems["reservatie"]
    current_through_cache("stad")
    set_system(datacenter, SystemChange(SystemState.DOWN), TEST_ACTOR)
    down = assert_followed_equals_a_fresh_load("stad")
    assert down.systems[datacenter.pk].name == {"nl": "Datacenter Noord"}
    set_system(reservatie, SystemChange(SystemState.DOWN), TEST_ACTOR)
    set_system(datacenter, SystemChange(SystemState.UP), TEST_ACTOR)
    back = assert_followed_equals_a_fresh_load("stad")
    assert datacenter.pk not in back.systems
    assert back.systems[reservatie.pk].name == {}  # not public: cited, never named
    assert "Geheim" not in repr(back)


def test_what_did_not_change_is_reused(helped: Catalogue) -> None:
    first = current_through_cache("stad")
    set_status([helped.items["hal_phone"]], ManualStatus(Level.LIMITED), TEST_ACTOR)
    then = assert_followed_equals_a_fresh_load("stad")
    assert then.services["reispas"] is first.services["reispas"]
    hal, hal_before = then.services["sporthal"], first.services["sporthal"]
    assert hal is not hal_before
    assert hal.items[0] is hal_before.items[0]  # online: untouched
    assert hal.items[1].level == "limited"
    assert then.alternatives is first.alternatives


def test_following_costs_the_same_few_queries_however_many_items_changed(
    helped: Catalogue, django_assert_max_num_queries: Any
) -> None:
    current_through_cache("stad")
    set_status([helped.items["hal_online"]], ManualStatus(Level.LIMITED), TEST_ACTOR)
    # The revision and the organisation list, then the watermarks, the events, the
    # statuses (one query per kind of subject), the notes, the window's ends, the
    # changes, the latest update and the names of newly cited systems.
    with django_assert_max_num_queries(14):
        current_through_cache("stad")
    set_status(list(helped.items.values()), ManualStatus(Level.UNAVAILABLE), TEST_ACTOR)
    with django_assert_max_num_queries(14):
        current_through_cache("stad")


def loaded_whole(slug: str) -> Snapshot:
    loaded, followed = snapshots.loaded, snapshots.followed
    held = current_through_cache(slug)
    assert (snapshots.loaded, snapshots.followed) == (loaded + 1, followed)
    assert held == load(slug)
    return held


def test_a_catalogue_edit_is_loaded_whole(helped: Catalogue) -> None:
    held = current_through_cache("stad")
    hal = helped.services["sporthal"]
    replace_alternatives(hal, [HelpEntry("contact", {"nl": "Mail ons"})], TEST_ACTOR)
    assert follow(held, revision_state()) is None
    after = loaded_whole("stad")
    assert [a.text for a in after.services["sporthal"].alternatives] == [{"nl": "Mail ons"}]


def test_an_organisation_wide_notice_is_loaded_whole(small: Catalogue) -> None:
    held = current_through_cache("stad")
    add_notice(small.org, "instruction", "do", {"nl": "Kom niet langs"}, TEST_ACTOR)
    assert follow(held, revision_state()) is None
    assert [n.text for n in loaded_whole("stad").instructions] == [{"nl": "Kom niet langs"}]


def test_a_recompute_is_loaded_whole(small: Catalogue) -> None:
    held = current_through_cache("stad")
    service(domain(small.org, "nieuw"), "nieuwe-dienst")
    recompute(TEST_ACTOR)
    assert follow(held, revision_state()) is None
    assert "nieuwe-dienst" in loaded_whole("stad").services


def test_status_writes_after_a_structural_one_are_loaded_whole_once(small: Catalogue) -> None:
    current_through_cache("stad")
    add_notice(small.org, "measure", "other", {"nl": "Extra personeel"}, TEST_ACTOR)
    set_status([small.items["mat"]], ManualStatus(Level.LIMITED), TEST_ACTOR)
    loaded_whole("stad")
    set_status([small.items["mat"]], ManualStatus(Level.UNAVAILABLE), TEST_ACTOR)
    assert_followed_equals_a_fresh_load("stad")


def test_a_rolled_back_history_is_loaded_whole(small: Catalogue) -> None:
    """A database rolled back (or restored) reuses event ids for other events."""
    with transaction.atomic():
        set_status([small.items["mat"]], ManualStatus(Level.LIMITED), TEST_ACTOR)
        held = current_through_cache("stad")
        assert held.watermark == watermark()
        transaction.set_rollback(True)
    set_status([small.items["hal_online"]], ManualStatus(Level.UNAVAILABLE), TEST_ACTOR)
    set_status([small.items["hal_phone"]], ManualStatus(Level.UNAVAILABLE), TEST_ACTOR)
    assert follow(held, revision_state()) is None
    after = loaded_whole("stad")
    assert after.services["materiaal"].level == "available"


def test_a_snapshot_whose_last_event_differs_is_loaded_whole(small: Catalogue) -> None:
    held = current_through_cache("stad")
    assert held.watermark is not None
    set_status([small.items["mat"]], ManualStatus(Level.LIMITED), TEST_ACTOR)
    other_log = held.watermark._replace(event_at=timezone.now() - timedelta(days=1))
    assert follow(replace(held, watermark=other_log), revision_state()) is None
    assert follow(held, revision_state()) is not None


def test_too_many_events_are_loaded_whole(small: Catalogue, monkeypatch: Any) -> None:
    monkeypatch.setattr(following, "FOLLOW_AT_LEAST", 5)
    monkeypatch.setattr(following, "FOLLOW_PER_SERVICE", 0)
    current_through_cache("stad")
    set_status([small.items["mat"]], ManualStatus(Level.LIMITED), TEST_ACTOR)
    held = assert_followed_equals_a_fresh_load("stad")
    set_system(small.systems["datacenter"], SystemChange(SystemState.DOWN), TEST_ACTOR)
    assert follow(held, revision_state()) is None
    after = loaded_whole("stad")
    assert after.services["sporthal"].level == "unavailable"

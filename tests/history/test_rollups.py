"""Daily rollups always say what the status events say: stored, rebuilt and live."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import TEST_ACTOR
from tests.history.conftest import (
    BRUSSELS,
    Clock,
    local,
    reference,
    shown,
    small_at,
    stored_rows,
)
from watwerkt.catalogue.models import Organisation, Service
from watwerkt.engine import Level, SystemState
from watwerkt.history import bars, rollups
from watwerkt.history.days import day_start
from watwerkt.history.models import DayRollup, RollupState
from watwerkt.status.services import SystemChange, set_status, set_system
from watwerkt.status.values import ManualStatus

SYSTEMS = ["datacenter", "reservatie", "register"]
ITEMS = ["hal_online", "hal_phone", "mat", "pas_apply", "pas_pick"]

# A step: how far to move the clock (seconds, or to a local midnight give or take a
# few seconds), then one change through the real write path.
MOVE = st.one_of(
    st.tuples(st.just("seconds"), st.integers(0, 40 * 3600)),
    st.tuples(st.just("midnight"), st.integers(-2, 2)),
)
CHANGE = st.one_of(
    st.tuples(st.just("system"), st.sampled_from(SYSTEMS), st.sampled_from(list(SystemState))),
    st.tuples(st.just("item"), st.sampled_from(ITEMS), st.sampled_from(list(Level))),
)
# Around the two clock changes of 2023 in Brussels, and an ordinary week.
START = st.sampled_from([date(2023, 3, 24), date(2023, 10, 27), date(2023, 6, 12)]).flatmap(
    lambda d: st.integers(0, 2 * 24 * 3600).map(
        lambda s: day_start(d, BRUSSELS) + timedelta(seconds=s)
    )
)


def move(clock: Clock, how: tuple[str, int]) -> None:
    kind, amount = how
    if kind == "seconds":
        clock.forward(seconds=amount)
        return
    today = clock.now().astimezone(BRUSSELS).date()
    clock.to(day_start(today + timedelta(days=1), BRUSSELS) + timedelta(seconds=amount))


def apply(catalogue: Any, change: tuple[str, str, Any]) -> None:
    kind, name, value = change
    if kind == "system":
        system = catalogue.systems[name]
        system.refresh_from_db()
        set_system(system, SystemChange(value), TEST_ACTOR)
    else:
        set_status([catalogue.items[name]], ManualStatus(value), TEST_ACTOR)


def agree(org: Organisation, now: datetime, days: int) -> None:
    """The rollups of windows of ``days`` days up to ``now``, of half as many, and of
    two, say what the events say (shorter windows start inside the stored days)."""
    for length in sorted({days, max(2, days // 2), 2}):
        agree_window(org, now, length)


def agree_window(org: Organisation, now: datetime, days: int) -> None:
    for subject in ("service", "domain"):
        window, found = shown(org, subject, now, days)
        wanted = reference(org, subject, list(window.days), window.until)
        nothing = [(length, (0, 0, 0, 0, 0)) for length in window.lengths]
        for object_id in set(found) | set(wanted):
            assert found.get(object_id, nothing) == wanted.get(object_id, nothing), (
                subject,
                object_id,
            )


@pytest.mark.django_db
@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=START,
    steps=st.lists(st.tuples(MOVE, CHANGE, st.booleans()), min_size=1, max_size=8),
    end=MOVE,
)
def test_stored_and_live_days_agree_with_the_events(
    clock: Clock, start: datetime, steps: list[Any], end: tuple[str, int]
) -> None:
    catalogue = small_at(clock, start)
    org = catalogue.org
    for how, change, store_now in steps:
        move(clock, how)
        apply(catalogue, change)
        if store_now:  # as a page view would, after midnight: store what closed so far
            rollups.ensure_stored(org.pk, org.time_zone, clock.now())
    move(clock, end)
    now = clock.now()
    days = (now - start).days + 3  # and a day before the catalogue existed
    rollups.store(org.pk, org.time_zone, now=now)
    agree(org, now, days)

    # Storing again changes nothing; rebuilding from the first day gives the same rows
    # as storing day by day did.
    before = stored_rows(org)
    assert rollups.store(org.pk, org.time_zone, now=now).written == 0
    first = start.astimezone(BRUSSELS).date()
    rollups.store(org.pk, org.time_zone, since=first, now=now)
    assert stored_rows(org) == before


def test_the_first_read_after_midnight_stores_the_day_that_closed(db: None, clock: Clock) -> None:
    c = small_at(clock, local(2023, 1, 10, 9))
    org = c.org
    clock.to(local(2023, 1, 10, 15))
    set_system(c.systems["datacenter"], SystemChange(SystemState.DOWN), TEST_ACTOR)
    clock.to(local(2023, 1, 11, 0, 5))
    assert not RollupState.objects.filter(organisation=org).exists()
    _window, found = shown(org, "service", clock.now(), 3)
    assert RollupState.objects.get(organisation=org).through == date(2023, 1, 10)
    hal = c.services["sporthal"].pk
    assert DayRollup.objects.get(subject="service", object_id=hal).days == "*"
    # 9:00-15:00 available, 15:00-24:00 down; before 9:00 it did not exist.
    assert found[hal][1] == (86400, (6 * 3600, 0, 0, 0, 9 * 3600))
    assert found[hal][2] == (300, (0, 0, 0, 0, 300))  # today, so far
    assert found[hal][0] == (86400, (0, 0, 0, 0, 0))


def test_today_is_live_without_storing_anything(db: None, clock: Clock) -> None:
    c = small_at(clock, local(2023, 1, 10, 9))
    rollups.store(c.org.pk, c.org.time_zone, now=local(2023, 1, 12, 8))
    clock.to(local(2023, 1, 12, 10))
    set_system(c.systems["reservatie"], SystemChange(SystemState.DOWN), TEST_ACTOR)
    clock.to(local(2023, 1, 12, 12))
    written = stored_rows(c.org)
    _window, found = shown(c.org, "service", clock.now(), 2)
    hal = c.services["sporthal"].pk
    assert found[hal][1] == (12 * 3600, (10 * 3600, 0, 0, 0, 2 * 3600))
    assert stored_rows(c.org) == written  # today is never stored


def test_a_removed_service_keeps_its_past_and_is_absent_after(db: None, clock: Clock) -> None:
    c = small_at(clock, local(2023, 1, 10, 9))
    clock.to(local(2023, 1, 12, 18))
    from watwerkt.status.services import recompute

    Service.objects.filter(pk=c.services["materiaal"].pk).delete()
    recompute(TEST_ACTOR)
    clock.to(local(2023, 1, 14, 12))
    _window, found = shown(c.org, "service", clock.now(), 6)
    mat = c.services["materiaal"].pk
    assert [seconds for _length, seconds in found[mat]] == [
        (0, 0, 0, 0, 0),
        (15 * 3600, 0, 0, 0, 0),
        (86400, 0, 0, 0, 0),
        (18 * 3600, 0, 0, 0, 0),
        (0, 0, 0, 0, 0),
        (0, 0, 0, 0, 0),
    ]


def test_a_new_time_zone_cuts_the_days_again(db: None, clock: Clock) -> None:
    c = small_at(clock, local(2023, 1, 10, 9))
    clock.to(local(2023, 1, 10, 23, 30))  # 22:30 UTC: already the 11th in Helsinki
    set_system(c.systems["datacenter"], SystemChange(SystemState.DOWN), TEST_ACTOR)
    now = local(2023, 1, 13, 12)
    rollups.store(c.org.pk, "Europe/Brussels", now=now)
    assert (
        DayRollup.objects.get(object_id=c.services["sporthal"].pk, subject="service").days == "*xx"
    )
    Organisation.objects.filter(pk=c.org.pk).update(time_zone="Europe/Helsinki")
    c.org.refresh_from_db()
    rollups.store(c.org.pk, c.org.time_zone, now=now)
    assert RollupState.objects.get(organisation=c.org).time_zone == "Europe/Helsinki"
    row = DayRollup.objects.get(object_id=c.services["sporthal"].pk, subject="service")
    assert (row.first_day, row.days) == (date(2023, 1, 10), "**x")
    agree(c.org, now, 5)


def test_a_clock_set_back_behind_the_stored_days_rebuilds_them(db: None, clock: Clock) -> None:
    c = small_at(clock, local(2023, 1, 10, 9))
    rollups.store(c.org.pk, c.org.time_zone, now=local(2023, 1, 20, 12))
    assert RollupState.objects.get(organisation=c.org).through == date(2023, 1, 19)
    rollups.store(c.org.pk, c.org.time_zone, now=local(2023, 1, 12, 12))
    assert RollupState.objects.get(organisation=c.org).through == date(2023, 1, 11)
    row = DayRollup.objects.get(object_id=c.services["sporthal"].pk, subject="service")
    assert (row.first_day, row.days) == (date(2023, 1, 10), "*a")


def test_an_organisation_without_events_stores_nothing_and_reads_absent(
    db: None, clock: Clock
) -> None:
    org = Organisation.objects.create(slug="leeg", name={"nl": "Leeg"})
    done = rollups.store(org.pk, org.time_zone, now=datetime(2023, 5, 1, tzinfo=UTC))
    assert (done.first, done.written) == (None, 0)
    window, found = bars.bars(org.pk, org.time_zone, "service", {}, now=clock.now())
    assert found == {}
    assert len(window) == bars.DAYS


def test_every_store_gives_a_new_stamp_even_in_the_same_instant(db: None, clock: Clock) -> None:
    """Caches of stored days compare stamps: a rebuild must never look like no change."""
    c = small_at(clock, local(2023, 1, 10, 9))
    now = local(2023, 1, 12, 9)
    first = rollups.ensure_stored(c.org.pk, c.org.time_zone, now)
    assert rollups.ensure_stored(c.org.pk, c.org.time_zone, now) == first  # nothing to store
    rollups.store(c.org.pk, c.org.time_zone, since=date(2023, 1, 10), now=now)
    assert rollups.ensure_stored(c.org.pk, c.org.time_zone, now) != first


def test_a_rollup_state_made_again_never_gives_the_stamp_of_the_one_before(
    db: None, clock: Clock
) -> None:
    """An organisation deleted and another given its id: the same day, time zone and
    first generation, but other stored days, which a kept cache must not serve."""
    c = small_at(clock, local(2023, 1, 10, 9))
    now = local(2023, 1, 12, 9)
    first = rollups.ensure_stored(c.org.pk, c.org.time_zone, now)
    RollupState.objects.filter(organisation=c.org).delete()
    DayRollup.objects.filter(organisation=c.org).delete()
    again = rollups.ensure_stored(c.org.pk, c.org.time_zone, now)
    assert again[2:] == first[2:]  # through, time zone and generation alike
    assert again != first

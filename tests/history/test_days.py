"""Day arithmetic: local days, clock changes, and what a level did in each day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.history.reference import day_seconds
from watwerkt.history.days import (
    ABSENT,
    LEVELS,
    MIXED,
    boundaries,
    day_start,
    replay,
    seconds_of,
    so_far,
)

BRUSSELS = ZoneInfo("Europe/Brussels")
# Zones where clocks change at midnight itself, so local midnight is skipped or doubled.
MIDNIGHT_CHANGES = [ZoneInfo("America/Santiago"), ZoneInfo("Asia/Beirut")]


def test_days_are_local_and_23_or_25_hours_long_when_clocks_change() -> None:
    spring = boundaries(date(2023, 3, 25), date(2023, 3, 27), BRUSSELS)
    autumn = boundaries(date(2023, 10, 28), date(2023, 10, 30), BRUSSELS)
    hours = [(b - a).total_seconds() / 3600 for a, b in pairwise(spring)]
    assert hours == [24, 23, 24]
    hours = [(b - a).total_seconds() / 3600 for a, b in pairwise(autumn)]
    assert hours == [24, 25, 24]
    assert day_start(date(2023, 7, 1), BRUSSELS) == datetime(2023, 6, 30, 22, tzinfo=UTC)


def test_a_quiet_stretch_is_one_code_per_day_and_a_change_splits_its_day() -> None:
    bounds = boundaries(date(2023, 3, 24), date(2023, 3, 28), BRUSSELS)
    change = datetime(2023, 3, 26, 10, 0, tzinfo=UTC)  # 12:00 in Brussels, summer time
    codes, mixed, level = replay("unavailable", [(change, "available")], bounds)
    assert codes == "xx*aa"
    # 26 March has 23 hours: 11 of them (00:00-12:00 less the skipped hour) down.
    assert mixed == [(12 * 3600, 0, 0, 0, 11 * 3600)]
    assert level == "available"


def test_a_subject_that_does_not_exist_yet_is_absent_and_one_added_mid_day_is_mixed() -> None:
    bounds = boundaries(date(2023, 1, 1), date(2023, 1, 3), BRUSSELS)
    added = datetime(2023, 1, 2, 17, 0, tzinfo=UTC)  # 18:00 local
    codes, mixed, _ = replay(None, [(added, "limited")], bounds)
    assert codes == f"{ABSENT}{MIXED}l"
    assert mixed == [(0, 6 * 3600, 0, 0, 0)]  # and 18 hours absent


def test_a_change_at_midnight_belongs_to_the_new_day() -> None:
    bounds = boundaries(date(2023, 1, 1), date(2023, 1, 2), BRUSSELS)
    codes, mixed, _ = replay("unavailable", [(bounds[1], "available")], bounds)
    assert (codes, mixed) == ("xa", [])


def test_a_day_that_ends_where_it_started_is_still_mixed() -> None:
    bounds = boundaries(date(2023, 1, 1), date(2023, 1, 1), BRUSSELS)
    down, up = bounds[0] + timedelta(hours=9), bounds[0] + timedelta(hours=10)
    codes, mixed, level = replay("available", [(down, "unavailable"), (up, "available")], bounds)
    assert (codes, level) == (MIXED, "available")
    assert mixed == [(23 * 3600, 0, 0, 0, 3600)]


def test_changes_at_fractions_of_seconds_still_fill_each_day_exactly() -> None:
    bounds = boundaries(date(2023, 10, 29), date(2023, 10, 29), BRUSSELS)
    at = [bounds[0] + timedelta(seconds=s) for s in (100.7, 100.9, 5000.2, 90000 - 0.4)]
    changes = list(zip(at, ["limited", "unavailable", "available", "unknown"], strict=True))
    codes, mixed, _ = replay("available", changes, bounds)
    assert codes == MIXED
    assert sum(mixed[0]) == 25 * 3600  # the day clocks go back


@pytest.mark.parametrize("before", [0.5, 0.0], ids=["in-its-last-second", "at-its-end"])
def test_today_ends_at_the_level_now_whatever_happened_in_its_last_second(before: float) -> None:
    """Today so far has whole seconds: made and taken down in the one it ends in
    (or at its very end), a subject would have counted for nothing, as absent."""
    start = day_start(date(2023, 1, 14), BRUSSELS)
    until = start + timedelta(hours=12, seconds=0.75)
    made = until - timedelta(seconds=before)
    later = until + timedelta(seconds=1)  # written after the page's moment: not yet
    changes = [(made, "available"), (made, "unavailable"), (later, "available")]
    assert replay(None, changes, [start, until])[0] == ABSENT
    codes, mixed, level = replay(None, so_far(changes, start, until), [start, until])
    assert (codes, mixed, level) == (MIXED, [(0, 0, 0, 0, 1)], "unavailable")
    earlier = [(start + timedelta(hours=1, seconds=0.5), "available")]
    assert so_far(earlier, start, until) == earlier  # not in the last second: as it was


LEVEL = st.sampled_from([*LEVELS, None])
DAY = st.dates(min_value=date(2023, 3, 20), max_value=date(2023, 4, 2)) | st.dates(
    min_value=date(2023, 10, 23), max_value=date(2023, 11, 5)
)


@st.composite
def histories(draw: st.DrawFn, zones: list[ZoneInfo]) -> tuple[ZoneInfo, list[date], Any]:
    """A zone, a run of days around a clock change, and changes at whole seconds in
    and around it, many of them close to local midnight."""
    zone = draw(st.sampled_from(zones))
    first = draw(DAY)
    days = [first + timedelta(days=i) for i in range(draw(st.integers(1, 6)))]
    start, end = day_start(days[0], zone), day_start(days[-1] + timedelta(days=1), zone)
    near_midnight = st.builds(
        lambda d, s: day_start(d, zone) + timedelta(seconds=s),
        st.sampled_from(days),
        st.integers(-3, 3),
    )
    anywhere = st.integers(0, int((end - start).total_seconds()) - 1).map(
        lambda s: start + timedelta(seconds=s)
    )
    moments = draw(st.lists(near_midnight | anywhere, max_size=12))
    changes = [(at, draw(LEVEL)) for at in sorted(m for m in moments if m >= start)]
    return zone, days, (draw(LEVEL), changes)


@given(histories([BRUSSELS, *MIDNIGHT_CHANGES]))
def test_replay_agrees_with_adding_up_the_intervals(history: Any) -> None:
    zone, days, (level, changes) = history
    bounds = boundaries(days[0], days[-1], zone)
    codes, mixed, last = replay(level, changes, bounds)
    expected = day_seconds(level, changes, days, zone)
    assert len(codes) == len(days)
    stars = iter(mixed)
    lengths = [int((b - a).total_seconds()) for a, b in pairwise(bounds)]
    for code, (length, spent), own in zip(codes, expected, lengths, strict=True):
        assert length == own
        got = seconds_of(code, length, next(stars) if code == MIXED else None)
        assert got == spent
        if code == MIXED:
            assert 0 < sum(got) <= length
            assert max(got) < length
    assert next(stars, None) is None
    assert last == (changes[-1][1] if changes else level)

"""Local days and what a subject's level did during them. Plain Python, no Django.

A *day* is a calendar day in the organisation's time zone, from local
midnight to the next: 24 hours, or 23 and 25 on the days clocks change. Its
boundaries are computed as UTC instants, because subtracting two aware
datetimes that share a zone subtracts wall-clock times and would make every
day 24 hours long.

A day is summed up in one character: the code of its level when the subject
was at that level the whole day, ``.`` when it did not exist, and ``*`` when it
was at several levels (or existed only part of the day); a ``*`` day comes
with the seconds spent at each level. Seconds are counted by flooring each
change to the whole second since the start of the day, so a day's seconds
always add up to its length exactly. Today, not over yet, has the whole
seconds it has had so far; what happened in the last of them still shows
(:func:`so_far`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# The engine's levels, from good to bad: the order of the seconds of a "*" day.
LEVELS = ("available", "limited", "unknown", "maintenance", "unavailable")
CODES = {"available": "a", "limited": "l", "unknown": "u", "maintenance": "m", "unavailable": "x"}
LEVEL_OF = {code: level for level, code in CODES.items()}
INDEX = {level: i for i, level in enumerate(LEVELS)}
ABSENT = "."
MIXED = "*"
WORKS = frozenset({"available", "limited"})  # a person gets what they came for

Change = tuple[datetime, str | None]  # (when, the level from then on; None: no longer exists)
Seconds = tuple[int, ...]  # seconds per level, in LEVELS order


def day_start(day: date, zone: ZoneInfo) -> datetime:
    """Local midnight at the start of ``day``, as a UTC instant."""
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def boundaries(first: date, last: date, zone: ZoneInfo) -> list[datetime]:
    """The UTC instants that start each day from ``first`` to ``last`` and end the last."""
    count = (last - first).days + 1
    return [day_start(first + timedelta(days=i), zone) for i in range(count + 1)]


def code(level: str | None) -> str:
    return CODES[level] if level is not None else ABSENT


def _day(
    level: str | None, changes: Sequence[Change], i: int, start: datetime, end: datetime
) -> tuple[str, Seconds, str | None, int]:
    """One day with changes in it, from change ``i`` on: its code, its seconds
    (empty unless mixed), the level at its end, and the next change's index."""
    spent = [0, 0, 0, 0, 0, 0]  # per level, and (last) while not existing
    position = 0
    while i < len(changes) and changes[i][0] < end:
        at, new = changes[i]
        moment = int((at - start).total_seconds())
        spent[INDEX[level] if level is not None else 5] += moment - position
        position, level = moment, new
        i += 1
    length = int((end - start).total_seconds())
    spent[INDEX[level] if level is not None else 5] += length - position
    if spent[5] == length:
        return ABSENT, (), level, i
    for index in range(5):
        if spent[index] == length:
            return CODES[LEVELS[index]], (), level, i
    return MIXED, tuple(spent[:5]), level, i


def replay(
    level: str | None, changes: Sequence[Change], bounds: Sequence[datetime]
) -> tuple[str, list[Seconds], str | None]:
    """What a subject did on each day between ``bounds``.

    ``level`` is where it stood just before ``bounds[0]``; ``changes`` are in
    order, none before ``bounds[0]`` (later ones than the last bound are left
    alone). Returns one code per day, the seconds of each ``*`` day in order,
    and the level at the last bound.
    """
    days = len(bounds) - 1
    codes: list[str] = []
    mixed: list[Seconds] = []
    d = i = 0
    while d < days:
        if i >= len(changes) or changes[i][0] >= bounds[days]:
            codes.append(code(level) * (days - d))
            break
        changed_on = bisect_right(bounds, changes[i][0]) - 1
        if changed_on > d:  # quiet days first: the level as it stood
            codes.append(code(level) * (changed_on - d))
            d = changed_on
        day_code, seconds, level, i = _day(level, changes, i, bounds[d], bounds[d + 1])
        codes.append(day_code)
        if seconds:
            mixed.append(seconds)
        d += 1
    return "".join(codes), mixed, level


def so_far(changes: Sequence[Change], start: datetime, until: datetime) -> list[Change]:
    """``changes`` of a day that is not over yet (today, from ``start`` to ``until``),
    ready for :func:`replay` with ``until`` as the day's end.

    Such a day is as long as the whole seconds it has had, so a change in the
    second ``until`` falls in, or at ``until`` itself, would count for nothing:
    something made or changed just now would show as it was before, or as not
    existing at all. Those changes count from the start of the day's last whole
    second instead, so the day always ends at the level things are at now.
    Changes after ``until`` are left alone (:func:`replay` leaves them out).
    """
    last = start + timedelta(seconds=max(0, int((until - start).total_seconds()) - 1))
    return [(min(at, last), new) if at <= until else (at, new) for at, new in changes]


def seconds_of(day_code: str, length: int, mixed: Seconds | None = None) -> Seconds:
    """Seconds per level of one day from its code (and its seconds when mixed)."""
    if day_code == MIXED:
        assert mixed is not None
        return mixed
    spent = [0, 0, 0, 0, 0]
    if day_code != ABSENT:
        spent[INDEX[LEVEL_OF[day_code]]] = length
    return tuple(spent)


def encode(seconds: Seconds) -> str:
    return ",".join(str(s) for s in seconds)


def decode(text: str) -> Seconds:
    return tuple(map(int, text.split(",")))

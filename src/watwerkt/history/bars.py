"""A window of days for availability bars: the stored days, then today live.

Stored days are read once per process and day (:class:`ClosedCache`); today is
computed on every read from the current state and today's events.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from itertools import accumulate, pairwise
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from .days import (
    ABSENT,
    CODES,
    INDEX,
    LEVEL_OF,
    MIXED,
    Seconds,
    boundaries,
    day_start,
    local_day,
    replay,
    seconds_of,
    so_far,
)
from .events import changes_of, events_since, level_before
from .models import DayRollup
from .rollups import Stamp, ensure_stored

DAYS = 90  # the length of the availability bars


@dataclass(frozen=True)
class Window:
    """The days an availability bar shows: closed days, then today up to ``until``."""

    days: tuple[date, ...]
    lengths: tuple[int, ...]  # seconds in each day; the last is today so far
    until: datetime

    @cached_property
    def prefix(self) -> tuple[int, ...]:
        """Seconds from the start of the window to the start of each day (and the end)."""
        return tuple(accumulate(self.lengths, initial=0))

    @property
    def first(self) -> date:
        return self.days[0]

    @property
    def today(self) -> date:
        return self.days[-1]

    def __len__(self) -> int:
        return len(self.days)


@dataclass(slots=True)
class Closed:
    """The stored days of one subject in a window (all but today), decoded.

    Stored days never change, so these are kept per process until the window
    moves or days are stored again (:class:`ClosedCache`), and ``drawn`` lets
    a renderer keep what it made of them: it never changes either.
    """

    codes: str
    mixed: dict[int, Seconds]
    drawn: Any = None


@dataclass(frozen=True, slots=True)
class Bar:
    """One subject over a window: a code per day, and the seconds of its ``*`` days."""

    codes: str
    mixed: Mapping[int, Seconds]
    closed: Closed | None = None  # the days before today, when the bar was read from storage

    def seconds(self, window: Window, index: int) -> Seconds:
        return seconds_of(self.codes[index], window.lengths[index], self.mixed.get(index))


def window(time_zone: str, now: datetime, days: int = DAYS) -> Window:
    zone = ZoneInfo(time_zone)
    today = local_day(now, zone)
    bounds = boundaries(today - timedelta(days=days - 1), today, zone)
    until = max(now, bounds[-2] + timedelta(seconds=1))  # today has begun, if only just
    lengths = [int((b - a).total_seconds()) for a, b in pairwise(bounds[:-1])]
    lengths.append(int((until - bounds[-2]).total_seconds()))
    return Window(
        tuple(today - timedelta(days=days - 1 - i) for i in range(days)), tuple(lengths), until
    )


def bars(
    org_id: int,
    time_zone: str,
    subject: str,
    current: Mapping[int, str | None],
    ids: Collection[int] = (),
    now: datetime | None = None,
    days: int = DAYS,
) -> tuple[Window, dict[int, Bar]]:
    """The last ``days`` days of every ``subject`` of the organisation (or of ``ids``).

    ``current`` gives each subject's level now (the public read model has
    it). Stores newly closed days first, so the first call after midnight
    does a little more work.
    """
    now = now or timezone.now()
    stamp = ensure_stored(org_id, time_zone, now)
    shown = window(time_zone, now, days)
    closed = closed_days.get(org_id, subject, shown.first, days - 1, stamp, ids)
    start = day_start(shown.today, ZoneInfo(time_zone))
    today = {key[1]: found for key, found in events_since(org_id, start, [subject], ids).items()}
    found = {}
    nothing = Closed(ABSENT * (days - 1), {})
    wanted = ids or set(closed) | set(current) | set(today)
    bounds, last = [start, shown.until], days - 1
    for object_id in wanted:
        part = closed.get(object_id, nothing)
        events = today.get(object_id)
        if events is None:  # most of them: as they stood, all day so far
            level = current.get(object_id)
            found[object_id] = Bar(
                part.codes + (CODES[level] if level else ABSENT), part.mixed, part
            )
            continue
        changes = so_far(changes_of(events), start, shown.until)
        now_code, now_mixed, _ = replay(level_before(events, None), changes, bounds)
        mixed = {**part.mixed, last: now_mixed[0]} if now_mixed else part.mixed
        found[object_id] = Bar(part.codes + now_code, mixed, part)
    return shown, found


class ClosedCache:
    """Decoded stored days per organisation, subject and window, kept until they change.

    Keyed by the window's first day and the organisation's :data:`Stamp`, so a
    new day, a new store or a rebuild (``--since``) in any process is seen at
    the next read; only the latest generation per organisation and subject is kept.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: dict[tuple[int, str, int], tuple[Any, dict[int, Closed]]] = {}

    def get(
        self, org_id: int, subject: str, first: date, count: int, stamp: Stamp, ids: Collection[int]
    ) -> dict[int, Closed]:
        key, generation = (org_id, subject, count), (first, stamp)
        with self._lock:
            kept = self._kept.get(key)
        if kept is not None and kept[0] == generation:
            return {i: kept[1][i] for i in ids if i in kept[1]} if ids else kept[1]
        loaded = _load_closed(org_id, subject, first, count, ids)
        if not ids:  # only a whole organisation is worth keeping
            with self._lock:
                self._kept[key] = (generation, loaded)
        return loaded

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


closed_days = ClosedCache()


def _load_closed(
    org_id: int, subject: str, first: date, count: int, ids: Collection[int]
) -> dict[int, Closed]:
    rows = DayRollup.objects.filter(organisation_id=org_id, subject=subject)
    if ids:
        rows = rows.filter(object_id__in=list(ids))
    return {
        object_id: Closed(*_closed(first_day, text, mixed, first, count))
        for object_id, first_day, text, mixed in rows.values_list(
            "object_id", "first_day", "days", "mixed"
        )
    }


def _closed(
    row_first: date, text: str, mixed: str, first: date, count: int
) -> tuple[str, dict[int, Seconds]]:
    """The ``count`` stored days of a row from ``first`` on, and their ``*`` seconds."""
    offset = (first - row_first).days
    if offset >= 0:
        part, skipped = text[offset : offset + count], text.count(MIXED, 0, offset)
    else:
        part, skipped = ABSENT * min(-offset, count) + text[: max(0, count + offset)], 0
    part = part.ljust(count, ABSENT)
    seconds: dict[int, Seconds] = {}
    index = part.find(MIXED)
    if index >= 0:
        # All the row's numbers at once (five per entry, see days.encode): decoding
        # entry by entry costs a third of a cold read.
        numbers = list(map(int, mixed.replace(";", ",").split(",")))
        at = skipped * 5
        while index >= 0:
            seconds[index] = tuple(numbers[at : at + 5])
            at += 5
            index = part.find(MIXED, index + 1)
    return part, seconds


# -- figures per day, and over a window -------------------------------------------------------

RUNS = re.compile(r"([^*])\1*|\*")  # a stretch of whole days alike, or one mixed day


def runs(codes: str) -> list[tuple[str, int, int]]:
    """``(code, first index, index after the last)`` for each stretch of whole days
    at one level (or absent), and for each ``*`` day on its own."""
    return [(m.group()[0], m.start(), m.end()) for m in RUNS.finditer(codes)]


@dataclass(frozen=True, slots=True)
class DayFigure:
    day: date
    length: int  # seconds in the day (today: so far)
    seconds: Seconds  # per level, in days.LEVELS order

    @property
    def absent(self) -> int:
        return self.length - sum(self.seconds)


def figures(shown: Window, bar: Bar) -> list[DayFigure]:
    """Every day of the window with the seconds spent per level: for APIs and tests."""
    return [
        DayFigure(day, shown.lengths[i], bar.seconds(shown, i)) for i, day in enumerate(shown.days)
    ]


def totals(shown: Window, bar: Bar) -> tuple[Seconds, int]:
    """Seconds per level over the whole window, and the seconds it did not exist."""
    spent = [0, 0, 0, 0, 0]
    prefix = shown.prefix
    for day_code, start, end in runs(bar.codes):
        if day_code == MIXED:
            for level, s in enumerate(bar.mixed[start]):
                spent[level] += s
        elif day_code != ABSENT:
            spent[INDEX[LEVEL_OF[day_code]]] += prefix[end] - prefix[start]
    return tuple(spent), prefix[-1] - sum(spent)

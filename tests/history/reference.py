"""A slow, obvious way to say what a subject did on each day, to check the fast one against.

It walks the intervals between changes and intersects each with each day,
with nothing shared with ``watwerkt.history.days`` but the level names.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LEVELS = ("available", "limited", "unknown", "maintenance", "unavailable")


def midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def intervals(
    level: str | None, changes: Sequence[tuple[datetime, str | None]], end: datetime
) -> list[tuple[datetime, datetime, str | None]]:
    """(from, to, level) pieces from the first change on; ``level`` holds before it."""
    found = []
    start = datetime.min.replace(tzinfo=UTC)
    for at, new in changes:
        found.append((start, at, level))
        start, level = at, new
    found.append((start, end, level))
    return found


def day_seconds(
    level: str | None,
    changes: Sequence[tuple[datetime, str | None]],
    days: Sequence[date],
    zone: ZoneInfo,
    until: datetime | None = None,
) -> list[tuple[int, tuple[int, ...]]]:
    """Per day: its length in seconds and the seconds spent per level (LEVELS order).

    The last day ends at ``until`` when given (today, so far; a whole second after
    its start). Then what happened in its last second, or at ``until`` itself,
    counts from the start of that second: the level now always shows."""
    if until is not None:
        last = until - timedelta(seconds=1)
        changes = [(min(at, last), new) if at <= until else (at, new) for at, new in changes]
    pieces = intervals(level, changes, datetime.max.replace(tzinfo=UTC))
    found = []
    for i, day in enumerate(days):
        start = midnight(day, zone)
        end = midnight(day + timedelta(days=1), zone)
        if until is not None and i == len(days) - 1:
            end = until
        spent = dict.fromkeys(LEVELS, 0.0)
        for a, b, lvl in pieces:
            overlap = (min(b, end) - max(a, start)).total_seconds()
            if overlap > 0 and lvl is not None:
                spent[lvl] += overlap
        found.append((round((end - start).total_seconds()), tuple(round(spent[x]) for x in LEVELS)))
    return found

"""Daily rollups: stored for closed days, derived from the status events.

Closed days never change (events are appended with the time they are
written, so nothing new can happen on a day that is over), so they are
computed once from the events and stored (:mod:`watwerkt.history.models`).
That happens lazily: the first read after midnight stores the days that
closed since the last store, under the organisation's :class:`RollupState`
lock, and ``watwerkt history rollup`` does the same from the command line
(or rebuilds from a date on). Today is never stored: :mod:`.bars` computes it
from the current state and today's events.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F, TextField, Value
from django.db.models.functions import Concat
from django.utils import timezone

from watwerkt.status.models import StatusEvent

from .days import ABSENT, MIXED, boundaries, encode, local_day, replay
from .events import changes_of, current_levels, events_since, level_before
from .models import SUBJECTS, DayRollup, RollupState


@dataclass(frozen=True)
class Stored:
    first: date | None  # the first day (re)computed; None: nothing to compute
    through: date  # the last closed day, now stored
    written: int  # rows created, changed or removed


def yesterday(time_zone: str, now: datetime) -> date:
    return local_day(now, ZoneInfo(time_zone)) - timedelta(days=1)


# (row, stored at, through, time zone, generation): changes whenever stored days do.
# The generation alone would not do: it starts again at 1 with a new RollupState,
# and a deleted organisation's id can come back (a database restored or loaded from
# a dump while processes run, an id given explicitly), so a process could take a new
# organisation's first store for the stored days of the one before; the row's id and
# the moment of storing tell them apart.
Stamp = tuple[Any, ...]
STAMP = ("pk", "stored_at", "through", "time_zone", "generation")


def ensure_stored(org_id: int, time_zone: str, now: datetime) -> Stamp:
    """Store the days that closed since the last store, if any (one query when none).

    Returns the stamp of what is stored, for caches of stored days to compare."""
    state = RollupState.objects.filter(organisation_id=org_id)
    found = state.values_list(*STAMP).first()
    if found is None or found[2:4] != (yesterday(time_zone, now), time_zone):
        store(org_id, time_zone, now=now)
        found = state.values_list(*STAMP).get()
    return tuple(found)


def store(
    org_id: int, time_zone: str, since: date | None = None, now: datetime | None = None
) -> Stored:
    """Store every closed day not stored yet; with ``since``, recompute from that day on.

    Idempotent: storing again changes nothing, and recomputing gives the same
    rows. Everything is recomputed from the first event when nothing was
    stored yet, when the organisation's time zone changed (days are cut
    differently), or when the clock went back behind what is stored.
    """
    now = now or timezone.now()
    last = yesterday(time_zone, now)
    RollupState.objects.get_or_create(
        organisation_id=org_id,
        defaults={"through": None, "time_zone": time_zone, "stored_at": now},
    )
    with transaction.atomic():
        state = RollupState.objects.select_for_update().get(organisation_id=org_id)
        first = _first_to_compute(state, time_zone, since, last, org_id)
        written = 0
        if first is not None and first <= last:
            written = _compute(org_id, ZoneInfo(time_zone), first, last)
        state.through, state.time_zone, state.stored_at = last, time_zone, now
        state.generation += 1
        state.save(update_fields=["through", "time_zone", "stored_at", "generation"])
    return Stored(first if first is not None and first <= last else None, last, written)


def _first_to_compute(
    state: RollupState, time_zone: str, since: date | None, last: date, org_id: int
) -> date | None:
    whole = state.through is None or state.time_zone != time_zone or state.through > last
    if whole:
        return first_event_day(org_id, ZoneInfo(time_zone))
    if since is not None:
        return since
    assert state.through is not None
    return state.through + timedelta(days=1)


def first_event_day(org_id: int, zone: ZoneInfo) -> date | None:
    first = (
        StatusEvent.objects.filter(organisation_id=org_id, layer="effective", subject__in=SUBJECTS)
        .order_by("at")
        .values_list("at", flat=True)
        .first()
    )
    return local_day(first, zone) if first else None


def _compute(org_id: int, zone: ZoneInfo, first: date, last: date) -> int:
    """Recompute days ``first``..``last`` of every subject; return rows written."""
    bounds = boundaries(first, last, zone)
    events = events_since(org_id, bounds[0])
    current = current_levels(org_id)
    rows = {(r.subject, r.object_id): r for r in DayRollup.objects.filter(organisation_id=org_id)}
    create, update, remove = [], [], []
    appends: dict[tuple[str, str], list[int]] = defaultdict(list)
    for key in set(events) | set(current) | set(rows):
        found = events.get(key)
        codes, mixed, _ = replay(level_before(found, current.get(key)), changes_of(found), bounds)
        row = rows.get(key)
        merged = _merge(row, first, codes, [encode(m) for m in mixed])
        if merged is None:
            if row is not None:
                remove.append(row.pk)
        elif row is None:
            create.append(
                DayRollup(organisation_id=org_id, subject=key[0], object_id=key[1], **merged)
            )
        elif _appended(row, merged):
            if len(merged["days"]) > len(row.days):
                appends[
                    (merged["days"][len(row.days) :], merged["mixed"][len(row.mixed) :])
                ].append(row.pk)
        else:
            for name, value in merged.items():
                setattr(row, name, value)
            update.append(row)
    DayRollup.objects.bulk_create(create, batch_size=1000)
    DayRollup.objects.bulk_update(update, ["first_day", "days", "mixed"], batch_size=1000)
    _append(appends)
    for start in range(0, len(remove), 1000):
        DayRollup.objects.filter(pk__in=remove[start : start + 1000]).delete()
    return len(create) + len(update) + len(remove) + sum(len(ids) for ids in appends.values())


def _appended(row: DayRollup, merged: Mapping[str, Any]) -> bool:
    """The new row is the old one with days (and seconds) added at the end."""
    return bool(
        merged["first_day"] == row.first_day
        and merged["days"].startswith(row.days)
        and merged["mixed"].startswith(row.mixed)
    )


def _append(appends: Mapping[tuple[str, str], list[int]]) -> None:
    """Add days at the end of rows, in one UPDATE for all rows that gain the same.

    Storing a newly closed day adds one character to nearly every row, and most
    rows add the same one ("a whole day available"): a handful of statements
    instead of one per row.
    """
    for (days, mixed), ids in appends.items():
        for start in range(0, len(ids), 500):
            DayRollup.objects.filter(pk__in=ids[start : start + 500]).update(
                days=Concat(F("days"), Value(days), output_field=TextField()),
                mixed=Concat(F("mixed"), Value(mixed), output_field=TextField()),
            )


def _merge(
    row: DayRollup | None, first: date, codes: str, mixed: list[str]
) -> dict[str, Any] | None:
    """A row's stored days before ``first``, then ``codes``; None when it is all absence."""
    kept, kept_mixed, start = "", [], first
    if row is not None and row.first_day < first:
        kept = row.days[: (first - row.first_day).days]
        stars = kept.count(MIXED)
        kept_mixed = row.mixed.split(";")[:stars] if stars else []
        start = row.first_day
        kept = kept.ljust((first - start).days, ABSENT)
    days = (kept + codes).rstrip(ABSENT)
    lead = len(days) - len(days.lstrip(ABSENT))
    if not days:
        return None
    return {
        "first_day": start + timedelta(days=lead),
        "days": days[lead:],
        "mixed": ";".join(kept_mixed + mixed),
    }

"""Reading the status event log: effective levels over time, and where things stood.

Where a subject stood at some moment is read *backwards* from its current
status: the ``old`` of its first event after that moment, or its current
status when there is none. So a question about the last days needs only the
events of those days, never the whole history.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import datetime, timedelta

from django.db.models import F, Min
from django.db.models.fields.json import KT

from watwerkt.status.models import EffectiveStatus, StatusEvent

from .days import Change
from .models import SUBJECTS

Key = tuple[str, int]  # (subject, object id)
Event = tuple[datetime, str | None, str | None]  # (at, old level, new level)


def events_since(
    org_id: int, moment: datetime, subjects: Iterable[str] = SUBJECTS, ids: Collection[int] = ()
) -> dict[Key, list[Event]]:
    """Every effective event at or after ``moment``, per subject, in order.

    Only the levels are read, as text the database extracts from the JSON:
    decoding whole statuses would cost more than everything else here, with
    tens of thousands of events.
    """
    first = first_id(moment)
    if first is None:
        return {}
    rows = StatusEvent.objects.filter(
        organisation_id=org_id,
        layer="effective",
        subject__in=list(subjects),
        at__gte=moment,
        id__gte=first,
    )
    if ids:
        rows = rows.filter(object_id__in=list(ids))
    rows = rows.annotate(old_level=KT("old__level"), new_level=KT("new__level"))
    found: dict[Key, list[Event]] = defaultdict(list)
    for subject, object_id, at, old, new in rows.order_by("at", "id").values_list(
        "subject", "object_id", "at", "old_level", "new_level"
    ):
        found[(subject, object_id)].append((at, old, new))
    return found


def first_id(moment: datetime) -> int | None:
    """The lowest id of the events at or after ``moment`` (of any organisation), None
    when there are none: a bound on ids that lets the database read only those events.

    Without it, SQLite picks the (organisation, layer, id) index for the events
    of one organisation since a moment and reads all of them, months of them, to
    find today's (50 ms for 65,000 events). The ``+ 0`` keeps SQLite from turning
    ``MIN(id)`` into a walk along the ids from the first one ever; this way it
    reads the index on ``at`` from ``moment`` on only.
    """
    found = StatusEvent.objects.filter(at__gte=moment).aggregate(first=Min(F("id") + 0))
    first: int | None = found["first"]
    return first


TailEvent = tuple[datetime, int, int, str | None, str | None]  # (at, id, object, old, new)


class EventTail:
    """The effective events of one kind of subject of an organisation, from some
    moment on, kept per process and brought up to date by reading only the events
    added since: the log is append-only, so what was read stays true.

    A request for an earlier moment (or one much later: the kept part is not
    worth its memory) reads again from that moment; so does a database that no
    longer has the last event read (restored from a backup, a test rolled back).
    """

    SLACK = timedelta(days=7)

    def __init__(self, subject: str) -> None:
        self.subject = subject
        self._lock = threading.Lock()
        self._kept: dict[int, tuple[datetime, list[TailEvent]]] = {}

    def since(self, org_id: int, moment: datetime) -> list[TailEvent]:
        """The subject's events at or after ``moment``, ordered by time (then id)."""
        with self._lock:
            kept = self._kept.get(org_id)
            if kept is None or not kept[0] <= moment <= kept[0] + self.SLACK or not _still(kept[1]):
                kept = (moment, self._read(org_id, moment, 0))
            else:
                last = kept[1][-1][1] if kept[1] else 0
                added = self._read(org_id, kept[0], last)
                if added:
                    events = kept[1] + added
                    if kept[1] and added[0][0] < kept[1][-1][0]:  # the clock went back
                        events.sort(key=lambda e: (e[0], e[1]))
                    kept = (kept[0], events)
            self._kept[org_id] = kept
            events = kept[1]
        return events[bisect_left(events, moment, key=lambda e: e[0]) :]

    def _read(self, org_id: int, moment: datetime, after_id: int) -> list[TailEvent]:
        if not after_id:  # a first read; later ones start after the last id read already
            first = first_id(moment)
            if first is None:
                return []
            after_id = first - 1
        rows = (
            StatusEvent.objects.filter(
                organisation_id=org_id,
                layer="effective",
                subject=self.subject,
                at__gte=moment,
                id__gt=after_id,
            )
            .annotate(old_level=KT("old__level"), new_level=KT("new__level"))
            .order_by("at", "id")
            .values_list("at", "id", "object_id", "old_level", "new_level")
        )
        return list(rows)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


def _still(events: list[TailEvent]) -> bool:
    """The last event read is still in the database, as it was."""
    if not events:
        return True
    at, pk = events[-1][0], events[-1][1]
    return StatusEvent.objects.filter(pk=pk, at=at).exists()


service_events = EventTail("service")


def current_levels(
    org_id: int, subjects: Iterable[str] = SUBJECTS, ids: Collection[int] = ()
) -> dict[Key, str]:
    rows = EffectiveStatus.objects.filter(organisation_id=org_id, subject__in=list(subjects))
    if ids:
        rows = rows.filter(object_id__in=list(ids))
    rows = rows.annotate(level=KT("value__level"))
    return {
        (subject, object_id): level
        for subject, object_id, level in rows.values_list("subject", "object_id", "level")
    }


def level_before(events: list[Event] | None, current: str | None) -> str | None:
    """Where a subject stood just before the first of ``events`` (all of them
    after the moment asked about): that event's ``old``, else where it stands now."""
    return events[0][1] if events else current


def changes_of(events: list[Event] | None) -> list[Change]:
    return [(at, new) for at, _old, new in events or ()]

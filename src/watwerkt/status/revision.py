"""The catalogue revision: one number that goes up with every write.

Public responses use it (with the moment it was taken) as their version:
ETags, page caches, the read models and the engine's graph all key on it.

Next to it, the structure number and the latest status event form a
:class:`Watermark`: how far a reader has read, for readers that follow the
status events instead of reading everything again after every write.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from django.db.models import F, Subquery

from .models import Revision, StatusEvent


class RevisionState(NamedTuple):
    """The catalogue revision and when it was taken: the version of everything public.

    Caches key on both: a database restored from a backup (or a test database
    rolled back) reuses numbers, never the moment they were taken.
    """

    number: int
    changed_at: datetime | None


def revision_state() -> RevisionState:
    row = Revision.objects.filter(pk=1).values_list("number", "changed_at").first()
    return RevisionState(*row) if row else RevisionState(0, None)


def current_revision() -> int:
    return revision_state().number


class Watermark(NamedTuple):
    """How far a reader has read: the structure number and the latest status event.

    Read *before* the data it describes, so the data is at least this new.
    Events are never deleted, so the latest event stays in the log with the
    same revision and moment; when it does not, the log is not the one the
    reader read (a database restored from a backup, a test database rolled
    back) and the reader must not build on what it holds.
    """

    structure: int
    event_id: int  # 0: there were no events yet
    event_revision: int | None
    event_at: datetime | None


def watermark() -> Watermark:
    """The current watermark, in one query."""
    structure = Revision.objects.filter(pk=1).values("structure")
    row = (
        StatusEvent.objects.order_by("-id")
        .annotate(structure=Subquery(structure))
        .values_list("structure", "id", "revision", "at")
        .first()
    )
    # Without events there is nothing to follow from, and the structure does not matter.
    return Watermark(*row) if row else Watermark(0, 0, None, None)


def still_in_log(mark: Watermark) -> bool:
    """Whether the event ``mark`` ends with is still in the log as it was then."""
    if not mark.event_id:
        return False  # nothing to recognise the log by
    found = StatusEvent.objects.filter(pk=mark.event_id).values_list("revision", "at").first()
    return found == (mark.event_revision, mark.event_at)


def mark_structure_changed() -> None:
    """Bump the structure number, inside a write that took the revision (see Revision)."""
    Revision.objects.filter(pk=1).update(structure=F("structure") + 1)


def take_revision(now: datetime) -> RevisionState:
    """The revision before this write; this write's is its number plus one.

    Reading it first (locked on PostgreSQL; SQLite's immediate transaction
    already holds the write lock) lets the engine's graph cache tell whether
    the graph it holds is this database's latest.
    """
    row = Revision.objects.select_for_update().filter(pk=1).values_list("number", "changed_at")
    found = row.first()
    previous = RevisionState(*found) if found else RevisionState(0, None)
    if found:
        Revision.objects.filter(pk=1).update(number=F("number") + 1, changed_at=now)
    else:
        Revision.objects.create(pk=1, number=1, changed_at=now)
    return previous

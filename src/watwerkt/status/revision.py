"""The catalogue revision: one number that goes up with every write.

Public responses use it (with the moment it was taken) as their version:
ETags, page caches, the read models and the engine's graph all key on it.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from django.db.models import F

from .models import Revision


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

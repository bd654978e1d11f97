"""The catalogue revision as the fast path sees it: read at most every ``interval``.

Every write bumps the one ``Revision`` row, so "is my page current?" is "is
its revision the database's?". Asking the database on every request would
cost a query per cached answer (more than the answer itself); asking it at
most every 0.5 s costs two one-row reads a second per process, and keeps
every instance within half a second of every write, with nothing to
configure and nothing else to run. (LISTEN/NOTIFY or Redis pub/sub would
push changes instead, but need a listening connection and thread per
process, do not exist on SQLite, and would still need this polling as a
fallback when the listener drops: docs/performance.md.)

When the database cannot be read, the last revision seen stays current, so
the pages of that revision go on being served through a database outage.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.db import Error as DatabaseError
from django.db import connection

from watwerkt.status.revision import RevisionState, revision_state

log = logging.getLogger(__name__)


def read_revision() -> RevisionState:
    """One indexed one-row read, outside Django's request cycle: so it tidies the
    connection up afterwards as the end of a request would (closes it when it
    is broken or past its age), but never one a transaction is using.

    SQLite is the exception: its settings close the connection after every
    request, and opening it again (with its PRAGMAs) costs 1-2 ms, twenty
    times the read. An idle autocommit SQLite connection holds no lock and
    sees every commit, so this thread keeps it, unless an error occurred.
    """
    try:
        return revision_state()
    finally:
        if not connection.in_atomic_block and (
            connection.vendor != "sqlite" or connection.errors_occurred
        ):
            connection.close_if_unusable_or_obsolete()


class RevisionClock:
    def __init__(
        self,
        interval: float,
        read: Callable[[], RevisionState] = read_revision,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.interval = interval
        self._read = read
        self._now = now
        self._lock = threading.Lock()
        self._revision: RevisionState | None = None
        self._next = 0.0  # when to read again
        self.reads = 0

    def current(self) -> RevisionState | None:
        """The revision to serve; None only when it was never read successfully."""
        if self._revision is not None and self._now() < self._next:
            return self._revision
        # One thread reads; the others go on with the revision they know
        # rather than queue behind a query (they wait only the very first time).
        if not self._lock.acquire(blocking=self._revision is None):
            return self._revision
        try:
            now = self._now()
            if self._revision is None or now >= self._next:
                self._refresh(now)
            return self._revision
        finally:
            self._lock.release()

    def _refresh(self, now: float) -> None:
        try:
            self._revision = self._read()
        except DatabaseError as exc:
            log.warning("revision check failed, serving revision %s: %s", self._revision, exc)
        self.reads += 1
        self._next = now + self.interval

    def observe(self, revision: RevisionState) -> None:
        """A render just read ``revision``: adopt it when it is newer than ours,
        so the page it stored is served at once, not after the next check."""
        with self._lock:
            if self._revision is None or revision.number > self._revision.number:
                self._revision = revision

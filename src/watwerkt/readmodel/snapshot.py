"""The snapshots this process holds: one per organisation, brought up to date on use.

Every request asks the database for the current revision (one indexed
single-row read), and a process brings its snapshot up to date when it
differs from what it holds, so several processes stay consistent without
talking to each other. When only statuses changed since (or incidents), it
follows the status events and rebuilds just what they touched
(:mod:`.follow`); otherwise it loads again (:mod:`.load`).
"""

from __future__ import annotations

import threading

from watwerkt.catalogue.models import Organisation
from watwerkt.status.revision import RevisionState, revision_state

from .follow import follow
from .load import load
from .values import OrganisationEntry, Snapshot


class SnapshotCache:
    """Per organisation, the snapshot this process last made, brought up to date on use.

    A snapshot is served only at the revision it was made for, its number
    *and* time, so a database restored from a backup (or a test database
    rolled back) never serves an old snapshot under a reused number. At any
    other revision it is followed to it when only statuses changed since
    (:func:`watwerkt.readmodel.follow.follow`), and loaded again otherwise.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._revision: RevisionState | None = None  # of the organisation list
        self._snapshots: dict[str, Snapshot] = {}
        self._organisations: tuple[OrganisationEntry, ...] | None = None
        self.loaded = 0  # snapshots read whole, and
        self.followed = 0  # snapshots followed from the one before: for tests and the bench

    def organisations(self, revision: RevisionState) -> tuple[OrganisationEntry, ...]:
        with self._lock:
            if revision != self._revision:
                self._revision, self._organisations = revision, None
            if self._organisations is None:
                self._organisations = tuple(
                    OrganisationEntry(*row)
                    for row in Organisation.objects.values_list("slug", "name", "language")
                )
                known = {o.slug for o in self._organisations}
                self._snapshots = {k: v for k, v in self._snapshots.items() if k in known}
            return self._organisations

    def get(self, slug: str, revision: RevisionState) -> Snapshot | None:
        """The snapshot of organisation ``slug`` at ``revision``; None when there is none."""
        if slug not in {o.slug for o in self.organisations(revision)}:
            return None
        with self._lock:
            held = self._snapshots.get(slug)
            if held is not None and held.revision == revision:
                return held
            found = self._brought_to(slug, held, revision)
            if found is None:  # the organisation went away since the list was read
                self._snapshots.pop(slug, None)
            else:
                self._snapshots[slug] = found
            return found

    def _brought_to(
        self, slug: str, held: Snapshot | None, revision: RevisionState
    ) -> Snapshot | None:
        if held is not None:
            followed = follow(held, revision)
            if followed is not None:
                self.followed += 1
                return followed
        self.loaded += 1
        return load(slug, revision)

    def clear(self) -> None:
        with self._lock:
            self._revision, self._snapshots, self._organisations = None, {}, None
            self.loaded = self.followed = 0


snapshots = SnapshotCache()


def current(slug: str) -> Snapshot | None:
    """The snapshot of organisation ``slug`` as of the current revision."""
    return snapshots.get(slug, revision_state())

"""The write protocol: how every write of watwerkt is made, whoever makes it.

The console, the API, the CLI, the catalogue import and (next) workers and
probes all write through :func:`writing` (statuses) or :func:`revising`
(everything else that the public may see), and none of them holds a lock or
opens a transaction of its own. A write is one transaction that

1. takes the next catalogue revision, which serialises writers: the revision
   row is locked on PostgreSQL, and SQLite's immediate transaction holds the
   database's write lock from its first statement;
2. refuses at once, before reading or changing anything, when the caller
   expected another revision (``If-Match``; :class:`RevisionMoved`);
3. lets the body read what it changes *under that lock*, change manual
   statuses or system states and record a manual event each (see
   :mod:`.services`);
4. lets the engine work out what that changes downstream, and stores each
   changed effective status with an effective event.

So the current state and the event log cannot disagree: both are written in
the same transaction, or neither is; and because the body reads under the
lock, each event's ``old`` is the previous event's ``new``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from django.db import transaction
from django.utils import timezone

from watwerkt.engine import Change, StatusGraph

from .graphs import graphs, load_inputs
from .models import SOURCES, EffectiveStatus, StatusEvent
from .paths import Described, describe
from .revision import RevisionState, mark_structure_changed, take_revision
from .values import status_to_json


@dataclass(frozen=True)
class Actor:
    """Who or what makes a change, and through which interface."""

    name: str
    source: str

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise ValueError(f"unknown source {self.source!r}")
        if not self.name:
            raise ValueError("an actor needs a name")


class RevisionMoved(Exception):
    """The catalogue is not at a revision the caller expected: someone wrote since
    the caller looked. Nothing was read or written."""

    def __init__(self, current: int) -> None:
        super().__init__(f"the catalogue is at revision {current}")
        self.current = current


@dataclass(frozen=True)
class Outcome:
    """What a write did (or a preview would do), for the caller to report.

    ``revision`` is the catalogue revision after the write: its own when it
    changed something, else the one it found (a preview: the one it looked
    at). ``manual`` counts the manual statuses and system states it changed.
    """

    changes: list[Change]
    revision: RevisionState
    changed: bool
    manual: int = 0


@dataclass
class Write:
    """One write transaction in progress. Collects events; :meth:`finish` stores them."""

    actor: Actor
    previous: RevisionState  # the revision this write starts from
    now: datetime
    note: str = ""
    changes: list[Change] = field(default_factory=list)
    changed: list[tuple[str, int]] = field(default_factory=list)
    resync: bool = False  # recompute everything at the end (the structure changed)
    touched: bool = False  # something besides statuses changed (e.g. a name)
    statuses_only: bool = False  # promised by the caller: see structural
    structure_kept: bool = False  # promised by the caller, revising(structural=False)
    events: list[StatusEvent] = field(default_factory=list)
    outcome: Outcome | None = None  # set when the write is over, committed or not
    _graph: StatusGraph | None = None

    @property
    def revision(self) -> int:
        return self.previous.number + 1

    @property
    def structural(self) -> bool:
        """Whether this write may change more than statuses (manual ones with
        their notes, system states, and what the engine derives from them).

        Such writes bump ``Revision.structure``, which tells readers that the
        status events alone no longer say what changed. Only writes opened
        with ``statuses_only`` (the functions of this module that set manual
        statuses and system states), and those opened with
        ``revising(structural=False)`` (incidents and the like, which the
        public snapshot does not read), are not; any other write is, when in doubt.
        """
        if self.resync:
            return True
        return not self.structure_kept and (self.touched or not self.statuses_only)

    @property
    def state(self) -> RevisionState:
        """This write's revision, once committed."""
        return RevisionState(self.revision, self.now)

    @property
    def graph(self) -> StatusGraph:
        if self._graph is None:
            self._graph = graphs.get(self.previous)
        return self._graph

    def graph_before_change(self) -> StatusGraph | None:
        """The engine graph to apply a change to, loaded *before* the change
        reaches the database (else a freshly loaded graph would already hold
        it and the engine would see nothing change); None when the write
        recomputes everything at the end anyway."""
        return None if self.resync else self.graph

    def event(
        self,
        subject: str,
        object_id: int,
        where: Described,
        layer: str,
        old: Any,
        new: Any,
        note: str = "",
    ) -> None:
        self.events.append(
            StatusEvent(
                at=self.now,
                revision=self.revision,
                organisation_id=where.organisation_id,
                subject=subject,
                object_id=object_id,
                path=where.path,
                layer=layer,
                source=self.actor.source,
                actor=self.actor.name,
                old=old,
                new=new,
                note=note or self.note,
            )
        )

    def finish(self) -> bool:
        """Store what the engine says; False when the write changed nothing at all."""
        if self.resync:
            self._graph = StatusGraph(load_inputs())
            self.changed = _resync(self._graph, self)
        else:
            self.changed = _store_changes(self.changes, self)
        StatusEvent.objects.bulk_create(self.events, batch_size=2000)
        return bool(self.events) or self.touched


@contextmanager
def writing(
    actor: Actor,
    note: str = "",
    *,
    statuses_only: bool = False,
    expected: Collection[int] | None = None,
) -> Iterator[Write]:
    """Run the body as one write; the engine graph follows only if it commits.

    ``expected``: the revisions the caller saw (``If-Match``); when the catalogue
    is at another, :class:`RevisionMoved` is raised before the body runs.
    ``statuses_only`` promises that the body changes nothing but manual
    statuses (with their notes) and system states, through the ``apply_*``
    functions of :mod:`.services`: see :attr:`Write.structural`. Afterwards,
    ``write.outcome`` says what the write did.
    """
    with graphs.lock:
        try:
            with transaction.atomic():
                now = timezone.now()
                write = Write(actor, take_revision(now), now, note, statuses_only=statuses_only)
                if expected is not None and write.previous.number not in expected:
                    raise RevisionMoved(write.previous.number)
                yield write
                changed = write.finish()
                if not changed:
                    # Nothing changed: keep the revision (and every ETag) as it was.
                    transaction.set_rollback(True)
                    write._graph = None
                elif write.structural:
                    mark_structure_changed()
        except BaseException:
            graphs.forget()
            raise
        write.outcome = Outcome(
            write.changes,
            write.state if changed else write.previous,
            changed,
            sum(1 for e in write.events if e.layer == "manual"),
        )
        if write._graph is not None:
            graphs.keep(write.state, write._graph)
        else:
            graphs.forget()


@contextmanager
def revising(
    actor: Actor,
    note: str = "",
    *,
    structural: bool = True,
    expected: Collection[int] | None = None,
) -> Iterator[Write]:
    """A write that changes no status (an incident, a maintenance window): one
    transaction that takes the next revision, so every public ETag changes.
    Such a write leaves the engine's graph as it was, so the graph this
    process holds carries over to the new revision instead of being reloaded.

    ``structural=False`` promises that the body changes nothing the public
    snapshot (:mod:`watwerkt.readmodel.snapshot`) reads, except when incident
    updates were published, which following it reads again at every revision.
    The structure number then stays, and snapshots are followed, not loaded
    again: see :attr:`Write.structural`. When in doubt, leave it structural.
    ``expected`` as for :func:`writing`.
    """
    with writing(actor, note, expected=expected) as write:
        write.touched = True
        write.structure_kept = not structural
        write._graph = graphs.peek(write.previous)
        yield write


# -- storing what the engine says -----------------------------------------------------


def _store_changes(changes: Iterable[Change], write: Write) -> list[tuple[str, int]]:
    wanted: dict[tuple[str, int], Any] = {}
    for change in changes:
        key = (change.subject, cast(int, change.key))
        wanted[key] = status_to_json(change.after) if change.after is not None else None
    return _write_effective(wanted, write) if wanted else []


def _resync(graph: StatusGraph, write: Write) -> list[tuple[str, int]]:
    """Compare every effective status with what is stored; store the differences."""
    stored = {
        (row.subject, row.object_id): row.value
        for row in EffectiveStatus.objects.only("subject", "object_id", "value")
    }
    wanted: dict[tuple[str, int], Any] = {}
    for subject, statuses in graph.snapshot().items():
        for key, status in statuses.items():
            value = status_to_json(status)
            if stored.pop((subject, cast(int, key)), None) != value:
                wanted[(subject, cast(int, key))] = value
    for gone in stored:  # subjects removed from the catalogue
        wanted[gone] = None
    return _write_effective(wanted, write)


def _write_effective(wanted: dict[tuple[str, int], Any], write: Write) -> list[tuple[str, int]]:
    by_subject: dict[str, list[int]] = {}
    for subject, object_id in wanted:
        by_subject.setdefault(subject, []).append(object_id)
    rows = {
        (r.subject, r.object_id): r
        for subject, ids in by_subject.items()
        for r in EffectiveStatus.objects.filter(subject=subject, object_id__in=ids)
    }
    described = {s: describe(s, ids) for s, ids in by_subject.items()}
    for subject, ids in by_subject.items():
        gone = [i for i in ids if i not in described[subject]]
        if gone:
            described[subject].update(_last_known(subject, gone))
    to_create, to_update, to_delete, changed = [], [], [], []
    for (subject, object_id), value in sorted(wanted.items()):
        row = rows.get((subject, object_id))
        old = row.value if row else None
        if old == value:
            continue
        changed.append((subject, object_id))
        where = described[subject].get(object_id) or Described(None, f"{subject}:{object_id}")
        write.event(subject, object_id, where, "effective", old, value)
        if value is None:
            if row:
                to_delete.append(row.pk)
        elif row is None:
            to_create.append(
                EffectiveStatus(
                    subject=subject,
                    object_id=object_id,
                    organisation_id=where.organisation_id,
                    value=value,
                    revision=write.revision,
                    changed_at=write.now,
                )
            )
        else:
            row.value, row.revision, row.changed_at = value, write.revision, write.now
            to_update.append(row)
    EffectiveStatus.objects.bulk_create(to_create, batch_size=2000)
    EffectiveStatus.objects.bulk_update(
        to_update, ["value", "revision", "changed_at"], batch_size=2000
    )
    EffectiveStatus.objects.filter(pk__in=to_delete).delete()
    return changed


def _last_known(subject: str, ids: list[int]) -> dict[int, Described]:
    """Where subjects that no longer exist were, according to their last events."""
    found: dict[int, Described] = {}
    rows = StatusEvent.objects.filter(subject=subject, object_id__in=ids).order_by("id")
    for object_id, org_id, path in rows.values_list("object_id", "organisation_id", "path"):
        found[object_id] = Described(org_id, path)
    return found

"""Every status write goes through here: CLI, catalogue import, console, API, probes.

A write is one transaction that

1. takes the next catalogue revision (which also serialises writers),
2. changes manual statuses or system states and records a manual event each,
3. lets the engine work out what that changes downstream, and
4. stores each changed effective status with an effective event.

So the current state and the event log cannot disagree: both are written in
the same transaction, or neither is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, cast

from django.db import transaction
from django.utils import timezone

from watwerkt.catalogue.models import FunctionChannel, System
from watwerkt.engine import Change, Expected, StatusGraph, SystemState
from watwerkt.lib.bulk import bulk_update

from .graphs import graphs, load_inputs
from .models import SOURCES, EffectiveStatus, StatusEvent
from .paths import Described, describe
from .revision import RevisionState, mark_structure_changed, revision_state, take_revision
from .values import (
    ManualStatus,
    expected_from_json,
    expected_to_json,
    manual_from_row,
    status_to_json,
    system_state_json,
)


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
def writing(actor: Actor, note: str = "", *, statuses_only: bool = False) -> Iterator[Write]:
    """Run the body as one write; the engine graph follows only if it commits.

    ``statuses_only`` promises that the body changes nothing but manual
    statuses (with their notes) and system states, through this module's
    ``apply_*`` functions: see :attr:`Write.structural`.
    """
    with graphs.lock:
        try:
            with transaction.atomic():
                now = timezone.now()
                write = Write(actor, take_revision(now), now, note, statuses_only=statuses_only)
                yield write
                if not write.finish():
                    # Nothing changed: keep the revision (and every ETag) as it was.
                    transaction.set_rollback(True)
                    write._graph = None
                elif write.structural:
                    mark_structure_changed()
        except BaseException:
            graphs.forget()
            raise
        if write._graph is not None:
            graphs.keep(write.state, write._graph)
        else:
            graphs.forget()


@contextmanager
def revising(actor: Actor, note: str = "", *, structural: bool = True) -> Iterator[Write]:
    """A write that changes no status (an incident, a maintenance window): one
    transaction that takes the next revision, so every public ETag changes.
    Such a write leaves the engine's graph as it was, so the graph this
    process holds carries over to the new revision instead of being reloaded.

    ``structural=False`` promises that the body changes nothing the public
    snapshot (:mod:`watwerkt.readmodel.snapshot`) reads, except when incident
    updates were published, which following it reads again at every revision.
    The structure number then stays, and snapshots are followed, not loaded
    again: see :attr:`Write.structural`. When in doubt, leave it structural.
    """
    with writing(actor, note) as write:
        write.touched = True
        write.structure_kept = not structural
        write._graph = graphs.peek(write.previous)
        yield write


# -- manual statuses of function x channel items --------------------------------


def set_status(
    items: Sequence[FunctionChannel], status: ManualStatus, actor: Actor, note: str = ""
) -> list[Change]:
    """Give ``items`` a new manual status; return everything that changed."""
    if not items:
        raise ValueError("no function x channel to set")
    with writing(actor, note, statuses_only=True) as write:
        for item in items:
            apply_manual(write, item, status)
    return write.changes


MANUAL_FIELDS = ["level", "qualifiers", "since", "expected", "pinned", "note"]


def _next_manual(old: ManualStatus, status: ManualStatus, now: datetime) -> ManualStatus:
    """``status`` with its ``since``: as given, else kept while the level stays
    (also when it was never set: restating a level is no news), else now. In
    UTC, as the database gives it back, so that the same moment written in
    another time zone is no change."""
    since = status.since
    if since is None:
        since = old.since if old.level == status.level else now
    return replace(status, since=since.astimezone(UTC) if since else None)


def _put_manual(item: FunctionChannel, new: ManualStatus) -> None:
    item.level = new.level.word
    item.qualifiers = [q.to_json() for q in new.qualifiers]
    item.since = new.since
    item.expected = expected_to_json(new.expected)
    item.pinned = new.pinned
    item.note = new.note


def apply_manual(write: Write, item: FunctionChannel, status: ManualStatus) -> bool:
    """Store ``status`` on ``item`` inside ``write``; False when nothing changes.

    ``since`` defaults to the moment the level changed: kept when only the
    qualifiers, note or expected return change, set to now when the level does.
    """
    old = manual_from_row(item)
    new = _next_manual(old, status, write.now)
    if new.to_json() == old.to_json():
        return False
    graph = write.graph_before_change()
    _put_manual(item, new)
    item.save(update_fields=MANUAL_FIELDS)
    where = describe("item", [item.pk])[item.pk]
    write.event("item", item.pk, where, "manual", old.to_json(), new.to_json())
    if graph is not None:
        write.changes.extend(graph.set_item(item.pk, new.engine()))
    return True


# -- systems -----------------------------------------------------------------------


@dataclass(frozen=True)
class SystemChange:
    state: SystemState
    since: datetime | None = None
    expected: Expected | None = None
    note: dict[str, str] = field(default_factory=dict)


def _system_json(system: System) -> dict[str, Any]:
    return system_state_json(
        SystemState.parse(system.state),
        system.since,
        expected_from_json(system.expected),
        system.note,
    )


def set_system(system: System, change: SystemChange, actor: Actor, note: str = "") -> list[Change]:
    """Set a system's own state; return everything that changed because of it."""
    with writing(actor, note, statuses_only=True) as write:
        apply_system(write, system, change)
    return write.changes


def _system_since(system: System, change: SystemChange, now: datetime) -> datetime | None:
    """As :func:`_next_manual`; a system that is up has no since of its own."""
    since = change.since
    if since is None:
        same = system.state == change.state.word
        since = system.since if same else (None if change.state == SystemState.UP else now)
    return since.astimezone(UTC) if since else None


SYSTEM_FIELDS = ["state", "since", "expected", "note"]


def _put_system(
    system: System, change: SystemChange, now: datetime
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Set ``change`` on ``system`` (not saved); return its state before and after."""
    old = _system_json(system)
    system.since = _system_since(system, change, now)
    system.state = change.state.word
    system.expected = expected_to_json(change.expected)
    system.note = change.note
    return old, _system_json(system)


def apply_system(write: Write, system: System, change: SystemChange) -> bool:
    """Store ``change`` on ``system`` inside ``write``; False when nothing changes."""
    old, new = _put_system(system, change, write.now)
    if new == old:
        return False
    graph = write.graph_before_change()
    system.save(update_fields=SYSTEM_FIELDS)
    where = describe("system", [system.pk])[system.pk]
    write.event("system", system.pk, where, "manual", old, new)
    if graph is not None:
        write.changes.extend(
            graph.set_system(system.pk, change.state, system.since, change.expected)
        )
    return True


def preview_system(system: System, change: SystemChange) -> list[Change]:
    """What :func:`set_system` would change, computed without writing anything."""
    with graphs.lock:
        graph = graphs.get(revision_state())
        since = change.since or (None if change.state == SystemState.UP else timezone.now())
        return graph.preview_system(system.pk, change.state, since, change.expected)


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


def recompute(actor: Actor, note: str = "") -> list[tuple[str, int]]:
    """Recompute everything from scratch and store what differs (a repair tool;
    also what a catalogue import does after changing structure)."""
    with writing(actor, note) as write:
        write.resync = True
    return write.changed


# -- many at once: the catalogue import ------------------------------------------


def apply_manual_many(write: Write, wanted: Iterable[tuple[FunctionChannel, ManualStatus]]) -> int:
    """:func:`apply_manual` for many items: one bulk update and one lookup of
    event paths instead of two queries per item; still one manual event per
    changed item. Returns how many changed."""
    changed = []
    for item, status in wanted:
        old = manual_from_row(item)
        new = _next_manual(old, status, write.now)
        if new.to_json() != old.to_json():
            _put_manual(item, new)
            changed.append((item, old, new))
    graph = write.graph_before_change() if changed else None
    bulk_update([item for item, _, _ in changed], MANUAL_FIELDS)
    where = _describe_many("item", [item.pk for item, _, _ in changed])
    for item, old, new in changed:
        write.event("item", item.pk, where[item.pk], "manual", old.to_json(), new.to_json())
        if graph is not None:
            write.changes.extend(graph.set_item(item.pk, new.engine()))
    return len(changed)


def apply_system_many(write: Write, wanted: Iterable[tuple[System, SystemChange]]) -> int:
    """:func:`apply_system` for many systems, as :func:`apply_manual_many`."""
    changed = []
    for system, change in wanted:
        old, new = _put_system(system, change, write.now)
        if new != old:
            changed.append((system, old, new, change))
    graph = write.graph_before_change() if changed else None
    bulk_update([system for system, *_ in changed], SYSTEM_FIELDS)
    where = _describe_many("system", [system.pk for system, *_ in changed])
    for system, old, new, change in changed:
        write.event("system", system.pk, where[system.pk], "manual", old, new)
        if graph is not None:
            write.changes.extend(
                graph.set_system(system.pk, change.state, system.since, change.expected)
            )
    return len(changed)


def _describe_many(subject: str, ids: list[int], chunk: int = 5000) -> dict[int, Described]:
    # Chunks keep each query under the database's limit on parameters.
    found: dict[int, Described] = {}
    for start in range(0, len(ids), chunk):
        found.update(describe(subject, ids[start : start + chunk]))
    return found

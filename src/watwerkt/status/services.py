"""Setting manual statuses and system states: what the console, the API, the CLI,
the catalogue import and probes call.

Each function here is one write through :func:`.writing.writing`: it reads the
items or systems it changes again *inside* the write, under its lock, so the
event it records starts from what is stored, not from what the caller read
before someone else's write; then the engine works out what follows. Callers
pass what they want set and, for ``If-Match``, the revisions they expect; they
get an :class:`~.writing.Outcome` back and hold no lock of their own.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from django.utils import timezone

from watwerkt.catalogue.models import FunctionChannel, System
from watwerkt.engine import Expected, SystemState
from watwerkt.lib.bulk import bulk_update

from .graphs import graphs
from .paths import Described, describe
from .revision import revision_state
from .values import (
    ManualStatus,
    expected_from_json,
    expected_to_json,
    manual_from_row,
    system_state_json,
)
from .writing import Actor, Outcome, RevisionMoved, Write, writing

# -- manual statuses of function x channel items --------------------------------


MANUAL_FIELDS = ["level", "qualifiers", "since", "expected", "pinned", "note"]
SYSTEM_FIELDS = ["state", "since", "expected", "note"]


def set_status(
    items: Sequence[FunctionChannel],
    status: ManualStatus,
    actor: Actor,
    note: str = "",
    *,
    expected: Collection[int] | None = None,
) -> Outcome:
    """Give ``items`` a new manual status; say what changed because of it.

    ``items`` are read again under the write's lock (and left holding what is
    stored after it), so concurrent writers each start from the other's result.
    """
    if not items:
        raise ValueError("no function x channel to set")
    with writing(actor, note, statuses_only=True, expected=expected) as write:
        _reread(items, MANUAL_FIELDS)
        for item in items:
            apply_manual(write, item, status)
    assert write.outcome is not None
    return write.outcome


def _reread(rows: Sequence[FunctionChannel] | Sequence[System], fields: list[str]) -> None:
    """Refresh ``fields`` of ``rows`` from the database, locking them (PostgreSQL)."""
    model = type(rows[0])
    stored = {
        row["pk"]: row
        for row in model._default_manager.select_for_update()
        .filter(pk__in=[r.pk for r in rows])
        .values("pk", *fields)
    }
    for row in rows:
        found = stored.get(row.pk)
        if found is None:
            raise model.DoesNotExist(f"{model.__name__} {row.pk} was removed")
        for name in fields:
            setattr(row, name, found[name])


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


def set_system(
    system: System,
    change: SystemChange,
    actor: Actor,
    note: str = "",
    *,
    expected: Collection[int] | None = None,
) -> Outcome:
    """Set a system's own state (read again under the write's lock, as
    :func:`set_status` does); say what changed because of it."""
    with writing(actor, note, statuses_only=True, expected=expected) as write:
        _reread([system], SYSTEM_FIELDS)
        apply_system(write, system, change)
    assert write.outcome is not None
    return write.outcome


def _system_since(system: System, change: SystemChange, now: datetime) -> datetime | None:
    """As :func:`_next_manual`; a system that is up has no since of its own."""
    since = change.since
    if since is None:
        same = system.state == change.state.word
        since = system.since if same else (None if change.state == SystemState.UP else now)
    return since.astimezone(UTC) if since else None


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


def preview_system(
    system: System, change: SystemChange, *, expected: Collection[int] | None = None
) -> Outcome:
    """What :func:`set_system` would change, computed without writing anything, at
    the revision in the outcome (:class:`~.writing.RevisionMoved` when ``expected``
    does not hold it)."""
    with graphs.lock:
        revision = revision_state()
        if expected is not None and revision.number not in expected:
            raise RevisionMoved(revision.number)
        graph = graphs.get(revision)
        since = change.since or (None if change.state == SystemState.UP else timezone.now())
        changes = graph.preview_system(system.pk, change.state, since, change.expected)
    return Outcome(changes, revision, changed=False)


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

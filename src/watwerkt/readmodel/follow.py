"""Following a status change: the next revision's snapshot, built from the last one.

Almost every write during a crisis sets a status (an item's manual status, a
system going down or up). Such a write changes a few effective statuses and
the public notes of the items it set, nothing else, and its status events
name each of them. So rather than reading a whole organisation again, this
reads those events, reads the current rows of what they touched, and rebuilds
the items, functions, services and domains above them, reusing every other
(frozen) object of the snapshot it starts from. The cost follows what
changed, not the size of the catalogue.

It answers exactly what a full load would (a test compares the two after
every kind of write), and when it cannot be sure of that it answers None, and
the caller loads whole:

- the structure number moved: some write changed more than statuses and
  incidents (whose only mark on the snapshot, the latest published update,
  is read again every time);
- the event the snapshot was read up to is gone or different: this is not
  the log the snapshot was read from (a restored or rolled-back database);
- too many events since: then the full load is about as quick, and one way
  of loading is easier to trust than two;
- a touched status is not where the snapshot has it.

Reading current rows, not the events' values, makes an event applied twice
harmless: a snapshot's data may already be newer than its watermark.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import replace
from datetime import datetime

from watwerkt.catalogue.models import FunctionChannel
from watwerkt.catalogue.models import Service as ServiceRow
from watwerkt.status.models import EffectiveStatus, StatusEvent
from watwerkt.status.revision import RevisionState, Watermark, still_in_log, watermark

from .load import changes_since, cited_by, newest_first, service_changes, system_infos
from .values import (
    UNKNOWN_STATUS,
    Domain,
    Function,
    Item,
    Service,
    ServiceChange,
    Snapshot,
    StatusValue,
    Texts,
)

# Past this many of its organisation's events, a snapshot is loaded whole
# instead: at least FOLLOW_AT_LEAST, else half an event per service (a system
# that takes down a fifth of a 5,000-service city writes about 2,000 events).
FOLLOW_AT_LEAST = 200
FOLLOW_PER_SERVICE = 0.5

Key = tuple[str, int]  # (subject, object id), as the status events name them
CHUNK = 5000  # ids per query, under every database's limit on parameters


def follow_limit(snapshot: Snapshot) -> int:
    return max(FOLLOW_AT_LEAST, int(len(snapshot.services) * FOLLOW_PER_SERVICE))


def follow(old: Snapshot, revision: RevisionState) -> Snapshot | None:
    """``old`` brought to ``revision`` through the status events written since;
    None when that cannot be done safely (load the snapshot whole then)."""
    mark = watermark()  # before the data, as load() reads it
    if old.watermark is None or not _continues(old, revision, old.watermark, mark):
        return None
    touched = _touched(old, old.watermark, mark)
    if touched is None:
        return None
    return _Rebuild(old, touched).snapshot(revision, mark)


def _continues(old: Snapshot, revision: RevisionState, then: Watermark, now: Watermark) -> bool:
    """Whether everything written since ``then`` is in the status events after it."""
    return (
        revision.number > old.revision.number
        and now.structure == then.structure
        and now.event_id >= then.event_id
        and still_in_log(then)
    )


def _touched(old: Snapshot, then: Watermark, now: Watermark) -> set[Key] | None:
    """What the organisation's events between the two watermarks name; None when too many."""
    limit = follow_limit(old)
    rows = (
        StatusEvent.objects.filter(
            organisation_id=old.organisation.id,
            # Every layer: named, so the index on (organisation, layer, id) serves the range.
            layer__in=["manual", "effective"],
            id__gt=then.event_id,
            id__lte=now.event_id,
        )
        .order_by()
        .values_list("subject", "object_id")
    )
    events = list(rows[: limit + 1])
    if len(events) > limit:
        return None
    # A system's own state is not in the snapshot; what it changes has events of its own.
    return {(subject, object_id) for subject, object_id in events if subject != "system"}


class _Rebuild:
    """The touched statuses and notes, read again, and the objects above them built anew."""

    def __init__(self, old: Snapshot, touched: set[Key]) -> None:
        self.old = old
        self.touched = touched
        self.statuses = _current_statuses(old.organisation.id, touched)
        places = _item_places({pk for subject, pk in touched if subject == "item"})
        self.notes = {pk: note for pk, (_, _, _, note) in places.items()}
        self.functions = {function for function, _, _, _ in places.values()}
        holding = {service for _, service, _, _ in places.values()}
        own = {pk for subject, pk in touched if subject == "service"}
        self.services = holding | own
        self.domains = (
            {domain for _, _, domain, _ in places.values()}
            | _service_domains(own - holding)
            | {pk for subject, pk in touched if subject == "domain"}
        )
        self.visited: set[Key] = set()
        self.counts = Counter(old.cited)

    def snapshot(self, revision: RevisionState, mark: Watermark) -> Snapshot | None:
        """The new snapshot; None when a touched status is not where the old one has it."""
        old = self.old
        domains = tuple(self._domain(d) if d.id in self.domains else d for d in old.domains)
        status = self._status("organisation", old.organisation.id, old.status)
        if self.visited != self.touched:
            return None
        since = changes_since(old.organisation.id, revision)
        cited = {pk: n for pk, n in self.counts.items() if n > 0}
        kept = {pk: info for pk, info in old.systems.items() if pk in cited}
        return replace(
            old,
            revision=revision,
            status=status,
            domains=domains,
            systems=kept | system_infos(pk for pk in cited if pk not in old.systems),
            changes=_changes(old, self.touched, since, revision),
            changes_since=since,
            watermark=mark,
            cited=cited,
        )

    def _status(self, subject: str, pk: int, before: StatusValue) -> StatusValue:
        key = (subject, pk)
        if key not in self.touched:
            return before
        self.visited.add(key)
        after = self.statuses.get(key, UNKNOWN_STATUS)
        self.counts.subtract(cited_by(before))
        self.counts.update(cited_by(after))
        return after

    def _domain(self, old: Domain) -> Domain:
        services = tuple(self._service(s) if s.id in self.services else s for s in old.services)
        return replace(old, status=self._status("domain", old.id, old.status), services=services)

    def _service(self, old: Service) -> Service:
        functions = tuple(self._function(f) if f.id in self.functions else f for f in old.functions)
        status = self._status("service", old.id, old.status)
        return replace(
            old,
            status=status,
            functions=functions,
            items=tuple(i for f in functions for i in f.items),
            level=str(status["level"]),
        )

    def _function(self, old: Function) -> Function:
        return replace(old, items=tuple(self._item(i) for i in old.items))

    def _item(self, old: Item) -> Item:
        if old.id not in self.notes:  # not touched (or gone, and then never visited)
            return old
        status = self._status("item", old.id, old.status)
        return replace(old, status=status, note=self.notes[old.id], level=str(status["level"]))


def _changes(
    old: Snapshot, touched: set[Key], since: datetime | None, revision: RevisionState
) -> tuple[ServiceChange, ...]:
    """The service changes in the new window, (since, revision time], worked out
    again only for the services whose events in it may differ from the old
    window's: those named by the new events, and those with an event where the
    two windows differ (both ends move: the lower one is 24 hours back, or the
    latest published update). Every other service keeps its entry, or its absence.
    """
    org, until = old.organisation.id, revision.changed_at
    if since is None or until is None or old.changes_since is None or old.as_of is None:
        return service_changes(org, since, until)
    moved = {pk for subject, pk in touched if subject == "service"}
    moved |= _services_with_events_between(org, old.changes_since, since)
    moved |= _services_with_events_between(org, old.as_of, until)
    kept = [c for c in old.changes if c.service_id not in moved]
    redone = [c for ids in _chunks(moved) for c in service_changes(org, since, until, ids)]
    return newest_first([*kept, *redone])


def _services_with_events_between(org_id: int, one: datetime, other: datetime) -> set[int]:
    """Services of the organisation with an effective event after the earlier moment
    and at or before the later one."""
    if one == other:
        return set()
    # Only the time range in SQL, so that the index on `at` serves it: given the
    # organisation too, SQLite prefers the organisation's index, and reads all its events.
    rows = StatusEvent.objects.filter(at__gt=min(one, other), at__lte=max(one, other)).order_by()
    return {
        object_id
        for organisation_id, layer, subject, object_id in rows.values_list(
            "organisation_id", "layer", "subject", "object_id"
        )
        if (organisation_id, layer, subject) == (org_id, "effective", "service")
    }


def _chunks(ids: Collection[int]) -> Iterator[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _current_statuses(org_id: int, keys: set[Key]) -> dict[Key, StatusValue]:
    """The stored effective status of each of ``keys`` that has one (in the
    organisation, as load() reads them)."""
    by_subject: dict[str, set[int]] = {}
    for subject, pk in keys:
        by_subject.setdefault(subject, set()).add(pk)
    found: dict[Key, StatusValue] = {}
    for subject, ids in by_subject.items():
        for chunk in _chunks(ids):
            # By subject and id, so their unique index serves it (SQLite would take
            # the organisation's index if asked for it, and read all its statuses).
            rows = EffectiveStatus.objects.filter(subject=subject, object_id__in=chunk)
            for pk, org, value in rows.values_list("object_id", "organisation_id", "value"):
                if org == org_id:
                    found[(subject, pk)] = value
    return found


def _item_places(ids: set[int]) -> dict[int, tuple[int, int, int, Texts]]:
    """Per item: its function, service and domain, and its current public note."""
    found: dict[int, tuple[int, int, int, Texts]] = {}
    for chunk in _chunks(ids):
        rows = FunctionChannel.objects.filter(pk__in=chunk).values_list(
            "id", "function_id", "function__service_id", "function__service__domain_id", "note"
        )
        for pk, function_id, service_id, domain_id, note in rows:
            found[pk] = (function_id, service_id, domain_id, note or {})
    return found


def _service_domains(ids: set[int]) -> set[int]:
    found: set[int] = set()
    for chunk in _chunks(ids):
        found.update(ServiceRow.objects.filter(pk__in=chunk).values_list("domain_id", flat=True))
    return found

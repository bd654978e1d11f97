"""The public read model: everything the public side shows, as plain values.

One :class:`Snapshot` holds one organisation as of one catalogue revision:
domains, services, functions, channels, items with their effective status,
alternatives, instructions, measures, the recent service changes and the
names of the systems that explanations may mention. Pages, the press
overview and (later) the public APIs all read from it; nothing here writes.

Loading takes a fixed handful of queries whatever the size of the catalogue.
Snapshots are kept in-process per revision: every request asks the database
for the current revision (one indexed single-row read), and a process brings
its snapshot up to date when it differs from what it holds, so several
processes stay consistent without talking to each other. When only statuses
changed since (or incidents), it follows the status events and rebuilds just what they
touched (:mod:`watwerkt.public.follow`); otherwise it loads again.

What is *not* loaded is as deliberate as what is: system notes, recovery
plans, event actors and notes, and the names of systems not marked public
never enter the read model, so no public output can leak them.
"""

from __future__ import annotations

import gc
import threading
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.db.models import Max, Q

from watwerkt.catalogue.models import (
    Alternative as AlternativeRow,
)
from watwerkt.catalogue.models import (
    Channel as ChannelRow,
)
from watwerkt.catalogue.models import (
    Domain as DomainRow,
)
from watwerkt.catalogue.models import (
    Function as FunctionRow,
)
from watwerkt.catalogue.models import (
    FunctionChannel,
    Organisation,
    System,
)
from watwerkt.catalogue.models import (
    Instruction as InstructionRow,
)
from watwerkt.catalogue.models import (
    Measure as MeasureRow,
)
from watwerkt.catalogue.models import (
    Service as ServiceRow,
)
from watwerkt.incidents.models import IncidentUpdate
from watwerkt.status.models import EffectiveStatus, StatusEvent
from watwerkt.status.revision import RevisionState, Watermark, revision_state, watermark

Texts = Mapping[str, str]  # {"nl": "...", "fr": "..."}
StatusValue = Mapping[str, Any]  # the stored form, see watwerkt.status.values.status_to_json

# A status for something the engine has not (yet) computed: say so, don't guess.
UNKNOWN_STATUS: StatusValue = {
    "level": "unknown",
    "qualifiers": [],
    "since": None,
    "expected": None,
    "derived": False,
    "pinned": False,
    "causes": [],
    "counts": {},
}

# How far back "changed since the previous update" looks; see previous_update().
CHANGES_WINDOW = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class Channel:
    id: int
    slug: str
    kind: str
    name: Texts
    position: int


@dataclass(frozen=True, slots=True)
class Alternative:
    kind: str
    text: Texts
    channel: Channel | None
    url: str
    phone: str
    email: str
    hours: Texts
    function_id: int | None  # narrowed to one function (every channel)
    item_id: int | None  # narrowed to one function x channel


@dataclass(frozen=True, slots=True)
class Note:
    """An instruction or a measure: a kind and a text, optionally narrowed."""

    kind: str
    text: Texts
    function_id: int | None
    item_id: int | None


@dataclass(frozen=True, slots=True)
class Item:
    """A function as reached through one channel (``channel`` None: any channel)."""

    id: int
    function_id: int
    channel: Channel | None
    status: StatusValue
    note: Texts
    level: str  # status["level"], read often enough to keep at hand


@dataclass(frozen=True, slots=True)
class Function:
    id: int
    slug: str
    name: Texts
    items: tuple[Item, ...]

    @property
    def implicit(self) -> bool:
        return self.slug == ""


@dataclass(frozen=True, slots=True)
class Service:
    id: int
    slug: str
    name: Texts
    description: Texts
    url: str
    keywords: tuple[str, ...]
    audience: tuple[str, ...]
    domain_id: int
    status: StatusValue
    functions: tuple[Function, ...]
    alternatives: tuple[Alternative, ...]
    instructions: tuple[Note, ...]
    measures: tuple[Note, ...]
    items: tuple[Item, ...]  # every function's items, in order
    level: str  # status["level"]


@dataclass(frozen=True, slots=True)
class Domain:
    id: int
    slug: str
    name: Texts
    status: StatusValue
    services: tuple[Service, ...]


@dataclass(frozen=True, slots=True)
class SystemInfo:
    """What the public side may know of a system: its name only when it is public."""

    name: Texts
    public: bool


@dataclass(frozen=True, slots=True)
class ServiceChange:
    """A service's effective status moving from ``before`` to ``after`` at ``at``."""

    service_id: int
    at: datetime
    before: StatusValue
    after: StatusValue


@dataclass(frozen=True, slots=True)
class OrganisationInfo:
    id: int
    slug: str
    name: Texts
    language: str
    time_zone: str
    url: str


@dataclass(frozen=True)
class Snapshot:
    revision: RevisionState
    organisation: OrganisationInfo
    status: StatusValue
    domains: tuple[Domain, ...]
    alternatives: tuple[Alternative, ...]  # organisation-wide
    instructions: tuple[Note, ...]
    measures: tuple[Note, ...]
    systems: Mapping[int, SystemInfo]
    changes: tuple[ServiceChange, ...]  # most recent first
    changes_since: datetime | None
    # What following the next status change needs (watwerkt.public.follow), not content:
    # how far the data reaches, and how many statuses cite each system in `systems`.
    watermark: Watermark | None = field(default=None, compare=False, repr=False)
    cited: Mapping[int, int] = field(default_factory=dict, compare=False, repr=False)
    services: Mapping[str, Service] = field(init=False)

    def __post_init__(self) -> None:
        by_slug = {s.slug: s for d in self.domains for s in d.services}
        object.__setattr__(self, "services", by_slug)

    @property
    def as_of(self) -> datetime | None:
        return self.revision.changed_at

    def service(self, slug: str) -> Service | None:
        return self.services.get(slug)

    def service_by_id(self) -> dict[int, Service]:
        return {s.id: s for s in self.services.values()}


def previous_update(organisation_id: int, as_of: datetime) -> datetime:
    """The moment of the update before the current one, for "changed since the previous update".

    The latest incident update the organisation published before ``as_of``;
    without one, what the public saw one :data:`CHANGES_WINDOW` before the
    latest revision (so the list shows every service whose status changed in
    the 24 hours up to the "as of" time). Strictly before: right after an
    update is published, the list shows what changed since the one before it.
    """
    latest = IncidentUpdate.objects.filter(
        incident__organisation_id=organisation_id, published_at__lt=as_of
    ).aggregate(latest=Max("published_at"))["latest"]
    return latest if latest is not None else as_of - CHANGES_WINDOW


# -- loading ------------------------------------------------------------------------


@contextmanager
def no_gc_pauses() -> Iterator[None]:
    """Building tens of thousands of small objects sets off the cycle collector
    again and again, each time walking the whole heap, for nothing: these
    objects hold no cycles and refcounting frees them. It runs again after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load(organisation_slug: str, revision: RevisionState | None = None) -> Snapshot | None:
    """Read one organisation as of ``revision`` (taken now when not given).

    The revision is read *before* the data, so a snapshot is never labelled
    newer than its contents; at worst it is labelled older, and the next
    request, seeing a newer revision, loads again. So is the watermark, which
    says how far in the status events the data reaches.
    """
    with no_gc_pauses():
        return _load(organisation_slug, revision or revision_state())


def _load(organisation_slug: str, revision: RevisionState) -> Snapshot | None:
    mark = watermark()
    org = (
        Organisation.objects.filter(slug=organisation_slug)
        .values("id", "slug", "name", "language", "time_zone", "url")
        .first()
    )
    if org is None:
        return None
    info = OrganisationInfo(**org)
    statuses = _statuses(info.id)
    channels = _channels(info.id)
    alternatives = _alternatives(info.id, channels)
    instructions, measures = _notes(InstructionRow, info.id), _notes(MeasureRow, info.id)
    items = _items(info.id, channels, statuses)
    functions = _functions(info.id, items)
    services = _services(info.id, functions, statuses, alternatives, instructions, measures)
    domains = tuple(
        Domain(
            row["id"],
            row["slug"],
            row["name"],
            statuses.get(("domain", row["id"]), UNKNOWN_STATUS),
            tuple(services.get(row["id"], ())),
        )
        for row in DomainRow.objects.filter(organisation_id=info.id)
        .order_by("position", "id")
        .values("id", "slug", "name")
    )
    since = changes_since(info.id, revision)
    cited = citations(statuses.values())
    return Snapshot(
        revision=revision,
        organisation=info,
        status=statuses.get(("organisation", info.id), UNKNOWN_STATUS),
        domains=domains,
        alternatives=tuple(alternatives.get(None, ())),
        instructions=tuple(instructions.get(None, ())),
        measures=tuple(measures.get(None, ())),
        systems=system_infos(cited),
        changes=service_changes(info.id, since, revision.changed_at),
        changes_since=since,
        watermark=mark,
        cited=cited,
    )


def changes_since(org_id: int, revision: RevisionState) -> datetime | None:
    return previous_update(org_id, revision.changed_at) if revision.changed_at else None


def _statuses(org_id: int) -> dict[tuple[str, int], StatusValue]:
    rows = (
        EffectiveStatus.objects.filter(organisation_id=org_id)
        .exclude(subject="system")
        .values_list("subject", "object_id", "value")
    )
    return {(subject, object_id): value for subject, object_id, value in rows}


def _channels(org_id: int) -> dict[int, Channel]:
    # Items may use a channel of another organisation (a shared counter); take those too.
    used = FunctionChannel.objects.filter(function__service__organisation_id=org_id).values(
        "channel_id"
    )
    rows = ChannelRow.objects.filter(Q(organisation_id=org_id) | Q(id__in=used)).values(
        "id", "slug", "kind", "name", "position"
    )
    return {row["id"]: Channel(**row) for row in rows}


HelpIndex = dict[int | None, list[Any]]  # service id (None: organisation-wide) -> entries


def _alternatives(org_id: int, channels: Mapping[int, Channel]) -> HelpIndex:
    found: HelpIndex = defaultdict(list)
    rows = (
        AlternativeRow.objects.filter(organisation_id=org_id)
        .order_by("position", "id")
        .values(
            "service_id",
            "function_id",
            "function_channel_id",
            "kind",
            "text",
            "channel_id",
            "url",
            "phone",
            "email",
            "hours",
        )
    )
    for row in rows:
        found[row["service_id"]].append(
            Alternative(
                row["kind"],
                row["text"],
                channels.get(row["channel_id"] or 0),
                row["url"],
                row["phone"],
                row["email"],
                row["hours"],
                row["function_id"],
                row["function_channel_id"],
            )
        )
    return found


def _notes(model: type[InstructionRow] | type[MeasureRow], org_id: int) -> HelpIndex:
    found: HelpIndex = defaultdict(list)
    rows = (
        model._default_manager.filter(organisation_id=org_id)
        .order_by("position", "id")
        .values("service_id", "function_id", "function_channel_id", "kind", "text")
    )
    for row in rows:
        found[row["service_id"]].append(
            Note(row["kind"], row["text"], row["function_id"], row["function_channel_id"])
        )
    return found


def _items(
    org_id: int, channels: Mapping[int, Channel], statuses: Mapping[tuple[str, int], StatusValue]
) -> dict[int, list[Item]]:
    by_function: dict[int, list[Item]] = defaultdict(list)
    rows = (
        FunctionChannel.objects.filter(function__service__organisation_id=org_id)
        .order_by("position", "id")
        .values_list("id", "function_id", "channel_id", "note")
    )
    for pk, function_id, channel_id, note in rows:
        status = statuses.get(("item", pk), UNKNOWN_STATUS)
        by_function[function_id].append(
            Item(
                pk,
                function_id,
                channels.get(channel_id) if channel_id else None,
                status,
                note or {},
                str(status["level"]),
            )
        )
    return by_function


def _functions(org_id: int, items: Mapping[int, list[Item]]) -> dict[int, list[Function]]:
    by_service: dict[int, list[Function]] = defaultdict(list)
    rows = (
        FunctionRow.objects.filter(service__organisation_id=org_id)
        .order_by("position", "id")
        .values_list("id", "service_id", "slug", "name")
    )
    for pk, service_id, slug, name in rows:
        by_service[service_id].append(Function(pk, slug, name, tuple(items.get(pk, ()))))
    return by_service


def _services(
    org_id: int,
    functions: Mapping[int, list[Function]],
    statuses: Mapping[tuple[str, int], StatusValue],
    alternatives: HelpIndex,
    instructions: HelpIndex,
    measures: HelpIndex,
) -> dict[int, list[Service]]:
    by_domain: dict[int, list[Service]] = defaultdict(list)
    rows = (
        ServiceRow.objects.filter(organisation_id=org_id)
        .order_by("position", "id")
        .values("id", "slug", "name", "description", "url", "keywords", "audience", "domain_id")
    )
    for row in rows:
        pk = row["id"]
        own = tuple(functions.get(pk, ()))
        status = statuses.get(("service", pk), UNKNOWN_STATUS)
        by_domain[row["domain_id"]].append(
            Service(
                pk,
                row["slug"],
                row["name"],
                row["description"],
                row["url"],
                tuple(row["keywords"] or ()),
                tuple(row["audience"] or ()),
                row["domain_id"],
                status,
                own,
                tuple(alternatives.get(pk, ())),
                tuple(instructions.get(pk, ())),
                tuple(measures.get(pk, ())),
                tuple(i for f in own for i in f.items),
                str(status["level"]),
            )
        )
    return by_domain


def cause_systems(causes: Iterable[Mapping[str, Any]]) -> set[int]:
    """Every system a cause chain mentions, however deep."""
    found: set[int] = set()
    stack = list(causes)
    while stack:
        cause = stack.pop()
        found.add(int(cause["system"]))
        stack.extend(cause.get("via") or ())
    return found


def cited_by(status: StatusValue) -> set[int]:
    """The systems one status's cause chains mention."""
    causes = status.get("causes")
    return cause_systems(causes) if causes else set()


def citations(statuses: Iterable[StatusValue]) -> dict[int, int]:
    """Per system, how many of ``statuses`` mention it: the systems explanations may name."""
    counts: dict[int, int] = defaultdict(int)
    for status in statuses:
        for system_id in cited_by(status):
            counts[system_id] += 1
    return dict(counts)


def system_infos(ids: Iterable[int]) -> dict[int, SystemInfo]:
    wanted = list(ids)
    if not wanted:
        return {}
    rows = System.objects.filter(pk__in=wanted).values_list("id", "name", "public")
    # Non-public names are dropped here, so nothing downstream can show them.
    return {pk: SystemInfo(name if public else {}, public) for pk, name, public in rows}


def service_changes(
    org_id: int,
    since: datetime | None,
    until: datetime | None,
    services: Collection[int] | None = None,
) -> tuple[ServiceChange, ...]:
    """Per service (of ``services`` when given), its status before the first and
    after the last change in (since, until].

    A service added in the window counts from the status it was added with,
    so adding a catalogue is not a list of changes; services removed, and
    services that ended where they started, are left out.
    """
    if since is None or until is None:
        return ()
    rows = StatusEvent.objects.filter(
        layer="effective", subject="service", at__gt=since, at__lte=until
    )
    # Given services, not the organisation too: SQLite would then read all the
    # organisation's events through its index instead of just these services'.
    if services is None:
        rows = rows.filter(organisation_id=org_id)
    else:
        rows = rows.filter(object_id__in=services)
    first: dict[int, tuple[datetime, StatusValue | None, StatusValue | None]] = {}
    for object_id, org, at, old, new in rows.order_by("id").values_list(
        "object_id", "organisation_id", "at", "old", "new"
    ):
        if org == org_id:
            before = first[object_id][1] if object_id in first else (old or new)
            first[object_id] = (at, before, new)
    return newest_first(
        ServiceChange(service_id, at, before, after)
        for service_id, (at, before, after) in first.items()
        if before is not None and after is not None and _differs(before, after)
    )


def newest_first(changes: Iterable[ServiceChange]) -> tuple[ServiceChange, ...]:
    ordered = sorted(changes, key=lambda c: c.service_id)  # ties in catalogue order
    ordered.sort(key=lambda c: c.at, reverse=True)
    return tuple(ordered)


def _differs(before: StatusValue, after: StatusValue) -> bool:
    """A change the public notices: the level or the qualifiers, not counts or since."""
    return bool(
        before.get("level") != after.get("level")
        or before.get("qualifiers") != after.get("qualifiers")
    )


# -- the per-process cache ------------------------------------------------------------


class OrganisationEntry(NamedTuple):
    slug: str
    name: Texts
    language: str


class SnapshotCache:
    """Per organisation, the snapshot this process last made, brought up to date on use.

    A snapshot is served only at the revision it was made for, its number
    *and* time, so a database restored from a backup (or a test database
    rolled back) never serves an old snapshot under a reused number. At any
    other revision it is followed to it when only statuses changed since
    (:func:`watwerkt.public.follow.follow`), and loaded again otherwise.
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
        from .follow import follow  # here, not above: that module builds on this one

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

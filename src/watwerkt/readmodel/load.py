"""Reading a :class:`~.values.Snapshot` from the database, in a fixed handful of queries.

Loading takes the same few queries whatever the size of the catalogue. What
is *not* loaded is as deliberate as what is: system notes, recovery plans,
event actors and notes, and the names of systems not marked public never
enter the read model, so no public output can leak them.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Max, Q

from watwerkt.catalogue.models import Alternative as AlternativeRow
from watwerkt.catalogue.models import Channel as ChannelRow
from watwerkt.catalogue.models import Domain as DomainRow
from watwerkt.catalogue.models import Function as FunctionRow
from watwerkt.catalogue.models import FunctionChannel, Organisation, System
from watwerkt.catalogue.models import Instruction as InstructionRow
from watwerkt.catalogue.models import Measure as MeasureRow
from watwerkt.catalogue.models import Service as ServiceRow
from watwerkt.incidents.models import IncidentUpdate
from watwerkt.status.models import EffectiveStatus, StatusEvent
from watwerkt.status.revision import RevisionState, revision_state, watermark

from .values import (
    UNKNOWN_STATUS,
    Alternative,
    Channel,
    Domain,
    Function,
    Item,
    Note,
    OrganisationInfo,
    Service,
    ServiceChange,
    Snapshot,
    StatusValue,
    SystemInfo,
)

# How far back "changed since the previous update" looks; see previous_update().
CHANGES_WINDOW = timedelta(hours=24)


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

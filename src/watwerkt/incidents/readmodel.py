"""What the public may see of incidents and maintenance, as plain values.

One :class:`Published` holds an organisation's published incidents (with
their published updates, newest first, and recovery targets) and published
maintenance windows, as of one catalogue revision. Pages, the overview
banner and the machine outputs (Statuspage API, feeds, iCalendar) read it;
drafts never enter it, so no public output can show one.

Loading takes a fixed handful of queries, and results are kept in-process
per revision, like :mod:`watwerkt.readmodel.snapshot`. The state of a
maintenance window also depends on the clock: ask :meth:`Published.active`
and :meth:`Published.upcoming` with the time, and :meth:`Published.clock`
for the last moment a window changed state by the clock alone (fold it into
a page's version so caches notice).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import F, Prefetch, QuerySet

from watwerkt.catalogue.models import Organisation, System

from .maintenance import state_at
from .models import OPEN_PHASES, Incident, IncidentUpdate, Maintenance, RecoveryTarget

Texts = Mapping[str, str]


@dataclass(frozen=True, slots=True)
class UpdateInfo:
    id: int
    phase: str
    body: Texts
    created_at: datetime
    updated_at: datetime | None
    published_at: datetime | None  # None only in a preview of drafts


@dataclass(frozen=True, slots=True)
class TargetInfo:
    id: int
    text: Texts
    target: date | None
    reached_at: datetime | None
    service_id: int | None
    system_id: int | None


@dataclass(frozen=True, slots=True)
class IncidentInfo:
    id: int
    slug: str
    title: Texts
    phase: str
    impact: str
    started_at: datetime
    resolved_at: datetime | None
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime
    known: Texts
    unknown: Texts
    to_do: Texts
    data_protection: Texts
    updates: tuple[UpdateInfo, ...]  # newest first
    targets: tuple[TargetInfo, ...]
    service_ids: tuple[int, ...]
    system_ids: tuple[int, ...]

    @property
    def unresolved(self) -> bool:
        return self.phase in OPEN_PHASES

    @property
    def latest_update(self) -> UpdateInfo | None:
        return self.updates[0] if self.updates else None


@dataclass(frozen=True, slots=True)
class MaintenanceInfo:
    id: int
    slug: str
    title: Texts
    description: Texts
    state: str  # as stated by a person; "" while the clock decides: use state_at()
    scheduled_for: datetime
    scheduled_until: datetime
    published_at: datetime | None
    cancelled_at: datetime | None
    created_at: datetime
    updated_at: datetime
    service_ids: tuple[int, ...]
    system_ids: tuple[int, ...]

    def state_at(self, now: datetime) -> str:
        return state_at(self, now)


@dataclass(frozen=True)
class Published:
    organisation_id: int
    language: str
    incidents: tuple[IncidentInfo, ...]  # newest start first
    maintenances: tuple[MaintenanceInfo, ...]  # latest start first
    systems: Mapping[int, Texts]  # names of the public systems they name; no others

    def incident(self, slug: str) -> IncidentInfo | None:
        return next((i for i in self.incidents if i.slug == slug), None)

    def unresolved(self) -> tuple[IncidentInfo, ...]:
        return tuple(i for i in self.incidents if i.unresolved)

    def resolved(self) -> tuple[IncidentInfo, ...]:
        return tuple(i for i in self.incidents if not i.unresolved)

    def active(self, now: datetime) -> tuple[MaintenanceInfo, ...]:
        """Windows in progress or being verified, soonest end first."""
        found = [m for m in self.maintenances if m.state_at(now) in ("in_progress", "verifying")]
        return tuple(sorted(found, key=lambda m: (m.scheduled_until, m.id)))

    def upcoming(self, now: datetime) -> tuple[MaintenanceInfo, ...]:
        """Windows still to come (cancelled ones too, until their planned end), soonest first."""
        found = [
            m
            for m in self.maintenances
            if m.state_at(now) == "scheduled" or (m.cancelled_at and now < m.scheduled_until)
        ]
        return tuple(sorted(found, key=lambda m: (m.scheduled_for, m.id)))

    def past(self, now: datetime) -> tuple[MaintenanceInfo, ...]:
        """Completed windows (cancelled ones once their planned end has passed)."""
        shown = {m.id for m in (*self.active(now), *self.upcoming(now))}
        return tuple(m for m in self.maintenances if m.id not in shown)

    def _moments(self) -> list[datetime]:
        """When what the public sees of a window changes by the clock alone: the
        start and end of windows that follow the clock, and the planned end of
        cancelled ones (until then they are listed as not going ahead)."""
        found: list[datetime] = []
        for m in self.maintenances:
            if m.cancelled_at is not None:
                found.append(m.scheduled_until)
            elif not m.state:
                found.extend((m.scheduled_for, m.scheduled_until))
        return found

    def clock(self, now: datetime) -> datetime | None:
        """The last such moment up to ``now``: pages showing windows are newer
        than their revision from then on (fold it into their ETag)."""
        return max((m for m in self._moments() if m <= now), default=None)

    def next_change(self, now: datetime) -> datetime | None:
        """The next such moment after ``now``: no cache may keep a page past it."""
        return min((m for m in self._moments() if m > now), default=None)


# -- loading ---------------------------------------------------------------------------


def incident_infos(rows: QuerySet[Incident], drafts: bool = False) -> tuple[IncidentInfo, ...]:
    """``rows`` as plain values with their updates (published ones only unless
    ``drafts``: a console preview shows drafts as they would look)."""
    # Newest first; drafts (not yet published) before everything, as the next to go out.
    updates = IncidentUpdate.objects.order_by(
        F("published_at").desc(nulls_first=True), "-created_at", "-id"
    )
    if not drafts:
        updates = updates.filter(published_at__isnull=False)
    rows = rows.prefetch_related(
        Prefetch("updates", queryset=updates),
        Prefetch("targets", queryset=RecoveryTarget.objects.order_by("position", "id")),
        "affected_services",
        "affected_systems",
    )
    return tuple(_incident(row) for row in rows)


def _incident(row: Incident) -> IncidentInfo:
    return IncidentInfo(
        row.pk,
        row.slug,
        row.title,
        row.phase,
        row.impact,
        row.started_at,
        row.resolved_at,
        row.published_at,
        row.created_at,
        row.updated_at,
        row.known,
        row.unknown,
        row.to_do,
        row.data_protection,
        tuple(
            UpdateInfo(u.pk, u.phase, u.body, u.created_at, u.updated_at, u.published_at)
            for u in row.updates.all()
        ),
        tuple(
            TargetInfo(t.pk, t.text, t.target, t.reached_at, t.service_id, t.system_id)
            for t in row.targets.all()
        ),
        tuple(s.pk for s in row.affected_services.all()),
        tuple(s.pk for s in row.affected_systems.all()),
    )


def _maintenance(row: Maintenance) -> MaintenanceInfo:
    return MaintenanceInfo(
        row.pk,
        row.slug,
        row.title,
        row.description,
        row.state,
        row.scheduled_for,
        row.scheduled_until,
        row.published_at,
        row.cancelled_at,
        row.created_at,
        row.updated_at,
        tuple(s.pk for s in row.affected_services.all()),
        tuple(s.pk for s in row.affected_systems.all()),
    )


def load(organisation: Organisation | Mapping[str, Any]) -> Published:
    """Everything published of one organisation, read now."""
    org_id = organisation.pk if isinstance(organisation, Organisation) else organisation["id"]
    language = (
        organisation.language
        if isinstance(organisation, Organisation)
        else organisation["language"]
    )
    incidents = incident_infos(
        Incident.objects.filter(organisation_id=org_id, published_at__isnull=False)
    )
    windows = Maintenance.objects.filter(
        organisation_id=org_id, published_at__isnull=False
    ).prefetch_related("affected_services", "affected_systems")
    maintenances = tuple(_maintenance(m) for m in windows)
    named = {pk for i in incidents for pk in i.system_ids}
    named |= {pk for m in maintenances for pk in m.system_ids}
    return Published(org_id, language, incidents, maintenances, public_systems(named))


def public_systems(ids: Iterable[int]) -> dict[int, Texts]:
    """Names of the systems among ``ids`` that the catalogue marks public."""
    wanted = list(ids)
    if not wanted:
        return {}
    rows = System.objects.filter(pk__in=wanted, public=True).values_list("id", "name")
    return dict(rows)


class PublishedCache:
    """:class:`Published` per organisation slug, for the revision last seen."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._revision: Any = None
        self._found: dict[str, Published | None] = {}

    def get(self, slug: str, revision: Any) -> Published | None:
        """Published incidents and windows of organisation ``slug`` at ``revision``
        (anything that changes with every write, e.g. a ``RevisionState``)."""
        with self._lock:
            if revision != self._revision:
                self._revision, self._found = revision, {}
            if slug not in self._found:
                org = Organisation.objects.filter(slug=slug).values("id", "language").first()
                self._found[slug] = load(org) if org else None
            return self._found[slug]

    def clear(self) -> None:
        with self._lock:
            self._revision, self._found = None, {}


published = PublishedCache()

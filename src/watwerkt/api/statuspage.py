"""Atlassian Statuspage's public v2 API, built from the public read model.

Components are services, grouped by domain: each domain with services is a
group row (``group: true``, ``components``: its children's ids) and each
service a component pointing back with ``group_id``. Statuses come from
:mod:`watwerkt.engine.statuspage`, which gives every level exactly one
Statuspage word. Published incidents are incidents; published maintenance
windows are scheduled maintenances. Texts are in the organisation's own
language. The whole board is built once per catalogue revision (and host);
every endpoint is a slice of it. docs/api.md has the mapping in full.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import translation

from watwerkt.engine import Level, Status
from watwerkt.engine.statuspage import component_status, page_status
from watwerkt.incidents.maintenance import state_at
from watwerkt.incidents.models import OPEN_PHASES
from watwerkt.incidents.readmodel import IncidentInfo, MaintenanceInfo, Published
from watwerkt.lib.i18n import pick
from watwerkt.public.languages import default_language
from watwerkt.readmodel.machine import Times, cache, published, times, zone
from watwerkt.readmodel.values import Service, Snapshot, StatusValue, Texts

Json = dict[str, Any]

MOST_RECENT = 50  # incidents.json and scheduled-maintenances.json list this many, as Statuspage
UPCOMING = ("scheduled",)
ACTIVE = ("in_progress", "verifying")
_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def statuspage_id(*parts: str) -> str:
    """A stable id in Statuspage's own form (12 of ``[a-z0-9]``), from slugs.

    Slugs survive a catalogue re-import where database keys do not, and some
    clients tell ids from names by this very pattern.
    """
    number = int.from_bytes(hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).digest())
    digits = []
    for _ in range(12):
        number, digit = divmod(number, 36)
        digits.append(_ALPHABET[digit])
    return "".join(digits)


def public_url(root: str, name: str, **kwargs: str) -> str:
    """The absolute URL of public page ``name``, unprefixed like ``page.url``: the
    page that offers each reader their own language. ``root`` is the site's root."""
    with translation.override(default_language()):
        index, path = reverse("public:index"), reverse(f"public:{name}", kwargs=kwargs)
    return root + path.removeprefix(index)


def engine_status(value: StatusValue) -> Status:
    """A stored status as the engine value that :func:`component_status` reads."""
    counts = tuple((Level.parse(word), int(n)) for word, n in (value.get("counts") or {}).items())
    return Status(Level.parse(value["level"]), counts=counts)


def stamp(value: datetime | None, tz: ZoneInfo) -> str | None:
    """ISO 8601 with the organisation's offset and milliseconds, as Statuspage writes them."""
    return value.astimezone(tz).isoformat(timespec="milliseconds") if value else None


@dataclass(frozen=True)
class ComponentNames:
    groups: dict[int, str]  # per domain id (domains with services: the group rows)
    services: dict[int, str]  # per service id


def component_names(snapshot: Snapshot, language: str) -> ComponentNames:
    """A name per component row, groups included, unique within the organisation.

    Clients key metrics and alerts by component name, and a catalogue may well
    have two services called "Inschrijven", two domains called "Sport" (only
    their ids differ), or a service named like a domain. Each step below
    renames only the rows whose name still collides, so unique names stay as
    they are, and the result depends on the catalogue alone:

    1. a service named like another row gets its domain in brackets
       ("Inschrijven (Sport)"); a group named like another group, its domain
       id in square brackets ("Sport [sport-2]");
    2. a service whose name still collides gets its own id ("Inschrijven
       (Sport) [inschrijven-2]");
    3. a name that still collides (only names written to look like those)
       gets the first free number, in component order ("… #2").
    """
    fallback = snapshot.organisation.language
    domains = [d for d in snapshot.domains if d.services]
    groups = {d.id: pick(d.name, language, fallback).text or d.slug for d in domains}
    services = [s for d in domains for s in d.services]
    names = {s.id: pick(s.name, language, fallback).text or s.slug for s in services}
    taken = Counter([*names.values(), *groups.values()])
    by_group = Counter(groups.values())
    for service in services:
        if taken[names[service.id]] > 1:
            names[service.id] = f"{names[service.id]} ({groups[service.domain_id]})"
    for domain in domains:
        if by_group[groups[domain.id]] > 1:
            groups[domain.id] = f"{groups[domain.id]} [{domain.slug}]"
    again = Counter([*names.values(), *groups.values()])
    for service in services:
        if again[names[service.id]] > 1:
            names[service.id] = f"{names[service.id]} [{service.slug}]"
    used: set[str] = set()
    for domain in domains:
        groups[domain.id] = _first_free(groups[domain.id], used)
        for service in domain.services:
            names[service.id] = _first_free(names[service.id], used)
    return ComponentNames(groups, names)


def _first_free(name: str, used: set[str]) -> str:
    found, number = name, 1
    while found in used:
        number += 1
        found = f"{name} #{number}"
    used.add(found)
    return found


@dataclass(frozen=True)
class Board:
    """Everything one organisation's Statuspage API says, as of one revision."""

    page: Json
    status: Json
    components: list[Json]
    incidents: list[Json]  # published, most recently started first
    maintenances: list[Json]  # published, latest scheduled first

    def summary(self) -> Json:
        return {
            "page": self.page,
            "status": self.status,
            "components": self.components,
            "incidents": self.unresolved(),
            "scheduled_maintenances": [
                m for m in self.maintenances if m["status"] in (*UPCOMING, *ACTIVE)
            ],
        }

    def unresolved(self) -> list[Json]:
        return [i for i in self.incidents if i["status"] in OPEN_PHASES]

    def maintenances_in(self, states: tuple[str, ...]) -> list[Json]:
        return [m for m in self.maintenances if m["status"] in states]


class Builder:
    def __init__(self, snapshot: Snapshot, times: Times, base_url: str) -> None:
        org = snapshot.organisation
        self.snapshot = snapshot
        self.times = times
        self.tz = zone(org.time_zone)
        self.language = org.language
        self.url = f"{base_url}{org.slug}/"
        self.root = base_url
        self.page_id = statuspage_id("page", org.slug)
        self.names = component_names(snapshot, self.language)
        # For a catalogue never written to (no revision time): the page is as new as now.
        self.fallback = snapshot.as_of or datetime.now(tz=self.tz)

    def text(self, texts: Texts) -> str:
        return pick(texts, self.language, self.language).text

    def page(self, updated: datetime | None) -> Json:
        org = self.snapshot.organisation
        return {
            "id": self.page_id,
            "name": self.text(org.name) or org.slug,
            "url": self.url,
            "time_zone": org.time_zone,
            "updated_at": stamp(updated, self.tz),
        }

    def _component(self, key: tuple[str, int], status: StatusValue, position: int) -> Json:
        created = self.times.created.get(key) or self.times.updated.get(key) or self.fallback
        updated = self.times.updated.get(key) or created
        return {
            "id": "",
            "name": "",
            "status": component_status(engine_status(status)),
            "created_at": stamp(created, self.tz),
            "updated_at": stamp(updated, self.tz),
            "position": position,
            "description": None,
            "showcase": False,
            "start_date": created.astimezone(self.tz).date().isoformat(),
            "group_id": None,
            "page_id": self.page_id,
            "group": False,
            "only_show_if_degraded": False,
        }

    def components(self) -> tuple[list[Json], dict[int, Json]]:
        rows: list[Json] = []
        by_service: dict[int, Json] = {}
        org = self.snapshot.organisation.slug
        domains = [d for d in self.snapshot.domains if d.services]
        for group_position, domain in enumerate(domains, start=1):
            group = self._component(("domain", domain.id), domain.status, group_position)
            group_id = statuspage_id("group", org, domain.slug)
            group.update(id=group_id, name=self.names.groups[domain.id], group=True)
            children = [self.service(s, group_id, n) for n, s in enumerate(domain.services, 1)]
            group["components"] = [child["id"] for child in children]
            rows.append(group)
            rows.extend(children)
            by_service.update((s.id, c) for s, c in zip(domain.services, children, strict=True))
        return rows, by_service

    def service(self, service: Service, group_id: str, position: int) -> Json:
        row = self._component(("service", service.id), service.status, position)
        org = self.snapshot.organisation.slug
        row.update(
            id=statuspage_id("component", org, service.slug),
            name=self.names.services[service.id],
            description=self.text(service.description) or None,
            showcase=True,
            group_id=group_id,
        )
        return row

    def incident(self, incident: IncidentInfo, components: Mapping[int, Json]) -> Json:
        org = self.snapshot.organisation.slug
        incident_id = statuspage_id("incident", org, incident.slug)
        monitoring = [u.published_at for u in incident.updates if u.phase == "monitoring"]
        return {
            "id": incident_id,
            "name": self.text(incident.title) or incident.slug,
            "status": incident.phase,
            "created_at": self.stamp(incident.published_at),
            "updated_at": self.stamp(incident.updated_at),
            "monitoring_at": self.stamp(min(filter(None, monitoring), default=None)),
            "resolved_at": None if incident.unresolved else self.stamp(incident.resolved_at),
            "impact": incident.impact,
            "shortlink": public_url(self.root, "incident", org=org, incident=incident.slug),
            "started_at": self.stamp(incident.started_at),
            "page_id": self.page_id,
            "incident_updates": [
                self._update(
                    statuspage_id("update", org, str(u.id)),
                    incident_id,
                    u.phase,
                    u.body,
                    (u.created_at, u.updated_at or u.published_at, u.published_at),
                )
                for u in incident.updates
            ],
            "components": [components[i] for i in incident.service_ids if i in components],
        }

    def stamp(self, value: datetime | None) -> str | None:
        return stamp(value, self.tz)

    def _update(
        self,
        update_id: str,
        parent_id: str,
        status: str,
        body: Texts,
        times: tuple[datetime, datetime | None, datetime | None],
    ) -> Json:
        created, updated, shown = times
        return {
            "id": update_id,
            "status": status,
            "body": self.text(body),
            "incident_id": parent_id,
            "created_at": self.stamp(created),
            "updated_at": self.stamp(updated or created),
            "display_at": self.stamp(shown or created),
            "affected_components": None,
            "deliver_notifications": False,
            "custom_tweet": None,
            "tweet_id": None,
        }

    def maintenance(
        self, window: MaintenanceInfo, components: Mapping[int, Json], now: datetime
    ) -> Json:
        """A maintenance window; its description is its one update (the announcement)."""
        org = self.snapshot.organisation.slug
        maintenance_id = statuspage_id("maintenance", org, window.slug)
        state = state_at(window, now)
        published = window.published_at or window.created_at
        return {
            "id": maintenance_id,
            "name": self.text(window.title) or window.slug,
            "status": state,
            "created_at": self.stamp(published),
            "updated_at": self.stamp(window.updated_at),
            "monitoring_at": None,
            "resolved_at": self.stamp(_ended(window)) if state == "completed" else None,
            "impact": "maintenance",
            # Windows have no page of their own: their entry on the incidents page.
            "shortlink": public_url(self.root, "incidents", org=org) + f"#o-{window.slug}",
            "started_at": self.stamp(window.scheduled_for),
            "page_id": self.page_id,
            "incident_updates": [
                self._update(
                    statuspage_id("maintenance-update", org, window.slug),
                    maintenance_id,
                    state,
                    window.description,
                    (published, window.updated_at, published),
                )
            ],
            "components": [components[i] for i in window.service_ids if i in components],
            "scheduled_for": self.stamp(window.scheduled_for),
            "scheduled_until": self.stamp(window.scheduled_until),
        }

    def board(self, news: Published, now: datetime) -> Board:
        components, by_service = self.components()
        services = [c for c in components if not c["group"]]
        indicator, description = page_status(c["status"] for c in services)
        changes = [
            *self.times.updated.values(),
            *(i.updated_at for i in news.incidents),
            *(m.updated_at for m in news.maintenances),
        ]
        return Board(
            page=self.page(max(changes, default=self.fallback)),
            status={"indicator": indicator, "description": description},
            components=components,
            incidents=[self.incident(i, by_service) for i in news.incidents],
            maintenances=[self.maintenance(m, by_service, now) for m in news.maintenances],
        )


def _ended(window: MaintenanceInfo) -> datetime:
    """When a completed window ended: called off, said to be done, or by the clock."""
    if window.cancelled_at is not None:
        return window.cancelled_at
    return window.updated_at if window.state == "completed" else window.scheduled_until


def board(snapshot: Snapshot, base_url: str, now: datetime) -> Board:
    """The Statuspage view of ``snapshot`` at ``now``; ``base_url`` is the site's root."""
    org_id = snapshot.organisation.id
    news = published(snapshot)
    clock = news.clock(now)

    def build() -> Board:
        return Builder(snapshot, times(org_id, snapshot.revision), base_url).board(news, now)

    return cache.get(snapshot.revision, ("statuspage", org_id, base_url, clock), build)

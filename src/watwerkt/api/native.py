"""The native API's objects, built from the public read model.

Catalogue texts go out as they are stored, one entry per language
(``{"nl": ..., "fr": ...}``), so clients choose and fall back themselves;
the words we generate (``explanation``) are in the ``lang`` the request asked
for. A status carries its Statuspage word too. Cause chains name a system
only when it is public: for any other, ``name`` is null, as the public pages
say "an internal system".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.urls import reverse

from watwerkt.engine.statuspage import component_status
from watwerkt.incidents.maintenance import state_at
from watwerkt.incidents.readmodel import IncidentInfo, MaintenanceInfo, Published
from watwerkt.lib.i18n import pick
from watwerkt.readmodel.machine import moment, zone
from watwerkt.readmodel.values import (
    Alternative,
    Channel,
    Domain,
    Item,
    Note,
    OrganisationEntry,
    Service,
    Snapshot,
    StatusValue,
    Texts,
)
from watwerkt.status.explain import SystemName, explain

from .statuspage import engine_status

Json = dict[str, Any]
IMPLICIT = "-"  # the id of a service's unnamed function, as the CLI and event paths write it


def texts(value: Texts | None) -> dict[str, str]:
    return {code: text for code, text in (value or {}).items() if text}


def iso(value: str | datetime | None, tz: ZoneInfo) -> str | None:
    found = moment(value)
    return found.astimezone(tz).isoformat(timespec="seconds") if found else None


def day(value: date | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True)
class Context:
    """What every object of one response needs: the snapshot, the language, links."""

    snapshot: Snapshot
    language: str
    root: str  # absolute URL of the site's root, with a slash

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.snapshot.organisation.time_zone)

    @property
    def org(self) -> str:
        return self.snapshot.organisation.slug

    def api(self, *parts: str) -> str:
        return self.root + "api/v1/organisations/" + "/".join([self.org, *parts])

    def systems(self) -> dict[int, SystemName]:
        fallback = self.snapshot.organisation.language
        return {
            pk: SystemName(pick(s.name, self.language, fallback).text, s.public)
            for pk, s in self.snapshot.systems.items()
        }


def organisation_links(root: str, slug: str) -> Json:
    return {
        "self": f"{root}api/v1/organisations/{slug}",
        "html": root.rstrip("/") + reverse("public:overview", kwargs={"org": slug}),
        "statuspage": f"{root}{slug}/api/v2/summary.json",
    }


def organisation_entry(entry: OrganisationEntry, root: str) -> Json:
    return {
        "id": entry.slug,
        "name": texts(entry.name),
        "language": entry.language,
        "links": organisation_links(root, entry.slug),
    }


# -- statuses -------------------------------------------------------------------------


def _chain(cause: Mapping[str, Any], ctx: Context, names: Mapping[int, SystemName]) -> Json:
    """One dependency, followed down to the system that is bad on its own."""
    links = []
    link: Mapping[str, Any] | None = cause
    while link is not None:
        system = names.get(int(link["system"]))
        public = bool(system and system.public)
        links.append(
            {
                "name": system.name if system and public else None,
                "public": public,
                "state": link["state"],
                "since": iso(link.get("since"), ctx.tz),
            }
        )
        link = link["via"][0] if link.get("via") and not link.get("own") else None
    return {"kind": cause["kind"], "chain": links}


def _qualifier(raw: Mapping[str, Any]) -> Json:
    return {"code": raw["code"], "text": texts(raw.get("text")), "date": raw.get("date") or None}


def _expected(raw: Mapping[str, str] | None) -> Json | None:
    if not raw:
        return None
    return {"kind": raw["kind"], "value": raw.get("value") or None}


def status(value: StatusValue, ctx: Context, names: Mapping[int, SystemName]) -> Json:
    causes = value.get("causes") or ()
    return {
        "level": value["level"],
        "statuspage": component_status(engine_status(value)),
        "qualifiers": [_qualifier(q) for q in value.get("qualifiers") or ()],
        "since": iso(value.get("since"), ctx.tz),
        "expected": _expected(value.get("expected")),
        "derived": bool(value.get("derived")),
        "pinned": bool(value.get("pinned")),
        "counts": {str(k): int(n) for k, n in (value.get("counts") or {}).items()},
        "causes": [_chain(c, ctx, names) for c in causes],
        "explanation": explain(value, names, public=True),
    }


# -- help -----------------------------------------------------------------------------


def _channel(channel: Channel | None) -> Json | None:
    if channel is None:
        return None
    return {"id": channel.slug, "kind": channel.kind, "name": texts(channel.name)}


def _scope(service: Service | None, function_id: int | None, item_id: int | None) -> Json:
    """Which part of a service a piece of help concerns (nulls: all of it)."""
    if service is None:
        return {"function": None, "channel": None}
    for function in service.functions:
        fid = function.slug or IMPLICIT
        if item_id is not None:
            for item in function.items:
                if item.id == item_id:
                    channel = item.channel.slug if item.channel else IMPLICIT
                    return {"function": fid, "channel": channel}
        elif function.id == function_id:
            return {"function": fid, "channel": None}
    return {"function": None, "channel": None}


def alternative(alt: Alternative, service: Service | None) -> Json:
    return {
        "kind": alt.kind,
        "text": texts(alt.text),
        "channel": _channel(alt.channel),
        "url": alt.url or None,
        "phone": alt.phone or None,
        "email": alt.email or None,
        "hours": texts(alt.hours),
        "scope": _scope(service, alt.function_id, alt.item_id),
    }


def note(found: Note, service: Service | None) -> Json:
    return {
        "kind": found.kind,
        "text": texts(found.text),
        "scope": _scope(service, found.function_id, found.item_id),
    }


# -- catalogue objects ------------------------------------------------------------------


def _item(item: Item, ctx: Context, names: Mapping[int, SystemName]) -> Json:
    return {
        "channel": _channel(item.channel),
        "status": status(item.status, ctx, names),
        "note": texts(item.note),
    }


def service(found: Service, ctx: Context, domains: Mapping[int, str]) -> Json:
    names = ctx.systems()
    html = ctx.root.rstrip("/") + reverse(
        "public:service", kwargs={"org": ctx.org, "service": found.slug}
    )
    return {
        "id": found.slug,
        "name": texts(found.name),
        "description": texts(found.description),
        "url": found.url or None,
        "keywords": list(found.keywords),
        "audience": list(found.audience),
        "domain": domains[found.domain_id],
        "status": status(found.status, ctx, names),
        "functions": [
            {
                "id": f.slug or IMPLICIT,
                "name": texts(f.name),
                "implicit": f.implicit,
                "channels": [_item(i, ctx, names) for i in f.items],
            }
            for f in found.functions
        ],
        "alternatives": [alternative(a, found) for a in found.alternatives],
        "instructions": [note(n, found) for n in found.instructions],
        "measures": [note(n, found) for n in found.measures],
        "links": {
            "self": ctx.api("services", found.slug),
            "html": html,
            "history": ctx.api("services", found.slug, "history"),
            "availability": ctx.api("services", found.slug, "availability"),
        },
    }


def domain(found: Domain, ctx: Context, position: int) -> Json:
    return {
        "id": found.slug,
        "name": texts(found.name),
        "position": position,
        "status": status(found.status, ctx, ctx.systems()),
        "services": [s.slug for s in found.services],
        "links": {
            "self": ctx.api("domains", found.slug),
            "availability": ctx.api("domains", found.slug, "availability"),
        },
    }


def organisation(ctx: Context) -> Json:
    snap, org = ctx.snapshot, ctx.snapshot.organisation
    counts: dict[str, int] = {}
    for s in snap.services.values():
        counts[s.level] = counts.get(s.level, 0) + 1
    return {
        "id": org.slug,
        "name": texts(org.name),
        "language": org.language,
        "time_zone": org.time_zone,
        "url": org.url or None,
        "revision": snap.revision.number,
        "as_of": iso(snap.as_of, ctx.tz),
        "status": status(snap.status, ctx, ctx.systems()),
        "services_by_level": counts,
        "domains": [d.slug for d in snap.domains],
        "alternatives": [alternative(a, None) for a in snap.alternatives],
        "instructions": [note(n, None) for n in snap.instructions],
        "measures": [note(n, None) for n in snap.measures],
        "links": {
            **organisation_links(ctx.root, org.slug),
            "domains": ctx.api("domains"),
            "services": ctx.api("services"),
            "incidents": ctx.api("incidents"),
            "maintenances": ctx.api("maintenances"),
            "recovery": ctx.api("recovery"),
        },
    }


# -- incidents and maintenance ------------------------------------------------------------


def _service_slugs(ids: Iterable[int], ctx: Context) -> list[str]:
    by_id = ctx.snapshot.service_by_id()
    return [by_id[i].slug for i in ids if i in by_id]


def _systems(ids: Iterable[int], news: Published) -> list[Json]:
    """The affected systems the public may know of: public ones, by name."""
    return [{"name": texts(news.systems[i])} for i in ids if i in news.systems]


def incident(found: IncidentInfo, ctx: Context, news: Published) -> Json:
    by_id = ctx.snapshot.service_by_id()
    return {
        "id": found.slug,
        "title": texts(found.title),
        "phase": found.phase,
        "impact": found.impact,
        "started_at": iso(found.started_at, ctx.tz),
        "resolved_at": iso(found.resolved_at, ctx.tz),
        "published_at": iso(found.published_at, ctx.tz),
        "updated_at": iso(found.updated_at, ctx.tz),
        "sections": {
            "known": texts(found.known),
            "unknown": texts(found.unknown),
            "to_do": texts(found.to_do),
            "data_protection": texts(found.data_protection),
        },
        "affected_services": _service_slugs(found.service_ids, ctx),
        "affected_systems": _systems(found.system_ids, news),
        "updates": [
            {
                "phase": u.phase,
                "body": texts(u.body),
                "published_at": iso(u.published_at, ctx.tz),
                "updated_at": iso(u.updated_at or u.published_at, ctx.tz),
            }
            for u in found.updates
        ],
        "targets": [
            {
                "text": texts(t.text),
                "target": day(t.target),
                "reached_at": iso(t.reached_at, ctx.tz),
                "service": by_id[t.service_id].slug
                if t.service_id is not None and t.service_id in by_id
                else None,
            }
            for t in found.targets
        ],
        "links": {"self": ctx.api("incidents", found.slug)},
    }


def maintenance(found: MaintenanceInfo, ctx: Context, news: Published, now: datetime) -> Json:
    return {
        "id": found.slug,
        "title": texts(found.title),
        "description": texts(found.description),
        "state": state_at(found, now),
        "cancelled_at": iso(found.cancelled_at, ctx.tz),
        "scheduled_for": iso(found.scheduled_for, ctx.tz),
        "scheduled_until": iso(found.scheduled_until, ctx.tz),
        "published_at": iso(found.published_at, ctx.tz),
        "updated_at": iso(found.updated_at, ctx.tz),
        "affected_services": _service_slugs(found.service_ids, ctx),
        "affected_systems": _systems(found.system_ids, news),
        "links": {"self": ctx.api("maintenances", found.slug)},
    }

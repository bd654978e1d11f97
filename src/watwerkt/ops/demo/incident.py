"""The demo's incident, "Cyberaanval op de stad", created through the incident services.

The texts live in ``watwerkt/ops/demo/antwerpen-incident.yaml``, next to
the demo catalogue, and are illustrative (the file says how). The incident
is created with its dated updates (December 2022 to February 2023) and
recovery targets exactly as a comms officer would create them, through
:mod:`watwerkt.incidents.services`, so it goes through every check and lands
in the audit trail. Once it exists it is left alone: running the demo again
changes nothing, also not what someone edited in the console since.
"""

from __future__ import annotations

from datetime import date, datetime
from importlib import resources
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from watwerkt.catalogue.models import Organisation, Service, System
from watwerkt.incidents import services
from watwerkt.incidents.models import Incident
from watwerkt.status.values import parse_date, parse_datetime
from watwerkt.status.writing import Actor

DEMO_FILE = "antwerpen-incident.yaml"  # next to this module


def demo_spec() -> dict[str, Any]:
    """The demo incident as the file describes it."""
    text = resources.files("watwerkt.ops.demo").joinpath(DEMO_FILE).read_text("utf-8")
    spec: dict[str, Any] = yaml.safe_load(text)
    return spec


def ensure_demo_incident(organisation: Organisation, actor: Actor) -> Incident | None:
    """Create the demo incident for ``organisation`` unless it has it already;
    the incident created, or None when there was nothing to do. All or nothing:
    a failure halfway leaves no half-made incident behind.

    The story runs up to its last dated update (February 2023). With the clock
    set before that, as some tests set it, the story has not happened yet, and
    the demo comes without its incident."""
    spec = demo_spec()
    if Incident.objects.filter(organisation=organisation, slug=spec["id"]).exists():
        return None
    with timezone.override(organisation.time_zone):
        if max(_moment(u["at"]) for u in spec["updates"]) > timezone.now():
            return None
    with timezone.override(organisation.time_zone), transaction.atomic():
        incident = services.create_incident(
            organisation,
            spec["title"],
            actor,
            slug=spec["id"],
            impact=spec["impact"],
            started_at=_moment(spec["started"]),
            sections=spec["sections"],
            services=_services(organisation, spec["services"]),
            systems=_systems(organisation, spec["systems"]),
        )
        for update in spec["updates"]:
            services.post_update(
                incident,
                update["body"],
                actor,
                phase=update["phase"],
                publish=True,
                at=_moment(update["at"]),
            )
        for target in spec["targets"]:
            _target(incident, target, actor)
    return incident


def _target(incident: Incident, spec: dict[str, Any], actor: Actor) -> None:
    org = incident.organisation
    found = services.add_target(
        incident,
        spec["text"],
        actor,
        target=_day(spec.get("by")),
        service=_services(org, [spec["service"]])[0] if "service" in spec else None,
        system=_systems(org, [spec["system"]])[0] if "system" in spec else None,
    )
    if "reached" in spec:
        services.reach_target(found, actor, at=_moment(spec["reached"]))


def _moment(raw: object) -> datetime:
    return parse_datetime(raw)  # in the organisation's time zone (overridden above)


def _day(raw: object) -> date | None:
    return None if raw is None else parse_date(raw)


def _services(organisation: Organisation, slugs: list[str]) -> list[Service]:
    found = {s.slug: s for s in Service.objects.filter(organisation=organisation, slug__in=slugs)}
    missing = sorted(set(slugs) - set(found))
    if missing:
        raise ValueError(f"the demo incident names unknown services: {', '.join(missing)}")
    return [found[slug] for slug in slugs]


def _systems(organisation: Organisation, slugs: list[str]) -> list[System]:
    found = {s.slug: s for s in System.objects.filter(organisation=organisation, slug__in=slugs)}
    missing = sorted(set(slugs) - set(found))
    if missing:
        raise ValueError(f"the demo incident names unknown systems: {', '.join(missing)}")
    return [found[slug] for slug in slugs]

"""Published and draft incidents and maintenance windows, written as a write would:
inside :func:`~watwerkt.status.writing.writing`, so the revision (and every
ETag) moves, as it does when the incidents app writes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tests.factories import TEST_ACTOR
from watwerkt.catalogue.models import Organisation, Service, System
from watwerkt.incidents.models import Incident, IncidentUpdate, Maintenance
from watwerkt.status.writing import writing

DEC_6 = datetime(2022, 12, 6, 6, 30, tzinfo=UTC)


@dataclass
class News:
    incident: Incident
    draft_incident: Incident
    resolved: Incident
    upcoming: Maintenance
    active: Maintenance
    cancelled: Maintenance
    draft_window: Maintenance


def _incident(
    org: Organisation, slug: str, phase: str, published: bool, **extra: object
) -> Incident:
    extra.setdefault("started_at", DEC_6)
    return Incident.objects.create(
        organisation=org,
        slug=slug,
        title={"nl": f"Incident {slug}", "en": f"Incident {slug} (en)"},
        phase=phase,
        impact="critical",
        published_at=DEC_6 + timedelta(hours=1) if published else None,
        created_at=DEC_6,
        updated_at=DEC_6 + timedelta(hours=3),
        known={"nl": "Een cyberaanval legt systemen plat."},
        **extra,  # type: ignore[arg-type]
    )


def _update(incident: Incident, phase: str, hours: int, body: str, published: bool = True) -> None:
    at = DEC_6 + timedelta(hours=hours)
    IncidentUpdate.objects.create(
        incident=incident,
        phase=phase,
        body={"nl": body},
        author="Comms officer Jansen",
        created_at=at,
        published_at=at if published else None,
    )


def _window(
    org: Organisation, slug: str, start: datetime, hours: int, **extra: object
) -> Maintenance:
    return Maintenance.objects.create(
        organisation=org,
        slug=slug,
        title={"nl": f"Onderhoud {slug}"},
        description={"nl": f"Beschrijving van {slug}."},
        scheduled_for=start,
        scheduled_until=start + timedelta(hours=hours),
        created_at=start - timedelta(days=2),
        updated_at=start - timedelta(days=1),
        **extra,  # type: ignore[arg-type]
    )


def add_news(
    org: Organisation, services: list[Service], systems: list[System], now: datetime
) -> News:
    """One open incident (one draft update), one draft incident, one resolved one;
    windows upcoming, running, cancelled and a draft, around ``now``."""
    published = now - timedelta(days=3)
    with writing(TEST_ACTOR) as write:
        incident = _incident(org, "cyberaanval", "identified", True)
        incident.affected_services.set(services)
        incident.affected_systems.set(systems)
        _update(incident, "investigating", 1, "We onderzoeken een storing.")
        _update(incident, "identified", 5, "Het gaat om een **cyberaanval**. <script>x()</script>")
        _update(incident, "monitoring", 9, "Nog niet publiek.", published=False)
        draft = _incident(org, "geheim-concept", "investigating", False)
        resolved = _incident(
            org,
            "stroomstoring",
            "resolved",
            True,
            started_at=DEC_6 - timedelta(days=30),
            resolved_at=DEC_6 + timedelta(hours=8),
        )
        _update(resolved, "monitoring", 6, "Opgevolgd.")
        _update(resolved, "resolved", 8, "Opgelost.")
        upcoming = _window(
            org, "e-loket-upgrade", now + timedelta(days=2), 4, published_at=published
        )
        upcoming.affected_services.set(services[:1])
        active = _window(org, "netwerkwerken", now - timedelta(hours=1), 3, published_at=published)
        cancelled = _window(
            org,
            "afgelast",
            now + timedelta(days=5),
            2,
            published_at=published,
            cancelled_at=now - timedelta(hours=2),
        )
        draft_window = _window(org, "concept-onderhoud", now + timedelta(days=1), 2)
        write.touched = True
    return News(incident, draft, resolved, upcoming, active, cancelled, draft_window)

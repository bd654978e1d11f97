"""Fixtures for incidents: the comms officer, an incident with updates, a window."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db.models import Model

from tests.factories import Catalogue
from watwerkt.audit.models import AuditEntry
from watwerkt.incidents import services
from watwerkt.incidents.models import Incident, IncidentUpdate, Maintenance, RecoveryTarget
from watwerkt.status.revision import current_revision
from watwerkt.status.services import Actor

COMMS = Actor("comms", "console")
DEC_6 = datetime(2022, 12, 6, 9, 10, tzinfo=UTC)


def state() -> tuple[Any, ...]:
    """Everything an incident or maintenance write may change, to compare before and after."""
    models: list[type[Model]] = [Incident, IncidentUpdate, RecoveryTarget, Maintenance]
    rows = tuple(tuple(model._default_manager.order_by("pk").values()) for model in models)
    links = tuple(
        tuple(m.objects.order_by("pk").values_list("pk", flat=True))
        for m in (
            Incident.affected_services.through,
            Incident.affected_systems.through,
            Maintenance.affected_services.through,
            Maintenance.affected_systems.through,
        )
    )
    return current_revision(), AuditEntry.objects.count(), rows, links


def unchanged(write: Callable[[], object], error: type[Exception] = ValueError) -> str:
    """Run a write that must be refused; check it changed nothing; return the message."""
    before = state()
    with pytest.raises(error) as refused:
        write()
    assert state() == before
    return str(refused.value)


@dataclass
class Crisis:
    c: Catalogue
    incident: Incident


@pytest.fixture
def crisis(small: Catalogue) -> Crisis:
    """A published incident with one update, sporthal affected, and a target."""
    incident = services.create_incident(
        small.org,
        {"nl": "Cyberaanval", "en": "Cyber attack"},
        COMMS,
        slug="cyberaanval",
        impact="critical",
        started_at=DEC_6,
        sections={"known": {"nl": "De **servers** liggen plat."}},
        services=[small.services["sporthal"]],
        systems=[small.systems["reservatie"]],
    )
    services.post_update(
        incident,
        {"nl": "We onderzoeken de aanval.", "en": "We are investigating."},
        COMMS,
        publish=True,
    )
    services.add_target(
        incident,
        {"nl": "Reservaties werken weer"},
        COMMS,
        target=(DEC_6 + timedelta(days=100)).date(),
        service=small.services["sporthal"],
    )
    incident.refresh_from_db()
    return Crisis(small, incident)

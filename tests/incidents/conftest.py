"""Fixtures for incidents: the comms officer, an incident with updates, a window."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import Catalogue
from tests.incidents.rows import state
from watwerkt.incidents import services
from watwerkt.incidents.models import Incident
from watwerkt.status.writing import Actor

COMMS = Actor("comms", "console")
DEC_6 = datetime(2022, 12, 6, 9, 10, tzinfo=UTC)


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

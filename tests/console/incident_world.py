"""A small incident world around the personas' ``stad``, for the console's
incident, maintenance and "voor iedereen" pages and the permission walk.

Each function finds its object or makes it, through the services, so the
walk can ask for a sample value as often as it likes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from tests.incidents.rows import state
from tests.personas import People
from watwerkt.authoring import notices
from watwerkt.catalogue.models import Instruction, Measure
from watwerkt.incidents import services
from watwerkt.incidents.models import Incident, IncidentUpdate, Maintenance, RecoveryTarget
from watwerkt.status.writing import Actor

COMMS = Actor("comms", "console")
DEC_6 = datetime(2022, 12, 6, 9, 10, tzinfo=UTC)


def incident(people: People) -> Incident:
    """A draft incident with one draft update and one target."""
    found = Incident.objects.filter(organisation=people.org, slug="storing").first()
    if found is not None:
        return found
    made = services.create_incident(
        people.org,
        {"nl": "Storing"},
        COMMS,
        slug="storing",
        started_at=DEC_6,
        services=[people.org.services.get(slug="sporthal")],
    )
    services.post_update(made, {"nl": "We zoeken uit wat er mis is."}, COMMS)
    services.add_target(made, {"nl": "Reservaties werken weer"}, COMMS)
    return made


def update(people: People) -> IncidentUpdate:
    return IncidentUpdate.objects.filter(incident=incident(people)).order_by("pk").first()  # type: ignore[return-value]


def target(people: People) -> RecoveryTarget:
    return RecoveryTarget.objects.filter(incident=incident(people)).order_by("pk").first()  # type: ignore[return-value]


def window(people: People) -> Maintenance:
    found = Maintenance.objects.filter(organisation=people.org, slug="onderhoud").first()
    if found is not None:
        return found
    starts = timezone.now() + timedelta(days=2)
    return services.create_maintenance(
        people.org,
        {"nl": "Onderhoud"},
        starts,
        starts + timedelta(hours=3),
        COMMS,
        slug="onderhoud",
    )


def instruction(people: People) -> Instruction:
    found = Instruction.objects.filter(organisation=people.org, service=None).first()
    if found is not None:
        return found
    made = notices.add_notice(
        people.org, "instruction", "dont", {"nl": "Betaal niet twee keer."}, COMMS
    )
    assert isinstance(made, Instruction)
    return made


def measure(people: People) -> Measure:
    found = Measure.objects.filter(organisation=people.org, service=None).first()
    if found is not None:
        return found
    made = notices.add_notice(people.org, "measure", "fine_waived", {"nl": "Geen boetes."}, COMMS)
    assert isinstance(made, Measure)
    return made


written = state  # everything the incident, maintenance and notice pages may write

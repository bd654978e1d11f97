"""The scene the language and accessibility tests look at: the Antwerp demo during the
outage, with an incident and maintenance windows, and every kind of public page."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.factories import TEST_ACTOR, domain, org, service
from watwerkt.catalogue.models import Organisation, Service
from watwerkt.incidents import services as incidents
from watwerkt.incidents.maintenance import create_maintenance

LANGUAGES = ("nl", "fr", "en", "de")
ORG = "antwerpen"
INCIDENT = "storing-parkeerautomaten"


def set_the_scene() -> None:
    """On top of the loaded demo: an incident told only in Dutch (so every other
    language falls back), maintenance now and to come, and a second organisation,
    so that the list of organisations is a page and not a redirect."""
    antwerpen = Organisation.objects.get(slug=ORG)
    now = timezone.now()
    parking = Service.objects.filter(organisation=antwerpen).order_by("position", "id")[:2]
    incident = incidents.create_incident(
        antwerpen,
        {"nl": "Storing bij de parkeerautomaten"},
        TEST_ACTOR,
        slug=INCIDENT,
        started_at=now - timedelta(hours=3),
        sections={
            "known": {"nl": "De automaten aanvaarden **geen kaarten**."},
            "to_do": {"nl": "Betaal met de app of met munten."},
        },
        services=list(parking),
    )
    incidents.post_update(
        incident, {"nl": "We vervangen de kaartlezers."}, TEST_ACTOR, publish=True
    )
    create_maintenance(
        antwerpen,
        {"nl": "Onderhoud van het e-loket"},
        now - timedelta(hours=1),
        now + timedelta(hours=2),
        TEST_ACTOR,
        description={"nl": "Het e-loket is even **niet bereikbaar**."},
        services=list(parking[:1]),
        publish=True,
    )
    create_maintenance(
        antwerpen,
        {
            "nl": "Nieuwe versie van de website",
            "fr": "Nouvelle version du site web",
            "en": "New version of the website",
            "de": "Neue Version der Website",
        },
        now + timedelta(days=2),
        now + timedelta(days=2, hours=3),
        TEST_ACTOR,
        publish=True,
    )
    other = org("politie", "Politiezone")
    service(domain(other, "meldingen"), "aangifte")


def prefix(language: str) -> str:
    return "" if language == "nl" else f"/{language}"


def pages(language: str) -> dict[str, str]:
    """Every kind of public page, in ``language``: name -> path."""
    p = prefix(language)
    some = Service.objects.filter(organisation__slug=ORG, alternative__isnull=False).distinct()
    helped = some.order_by("position", "id").values_list("slug", flat=True).first()
    return {
        "organisations": f"{p}/",
        "overview": f"{p}/{ORG}/",
        "service": f"{p}/{ORG}/reispas/",
        "service with help": f"{p}/{ORG}/{helped}/",
        "incidents": f"{p}/{ORG}/incidenten/",
        "incident": f"{p}/{ORG}/incidenten/{INCIDENT}/",
        "history": f"{p}/{ORG}/geschiedenis/",
        "service history": f"{p}/{ORG}/reispas/geschiedenis/",
        "recovery": f"{p}/{ORG}/herstel/",
        "search": f"{p}/{ORG}/zoeken/",
        "search with results": f"{p}/{ORG}/zoeken/?q=reispas+afhalen",
        "search without results": f"{p}/{ORG}/zoeken/?q=xqzwv",
        "not found": f"{p}/{ORG}/bestaat-niet/",
    }

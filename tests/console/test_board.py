"""The board: every service with its status and why, its filters, and the bulk edit."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.factories import TEST_ACTOR
from tests.personas import People
from watwerkt.catalogue.models import FunctionChannel
from watwerkt.engine import Level, SystemState
from watwerkt.status.models import EffectiveStatus, StatusEvent
from watwerkt.status.revision import current_revision
from watwerkt.status.services import SystemChange, set_status, set_system
from watwerkt.status.values import ManualStatus, manual_from_row

BOARD = "/console/stad/diensten/"
BULK = "/console/stad/bulkwijziging/"


def text(response: Any) -> str:
    """The page's main content as words, without tags."""
    html = response.content.decode()
    main = html[html.index("<main") :]
    inline = re.sub(r"</?(a|strong|span|em|time|code)\b[^>]*>", "", main)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", inline))


def listed(response: Any) -> list[str]:
    return re.findall(
        r'<th scope="row"><a href="/console/stad/diensten/([\w-]+)/"', response.content.decode()
    )


def level(people: People, slug: str) -> str:
    service = people.org.services.get(slug=slug)
    value = EffectiveStatus.objects.get(subject="service", object_id=service.pk).value
    return str(value["level"])


@pytest.fixture
def outage(people: People) -> People:
    """The data centre is down; sporthal's phone line is pinned (a paper agenda)."""
    stad = people.org
    set_system(stad.systems.get(slug="datacenter"), SystemChange(SystemState.DOWN), TEST_ACTOR)
    phone = FunctionChannel.objects.get(
        function__service__slug="sporthal", channel__slug="telefoon"
    )
    set_status([phone], ManualStatus(Level.AVAILABLE, pinned=True), TEST_ACTOR)
    return people


def test_the_board_shows_every_service_in_overview_order_with_its_level(people: People) -> None:
    response = people.client("viewer").get(BOARD)
    assert response.status_code == 200
    assert listed(response) == ["reispas", "sporthal", "materiaal"]
    assert "3 diensten van 3" in text(response)


def test_a_viewer_sees_the_board_read_only(people: People) -> None:
    page = people.client("viewer").get(BOARD).content.decode()
    assert 'name="services"' not in page
    assert "/bulkwijziging/" not in page
    editor = people.client("editor").get(BOARD).content.decode()
    assert 'name="services" value="sporthal"' in editor


def test_it_says_why_a_status_is_derived_and_what_a_pin_overrides(outage: People) -> None:
    said = text(outage.client("viewer").get(BOARD))
    assert "Afgeleid: werkt niet: hangt af van Reservatie, dat afhangt van Datacenter" in said
    assert "Vastgezet (Telefoon): werkt (vastgezet, ondanks: hangt af van Reservatie" in said
    assert "Afgeleid (Online): werkt niet" in said


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("domein=loketten", ["reispas"]),
        ("niveau=unavailable", ["materiaal"]),
        ("niveau=limited", ["sporthal"]),
        ("systeem=stad/reservatie", ["sporthal", "materiaal"]),
        ("systeem=stad/datacenter", ["sporthal", "materiaal"]),  # through the reservation system
        ("systeem=stad/register", ["reispas"]),
        ("systeem=elders/betaalplatform", ["sporthal"]),  # a shared system
        ("domein=sport&niveau=available", []),
    ],
)
def test_filters_narrow_the_board(outage: People, query: str, expected: list[str]) -> None:
    response = outage.client("viewer").get(f"{BOARD}?{query}")
    assert response.status_code == 200
    assert listed(response) == expected


def test_changed_since_lists_services_whose_status_changed_after_that_moment(
    people: People,
) -> None:
    later = timezone.now() + timedelta(days=2)
    with time_machine.travel(later, tick=False):
        pick = people.org.services.get(slug="reispas").functions.get(slug="afhalen")
        set_status(list(pick.channels.all()), ManualStatus(Level.LIMITED), TEST_ACTOR)
        since = timezone.localtime(later - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
        response = people.client("viewer").get(f"{BOARD}?sinds={since}")
    assert listed(response) == ["reispas"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("sinds=gisteren", "Schrijf een bestaande datum en tijd"),
        ("sinds=2099-01-01T00:00", "Dit moment ligt in de toekomst."),
        ("niveau=kapot", "Selecteer een geldige keuze"),
        ("systeem=elders/kassa", "Selecteer een geldige keuze"),  # elders' own, not shared
    ],
)
def test_a_bad_filter_is_said_in_dutch(people: People, query: str, message: str) -> None:
    response = people.client("viewer").get(f"{BOARD}?{query}")
    assert response.status_code == 400
    assert message in text(response)
    assert listed(response) == []


def bulk(client: Client, services: list[str], **fields: str) -> Any:
    data = {
        "services": services,
        "level": "limited",
        "expected": "",
        "expected_date": "",
        "since": "",
        "public_note": "",
        "note": "",
        "back": "niveau=unavailable",
    }
    data.update(fields)
    return client.post(BULK, data)


def test_a_bulk_edit_sets_every_item_of_the_ticked_services(outage: People) -> None:
    client = outage.client("editor")
    response = bulk(
        client,
        ["sporthal", "materiaal"],
        q0_code="without_appointment",
        note="platform plat, kom langs",
    )
    assert response.status_code == 302
    assert response["Location"] == f"{BOARD}?niveau=unavailable"  # the filters kept
    items = FunctionChannel.objects.filter(function__service__slug__in=["sporthal", "materiaal"])
    for item in items:
        manual = manual_from_row(item)
        assert manual.level is Level.LIMITED
        assert [q.code.value for q in manual.qualifiers] == ["without_appointment"]
    assert level(outage, "reispas") == "available"
    event = StatusEvent.objects.filter(layer="manual", subject="item").last()
    assert event is not None
    assert (event.source, event.actor, event.note) == (
        "console",
        "eddy",
        "platform plat, kom langs",
    )
    phone = FunctionChannel.objects.get(
        function__service__slug="sporthal", channel__slug="telefoon"
    )
    assert manual_from_row(phone).pinned  # the form did not say to release it: still pinned
    page = text(client.get(response["Location"]))
    assert "Opgeslagen: 3 onderdelen staan op “werkt met beperkingen”." in page
    assert "0 diensten veranderden van niveau." in page  # sporthal keeps its pinned phone line
    assert "Let op: bij 2 onderdelen zien bewoners nog minder" in page


def test_a_bulk_edit_can_keep_to_the_items_that_depend_on_the_filtered_system(
    people: People,
) -> None:
    client = people.client("editor")
    response = bulk(
        client,
        ["sporthal", "reispas"],
        only_dependent="on",
        system="stad/register",
        level="unavailable",
    )
    assert response.status_code == 302
    changed = FunctionChannel.objects.filter(level="unavailable")
    assert [(i.function.service.slug, i.function.slug) for i in changed] == [("reispas", "afhalen")]


@pytest.mark.parametrize(
    ("fields", "services", "message"),
    [
        ({"q0_code": "except"}, ["sporthal"], "Deze voorwaarde heeft een tekst nodig"),
        ({"q0_code": "started_before"}, ["sporthal"], "Deze voorwaarde heeft een datum nodig"),
        ({"q0_code": "delays", "q1_code": "delays"}, ["sporthal"], "Deze voorwaarde staat er al"),
        ({"q0_text": "Arenberg"}, ["sporthal"], "Kies de voorwaarde bij deze tekst of datum"),
        ({"expected": "date", "expected_date": "2023-02-30"}, ["sporthal"], "bestaande datum"),
        ({"expected": "date"}, ["sporthal"], "bestaande datum"),
        ({"expected_date": "2023-03"}, ["sporthal"], "Kies “op een datum of in een maand”"),
        ({"level": "kapot"}, ["sporthal"], "Selecteer een geldige keuze"),
        ({"since": "2099-01-01T10:00"}, ["sporthal"], "Dit moment ligt in de toekomst."),
        ({}, [], "Vink minstens één dienst aan."),
        ({}, ["zwembad"], "Selecteer een geldige keuze"),  # another organisation's service
        (
            {"only_dependent": "on", "system": "stad/register"},
            ["sporthal"],
            "Er is niets gewijzigd",
        ),
    ],
)
def test_a_refused_bulk_edit_says_why_in_dutch_and_writes_nothing(
    people: People, fields: dict[str, str], services: list[str], message: str
) -> None:
    revision = current_revision()
    response = bulk(people.client("editor"), services, **fields)
    assert response.status_code == 400
    assert message in text(response)
    assert current_revision() == revision
    assert not FunctionChannel.objects.exclude(level="available").exists()


def test_a_refused_bulk_edit_keeps_what_was_ticked(people: People) -> None:
    client = people.client("editor")
    response = bulk(client, ["materiaal"], q0_code="except", back="")
    assert 'value="materiaal" id="kies-materiaal" checked' in response.content.decode()
    # Ticked but filtered out of view: still sent along with the next try.
    response = bulk(client, ["materiaal"], q0_code="except", back="domein=loketten")
    assert '<input type="hidden" name="services" value="materiaal">' in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"), [("viewer", 403), ("outsider", 404), ("anonymous", 302)]
)
def test_only_editors_of_the_organisation_may_bulk_edit(
    people: People, persona: str, status: int
) -> None:
    revision = current_revision()
    response = bulk(people.client(persona), ["sporthal"])
    assert response.status_code == status
    assert current_revision() == revision


def test_an_admin_may_bulk_edit(people: People) -> None:
    assert bulk(people.client("admin"), ["materiaal"]).status_code == 302
    assert level(people, "materiaal") == "limited"


def test_the_bulk_url_answers_a_get_with_the_board(people: People) -> None:
    response = people.client("editor").get(BULK)
    assert (response.status_code, response["Location"]) == (302, BOARD)

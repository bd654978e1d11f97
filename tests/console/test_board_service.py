"""One service in the console: its parts and why, what it depends on, the quick edit, its help."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.console.test_board import text
from tests.factories import TEST_ACTOR
from tests.personas import People
from watwerkt.audit.models import AuditEntry
from watwerkt.catalogue.models import Alternative, FunctionChannel, Instruction
from watwerkt.engine import Level, Qualifier
from watwerkt.status.models import StatusEvent
from watwerkt.status.revision import current_revision
from watwerkt.status.services import set_status
from watwerkt.status.values import ManualStatus, QualifierValue, manual_from_row

PAGE = "/console/stad/diensten/sporthal/"
EDIT = "/console/stad/diensten/sporthal/status/"
HELP = "/console/stad/diensten/sporthal/hulp/"


def item(service: str, channel: str) -> FunctionChannel:
    return FunctionChannel.objects.get(function__service__slug=service, channel__slug=channel)


def quick(client: Client, target: str = "sporthal", **fields: str) -> Any:
    data = {
        "target": target,
        "level": "limited",
        "expected": "",
        "expected_date": "",
        "since": "",
        "public_note": "",
        "note": "",
    }
    data.update(fields)
    return client.post(EDIT, data)


def test_the_service_page_shows_each_part_and_what_it_depends_on(people: People) -> None:
    response = people.client("viewer").get(PAGE)
    assert response.status_code == 200
    said = text(response)
    assert "Online werkt" in said
    assert "Telefoon werkt" in said
    assert "Betaalplatform (van elders) hele dienst zacht werkt" in said
    assert "Status wijzigen" not in said  # a viewer reads


def test_an_editor_sets_the_whole_service(people: People) -> None:
    client = people.client("editor")
    response = quick(
        client, q0_code="delays", expected="weeks", note="drukte", public_note="Reken op wachttijd."
    )
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}?onderdeel=sporthal"
    for channel in ("online", "telefoon"):
        manual = manual_from_row(item("sporthal", channel))
        assert manual.level is Level.LIMITED
        assert manual.qualifiers == (QualifierValue(Qualifier.DELAYS),)
        assert manual.expected is not None
        assert manual.expected.kind == "weeks"
        assert manual.note == {"nl": "Reken op wachttijd."}
    event = StatusEvent.objects.filter(layer="manual").last()
    assert event is not None
    assert (event.source, event.actor, event.note) == ("console", "eddy", "drukte")
    said = text(client.get(response["Location"]))
    assert "Opgeslagen: 2 onderdelen staan op “werkt met beperkingen”." in said
    assert "Let op" not in said
    assert (
        quick(
            client,
            q0_code="delays",
            expected="weeks",
            note="drukte",
            public_note="Reken op wachttijd.",
        ).status_code
        == 302
    )
    assert "Niets veranderd: de status was al zo." in text(client.get(response["Location"]))


def test_an_editor_sets_one_item_and_pins_it(people: People) -> None:
    response = quick(
        people.client("editor"),
        "sporthal/boeken/telefoon",
        level="available",
        pinned="on",
        expected="date",
        expected_date="2023-03",
    )
    assert response.status_code == 302
    phone, online = (
        manual_from_row(item("sporthal", "telefoon")),
        manual_from_row(item("sporthal", "online")),
    )
    assert phone.pinned
    assert phone.expected is not None
    assert (phone.expected.kind, phone.expected.value) == ("month", "2023-03")
    assert not online.pinned


def test_the_form_starts_from_the_chosen_part(people: People) -> None:
    apply = FunctionChannel.objects.get(function__slug="aanvragen")
    set_status([apply], ManualStatus(Level.UNAVAILABLE), TEST_ACTOR)
    client = people.client("editor")
    part = client.get("/console/stad/diensten/reispas/?onderdeel=reispas/afhalen/loket")
    html = part.content.decode()
    assert '<option value="reispas/afhalen/loket" selected>' in html
    assert '<option value="available" selected>' in html
    assert "verschillende statussen" not in html
    whole = client.get("/console/stad/diensten/reispas/").content.decode()
    assert '<option value="unavailable" selected>' in whole  # from the first part
    assert "De onderdelen hebben nu verschillende statussen" in whole


def test_an_unchanged_text_keeps_its_translations(people: People) -> None:
    note = {"nl": "Bel ons.", "en": "Call us."}
    caveat = QualifierValue(Qualifier.EXCEPT, {"nl": "clubs", "fr": "clubs (fr)"})
    set_status(
        [item("sporthal", "online"), item("sporthal", "telefoon")],
        ManualStatus(Level.LIMITED, (caveat,), note=note),
        TEST_ACTOR,
    )
    client = people.client("editor")
    quick(client, q0_code="except", q0_text="clubs", public_note="Bel ons.", level="unavailable")
    manual = manual_from_row(item("sporthal", "online"))
    assert manual.level is Level.UNAVAILABLE
    assert manual.note == note
    assert manual.qualifiers == (caveat,)
    quick(client, q0_code="except", q0_text="scholen", public_note="Mail ons.")
    manual = manual_from_row(item("sporthal", "online"))
    assert manual.note == {"nl": "Mail ons."}
    assert manual.qualifiers[0].text == {"nl": "scholen"}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"q0_code": "location_only"}, "Deze voorwaarde heeft een tekst nodig"),
        ({"q0_code": "started_before", "q0_date": "6/12/2022"}, "Schrijf een bestaande datum"),
        ({"expected": "date", "expected_date": "2023-13"}, "bestaande datum"),
        ({"expected": "weeks", "expected_date": "2023-03"}, "Kies “op een datum of in een maand”"),
        (
            {"since": "2023-02-01T10:00", "expected": "date", "expected_date": "2023-01-15"},
            "vóór het begin van de status",
        ),
        ({"since": "morgen"}, "Schrijf een bestaande datum en tijd"),
        ({"target": "reispas"}, "Selecteer een geldige keuze"),  # not this service
        ({"public_note": "x" * 2001}, "niet meer dan 2000 tekens"),
    ],
)
def test_a_refused_quick_edit_says_why_and_writes_nothing(
    people: People, fields: dict[str, str], message: str
) -> None:
    revision = current_revision()
    response = quick(people.client("editor"), **fields)
    assert response.status_code == 400
    assert message in text(response)
    assert current_revision() == revision


@pytest.mark.parametrize(
    ("persona", "status"), [("viewer", 403), ("outsider", 404), ("anonymous", 302)]
)
def test_only_editors_of_the_organisation_may_quick_edit(
    people: People, persona: str, status: int
) -> None:
    revision = current_revision()
    assert quick(people.client(persona)).status_code == status
    assert current_revision() == revision


def test_the_status_url_answers_a_get_with_the_service(people: People) -> None:
    response = people.client("editor").get(EDIT)
    assert (response.status_code, response["Location"]) == (302, PAGE)


def test_an_unknown_service_is_not_found(people: People) -> None:
    assert people.client("viewer").get("/console/stad/diensten/zwembad/").status_code == 404
    assert quick(people.client("editor"), "zwembad").status_code == 400  # not a choice


# -- help ----------------------------------------------------------------------------


def management(prefix: str, total: int, initial: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "50",
    }


def test_the_help_page_shows_a_form_per_kind(people: People) -> None:
    response = people.client("editor").get(HELP)
    assert response.status_code == 200
    html = response.content.decode()
    for kind in ("alternatives", "instructions", "measures"):
        assert f'name="soort" value="{kind}"' in html


def test_an_editor_adds_an_alternative_for_one_channel(people: People) -> None:
    data = {
        "soort": "alternatives",
        **management("alt", 2),
        "alt-0-kind": "contact",
        "alt-0-text": "Bel het sportloket.",
        "alt-0-phone": "03 333 33 33",
        "alt-0-scope": "boeken/telefoon",
        "alt-0-channel": "",
        "alt-1-kind": "",
        "alt-1-text": "",
        "alt-1-scope": "",
        "alt-1-channel": "",
        "note": "loket open",
    }
    response = people.client("editor").post(HELP, data)
    assert response.status_code == 302
    row = Alternative.objects.get(service__slug="sporthal")
    assert (row.kind, row.phone, row.function_channel) == (
        "contact",
        "03 333 33 33",
        item("sporthal", "telefoon"),
    )
    entry = AuditEntry.objects.get(action="service.alternatives")
    assert (entry.actor, entry.source, entry.note) == ("eddy", "console", "loket open")


def test_an_edited_row_keeps_its_translation_only_when_its_text_stays(people: People) -> None:
    hal = people.org.services.get(slug="sporthal")
    Instruction.objects.create(
        organisation=people.org,
        service=hal,
        kind="dont",
        text={"nl": "Kom niet.", "en": "Don't come."},
    )
    client = people.client("editor")
    base = {"soort": "instructions", **management("ins", 1, 1), "ins-0-row": "0"}
    assert (
        client.post(HELP, {**base, "ins-0-kind": "do", "ins-0-text": "Kom niet."}).status_code
        == 302
    )
    assert Instruction.objects.get().text == {"nl": "Kom niet.", "en": "Don't come."}
    client.post(HELP, {**base, "ins-0-kind": "do", "ins-0-text": "Kom later."})
    assert Instruction.objects.get().text == {"nl": "Kom later."}
    client.post(
        HELP, {**base, "ins-0-kind": "do", "ins-0-text": "Kom later.", "ins-0-remove": "on"}
    )
    assert not Instruction.objects.exists()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            {"alt-0-kind": "contact", "alt-0-text": "Bel.", "alt-0-email": "niet@"},
            "Geen geldig e-mailadres.",
        ),
        (
            {"alt-0-kind": "contact", "alt-0-text": "Kijk.", "alt-0-url": "ftp://x"},
            "Geen geldig webadres",
        ),
        ({"alt-0-kind": "contact", "alt-0-text": ""}, "Schrijf een tekst in het Nederlands."),
        ({"alt-0-kind": "", "alt-0-text": "Iets"}, "Kies een soort."),
        (
            {"alt-0-kind": "channel", "alt-0-text": "x", "alt-0-scope": "boeken/post"},
            "Selecteer een geldige keuze",
        ),
    ],
)
def test_a_refused_help_edit_says_why_and_writes_nothing(
    people: People, row: dict[str, str], message: str
) -> None:
    revision = current_revision()
    data = {
        "soort": "alternatives",
        **management("alt", 1),
        "alt-0-scope": "",
        "alt-0-channel": "",
        **row,
    }
    response = people.client("editor").post(HELP, data)
    assert response.status_code == 400
    assert message in text(response)
    assert current_revision() == revision
    assert not Alternative.objects.exists()


def test_saving_the_same_help_writes_nothing(people: People) -> None:
    revision = current_revision()
    response = people.client("editor").post(
        HELP, {"soort": "measures", **management("mea", 1), "mea-0-kind": "", "mea-0-text": ""}
    )
    assert response.status_code == 302
    assert current_revision() == revision


@pytest.mark.parametrize(("persona", "status"), [("viewer", 403), ("outsider", 404)])
def test_only_editors_change_help(people: People, persona: str, status: int) -> None:
    data = {
        "soort": "instructions",
        **management("ins", 1),
        "ins-0-kind": "do",
        "ins-0-text": "Kom.",
    }
    assert people.client(persona).post(HELP, data).status_code == status
    assert not Instruction.objects.exists()

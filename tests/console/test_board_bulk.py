"""The bulk edit changes only what its form fills in: each item keeps its own
public note (with translations), qualifiers, expected return and pin unless the
form says otherwise."""

from __future__ import annotations

from typing import Any

import pytest

from tests.console.test_board import BOARD, BULK, bulk, text
from tests.factories import TEST_ACTOR
from tests.personas import People
from watwerkt.catalogue.models import FunctionChannel
from watwerkt.engine import Expected, Level, Qualifier
from watwerkt.status.models import StatusEvent
from watwerkt.status.revision import current_revision
from watwerkt.status.services import set_status
from watwerkt.status.values import ManualStatus, QualifierValue, manual_from_row

PHONE = {"function__service__slug": "sporthal", "channel__slug": "telefoon"}
ONLINE = {"function__service__slug": "sporthal", "channel__slug": "online"}
MATERIAAL = {"function__service__slug": "materiaal"}

PHONE_OWN = ManualStatus(
    Level.LIMITED,
    qualifiers=(QualifierValue(Qualifier.AUDIENCE_ONLY, {"nl": "leden", "en": "members"}),),
    expected=Expected("date", "2099-03-15"),
    pinned=True,
    note={"nl": "Bel tijdens de kantooruren.", "fr": "Appelez pendant les heures de bureau."},
)
MATERIAAL_OWN = ManualStatus(
    Level.UNAVAILABLE,
    expected=Expected("weeks"),
    note={"nl": "Het uitleenpunt is dicht.", "en": "The lending point is closed."},
)


def manual(**where: str) -> ManualStatus:
    return manual_from_row(FunctionChannel.objects.get(**where))


@pytest.fixture
def own(people: People) -> People:
    """The sporthal's phone line and the materiaal service each say their own thing."""
    set_status([FunctionChannel.objects.get(**PHONE)], PHONE_OWN, TEST_ACTOR)
    set_status([FunctionChannel.objects.get(**MATERIAAL)], MATERIAAL_OWN, TEST_ACTOR)
    return people


def test_a_level_for_many_keeps_each_items_note_qualifiers_expected_return_and_pin(
    own: People,
) -> None:
    """The comms officer's "limited, walk in without appointment" for every service
    on the reservation platform leaves what each item said for itself."""
    response = bulk(own.client("editor"), ["sporthal", "materiaal"], q0_code="without_appointment")
    assert response.status_code == 302
    phone, materiaal, online = manual(**PHONE), manual(**MATERIAAL), manual(**ONLINE)
    assert [q.code for q in phone.qualifiers] == [Qualifier.WITHOUT_APPOINTMENT]
    assert (phone.level, phone.expected, phone.pinned, phone.note) == (
        Level.LIMITED,
        PHONE_OWN.expected,
        True,
        PHONE_OWN.note,
    )
    assert (materiaal.level, materiaal.expected, materiaal.pinned, materiaal.note) == (
        Level.LIMITED,
        MATERIAAL_OWN.expected,
        False,
        MATERIAAL_OWN.note,
    )
    assert [q.code for q in materiaal.qualifiers] == [Qualifier.WITHOUT_APPOINTMENT]
    assert (online.level, online.note, online.expected) == (Level.LIMITED, {}, None)


def test_empty_qualifier_rows_keep_each_items_own_qualifiers(own: People) -> None:
    assert bulk(own.client("editor"), ["sporthal"], level="unavailable").status_code == 302
    phone = manual(**PHONE)
    assert phone.level is Level.UNAVAILABLE
    assert phone.qualifiers == PHONE_OWN.qualifiers  # with its English text


def test_what_the_form_fills_in_is_set_on_every_item(own: People) -> None:
    response = bulk(
        own.client("editor"),
        ["sporthal", "materiaal"],
        expected="days",
        public_note="Kom langs zonder afspraak.",
        pin="vast",
    )
    assert response.status_code == 302
    for where in (PHONE, ONLINE, MATERIAAL):
        found = manual(**where)
        assert (found.expected, found.note, found.pinned) == (
            Expected("days"),
            {"nl": "Kom langs zonder afspraak."},
            True,
        )


def test_a_note_typed_as_an_item_already_has_it_keeps_that_items_translations(
    own: People,
) -> None:
    response = bulk(
        own.client("editor"), ["sporthal", "materiaal"], public_note="Het uitleenpunt is dicht."
    )
    assert response.status_code == 302
    assert manual(**MATERIAAL).note == MATERIAAL_OWN.note  # unchanged: its English stays
    assert manual(**PHONE).note == {"nl": "Het uitleenpunt is dicht."}  # changed: alone


def test_clearing_and_releasing_must_be_asked_for(own: People) -> None:
    response = bulk(
        own.client("editor"),
        ["sporthal", "materiaal"],
        expected="wissen",
        clear_public_note="on",
        clear_qualifiers="on",
        pin="los",
    )
    assert response.status_code == 302
    for where in (PHONE, MATERIAAL):
        found = manual(**where)
        assert (found.qualifiers, found.expected, found.note, found.pinned) == ((), None, {}, False)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"public_note": "Nieuw.", "clear_public_note": "on"},
            "clear_public_note",
            "Kies: een nieuwe uitleg, of de uitleg wissen. Niet allebei.",
        ),
        (
            {"q0_code": "delays", "clear_qualifiers": "on"},
            "clear_qualifiers",
            "Kies: nieuwe voorwaarden, of de voorwaarden wissen. Niet allebei.",
        ),
        ({"pin": "misschien"}, "pin", "Selecteer een geldige keuze"),
        (
            {"expected": "wissen", "expected_date": "2099-01-01"},
            "expected",
            "Kies “op een datum of in een maand” bij deze datum.",
        ),
    ],
)
def test_contradictions_are_refused_on_their_field_and_write_nothing(
    own: People, fields: dict[str, str], field: str, message: str
) -> None:
    revision, events = current_revision(), StatusEvent.objects.count()
    before = [manual(**w).to_json() for w in (PHONE, ONLINE, MATERIAAL)]
    response = bulk(own.client("editor"), ["sporthal", "materiaal"], **fields)
    assert response.status_code == 400
    assert message in text(response)
    assert f'id="id_{field}"' in response.content.decode()
    assert (current_revision(), StatusEvent.objects.count()) == (revision, events)
    assert [manual(**w).to_json() for w in (PHONE, ONLINE, MATERIAAL)] == before


def test_the_form_says_that_empty_fields_keep_each_items_own(people: People) -> None:
    said = text(people.client("editor").get(BOARD))
    assert "Wat je leeg laat, houdt elk onderdeel zoals het is" in said
    assert "leeg: elk onderdeel houdt zijn eigen uitleg (met vertalingen)" in said
    assert "leeg: elk onderdeel houdt zijn eigen verwachte terugkeer" in said
    assert "niet wijzigen: elk onderdeel blijft vast of los" in said


def test_the_bulk_edit_is_one_write_with_one_event_per_changed_item(own: People) -> None:
    revision = current_revision()
    events = StatusEvent.objects.filter(layer="manual").count()
    assert bulk(own.client("editor"), ["sporthal", "materiaal"]).status_code == 302
    assert current_revision() == revision + 1
    # online (available) and materiaal (unavailable) change level; the phone was limited already
    assert StatusEvent.objects.filter(layer="manual").count() == events + 2
    again = own.client("editor").post(BULK, _data(["sporthal", "materiaal"]), follow=True)
    assert "Niets veranderd: de status was al zo." in text(again)
    assert current_revision() == revision + 1


def _data(services: list[str]) -> dict[str, Any]:
    return {"services": services, "level": "limited", "back": ""}

"""Fixtures for the public side: a catalogue with help texts, and a fresh read model."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.factories import TEST_ACTOR, Catalogue
from watwerkt.catalogue.models import Alternative, Instruction, Measure, System
from watwerkt.engine import Level, Qualifier
from watwerkt.status.services import set_status
from watwerkt.status.values import ManualStatus, QualifierValue, parse_expected

DEC_6 = datetime(2022, 12, 6, 9, 10, tzinfo=UTC)


def add_help(c: Catalogue) -> None:
    """Alternatives, instructions and measures, like the ones real overviews give."""
    o, hal, pas = c.org, c.services["sporthal"], c.services["reispas"]
    Alternative.objects.create(
        organisation=o,
        service=hal,
        kind="contact",
        text={"nl": "Bel de sportdienst"},
        phone="03 338 00 00",
        email="sport@stad.be",
        hours={"nl": "weekdagen 9-12 uur"},
    )
    Alternative.objects.create(
        organisation=o,
        service=pas,
        function=c.items["pas_pick"].function,
        kind="location",
        text={"nl": "Afhalen kan in het districtshuis"},
        url="https://stad.example/districtshuis",
    )
    Instruction.objects.create(
        organisation=o, service=hal, kind="dont", text={"nl": "Kom niet zonder reservatie"}
    )
    Instruction.objects.create(
        organisation=o, kind="dont", text={"nl": "Betaal een factuur niet twee keer"}
    )
    Measure.objects.create(
        organisation=o,
        service=pas,
        kind="deadline_extended",
        text={"nl": "Verlopen reispassen blijven geldig tot 1 maart"},
    )
    Measure.objects.create(
        organisation=o, kind="fine_waived", text={"nl": "Geen boetes voor laattijdige betaling"}
    )


def set_item(
    c: Catalogue, key: str, level: str, *qualifiers: QualifierValue, expected: str | None = None
) -> None:
    set_status(
        [c.items[key]],
        ManualStatus(
            Level.parse(level),
            tuple(qualifiers),
            DEC_6,
            parse_expected(expected) if expected else None,
        ),
        TEST_ACTOR,
    )


@pytest.fixture
def helped(small: Catalogue) -> Catalogue:
    """The small catalogue with help texts, a public data centre, and the reispas split:
    applying works with delays, picking up does not (expected March 2023)."""
    add_help(small)
    System.objects.filter(pk=small.systems["datacenter"].pk).update(
        public=True, name={"nl": "Datacenter Noord"}
    )
    System.objects.filter(pk=small.systems["reservatie"].pk).update(
        name={"nl": "Geheim Reservatieplatform"}
    )
    set_item(small, "pas_apply", "limited", QualifierValue(Qualifier.DELAYS))
    set_item(small, "pas_pick", "unavailable", expected="2023-03")
    for name, system in small.systems.items():
        system.refresh_from_db()
        small.systems[name] = system
    return small

"""Extreme dates and numbers on every console form and filter: a clear Dutch
answer on the form (4xx), nothing written, never a 500.

Year 1 cannot even be moved to UTC from Brussels and year 9999 runs off the
calendar as soon as a day is added, so every date and moment the console
reads has a range (:mod:`watwerkt.console.moments`); huge integers must not
reach code that needs a machine-sized one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.console import incident_world as world
from tests.console.test_board import text
from tests.personas import People
from watwerkt.accounts.models import ApiToken
from watwerkt.catalogue.models import FunctionChannel, System
from watwerkt.status.models import StatusEvent

RANGE = "Kies een datum tussen 2000 en 2100."
HUGE = "99999999999999999999"
STATUS = {"level": "limited", "expected": "", "expected_date": "", "since": "", "note": ""}
BULK = {**STATUS, "services": ["sporthal"], "back": ""}


def _incident(people: People) -> str:
    return f"/console/stad/incidenten/{world.incident(people).slug}/"


def _target(people: People) -> str:
    return f"{_incident(people)}doelen/{world.target(people).pk}/"


def _window(people: People) -> str:
    return f"/console/stad/onderhoud/{world.window(people).slug}/bewerken/"


@dataclass(frozen=True)
class Case:
    name: str
    url: Callable[[People], str]
    data: dict[str, Any] | None  # None: a GET with the url's query
    says: str
    persona: str = "editor"
    extra: dict[str, Any] = field(default_factory=dict)


def fixed(url: str) -> Callable[[People], str]:
    return lambda people: url


INCIDENT = {"title_nl": "Brand", "impact": "major", "phase": "investigating"}
EDIT = {"title_nl": "Storing", "impact": "major", "started_at": "2022-12-06T10:10"}
WINDOW = {"title_nl": "Onderhoud", "starts": "2099-01-01T10:00", "ends": "2099-01-01T12:00"}
TOKEN = {"action": "create", "name": "monitoring", "role": "editor"}
HELP = {
    "soort": "instructions",
    "ins-TOTAL_FORMS": "1",
    "ins-INITIAL_FORMS": "0",
    "ins-MIN_NUM_FORMS": "0",
    "ins-MAX_NUM_FORMS": "1000",
    "ins-0-kind": "do",
    "ins-0-text": "Bel eerst.",
    "ins-0-row": HUGE,
}

CASES = [
    # the board's filter and the status forms
    Case("board-since-year-1", fixed("/console/stad/diensten/?sinds=0001-01-01T00:00"), None,
         RANGE, "viewer"),
    Case("board-since-year-9999", fixed("/console/stad/diensten/?sinds=9999-12-31T23:59"), None,
         RANGE, "viewer"),
    Case("board-since-huge", fixed(f"/console/stad/diensten/?sinds={HUGE}"), None,
         "Schrijf een bestaande datum en tijd", "viewer"),
    Case("quick-since-year-1", fixed("/console/stad/diensten/sporthal/status/"),
         {**STATUS, "target": "sporthal", "since": "0001-01-01T00:00"}, RANGE),
    Case("quick-since-year-9999", fixed("/console/stad/diensten/sporthal/status/"),
         {**STATUS, "target": "sporthal", "since": "9999-12-31T23:59"}, RANGE),
    Case("quick-expected-year-9999", fixed("/console/stad/diensten/sporthal/status/"),
         {**STATUS, "target": "sporthal", "expected": "date", "expected_date": "9999-12-31"},
         RANGE),
    Case("quick-expected-month-year-1", fixed("/console/stad/diensten/sporthal/status/"),
         {**STATUS, "target": "sporthal", "expected": "date", "expected_date": "0001-01"}, RANGE),
    Case("quick-qualifier-date-year-1", fixed("/console/stad/diensten/sporthal/status/"),
         {**STATUS, "target": "sporthal", "q0_code": "started_before", "q0_date": "0001-01-01"},
         RANGE),
    Case("bulk-since-year-1", fixed("/console/stad/bulkwijziging/"),
         {**BULK, "since": "0001-01-01T00:00"}, RANGE),
    Case("bulk-expected-year-9999", fixed("/console/stad/bulkwijziging/"),
         {**BULK, "expected": "date", "expected_date": "9999-12-31"}, RANGE),
    # systems
    Case("system-expected-year-9999", fixed("/console/stad/systemen/stad/reservatie/toestand/"),
         {"state": "down", "expected": "date", "expected_date": "9999-12-31", "note": ""}, RANGE),
    Case("plan-target-year-9999", fixed("/console/stad/systemen/stad/reservatie/herstelplan/"),
         {"priority": "", "owner": "", "target": "9999-12-31", "steps": "", "note": ""}, RANGE),
    Case("plan-priority-huge", fixed("/console/stad/systemen/stad/reservatie/herstelplan/"),
         {"priority": HUGE, "owner": "", "target": "", "steps": "", "note": ""}, "1000"),
    Case("help-row-huge", fixed("/console/stad/diensten/sporthal/hulp/"), HELP, ""),
    # incidents
    Case("incident-create-year-1", fixed("/console/stad/nieuw-incident/"),
         {**INCIDENT, "started_at": "0001-01-01T00:00"}, RANGE),
    Case("incident-create-year-9999", fixed("/console/stad/nieuw-incident/"),
         {**INCIDENT, "started_at": "9999-12-31T23:59"}, RANGE),
    Case("incident-edit-year-1", lambda p: _incident(p) + "bewerken/",
         {**EDIT, "started_at": "0001-01-01T00:00"}, RANGE),
    Case("phase-resolved-year-1", lambda p: _incident(p) + "fase/",
         {"phase": "resolved", "resolved_at": "0001-01-01T00:00"}, RANGE),
    Case("phase-resolved-year-9999", lambda p: _incident(p) + "fase/",
         {"phase": "resolved", "resolved_at": "9999-12-31T23:59"}, RANGE),
    Case("target-due-year-9999", lambda p: _incident(p) + "doelen/",
         {"text_nl": "Alles werkt", "due": "9999-12-31"}, RANGE),
    Case("target-due-year-1", _target, {"text_nl": "Alles werkt", "due": "0001-01-01"}, RANGE),
    Case("target-reached-year-1", lambda p: _target(p) + "bereikt/",
         {"reached": "on", "reached_at": "0001-01-01T00:00"}, RANGE),
    Case("maintenance-starts-year-1", fixed("/console/stad/nieuw-onderhoud/"),
         {**WINDOW, "starts": "0001-01-01T00:00"}, RANGE),
    Case("maintenance-ends-year-9999", fixed("/console/stad/nieuw-onderhoud/"),
         {**WINDOW, "ends": "9999-12-31T23:59"}, RANGE),
    Case("maintenance-edit-year-1", _window, {**WINDOW, "starts": "0001-01-01T00:00"}, RANGE),
    # the audit trail and its exports
    Case("audit-since-year-1", fixed("/console/stad/audit/?since=0001-01-01"), None, RANGE,
         "admin"),
    Case("audit-until-year-9999", fixed("/console/stad/audit/?until=9999-12-31"), None, RANGE,
         "admin"),
    Case("audit-from-huge", fixed(f"/console/stad/audit/?vanaf={HUGE}"), None, "", "admin"),
    Case("audit-csv-since-year-1", fixed("/console/stad/audit.csv?since=0001-01-01"), None, RANGE,
         "admin"),
    Case("audit-json-until-year-9999", fixed("/console/stad/audit.json?until=9999-12-31"), None,
         RANGE, "admin"),
    # API keys
    Case("token-expires-year-9999", fixed("/console/stad/api-sleutels/"),
         {**TOKEN, "expires": "9999-12-31"}, RANGE, "admin"),
    Case("token-expires-year-1", fixed("/console/stad/api-sleutels/"),
         {**TOKEN, "expires": "0001-01-01"}, RANGE, "admin"),
]  # fmt: skip


def written() -> tuple[Any, ...]:
    """Everything a console form may write."""
    return (
        world.written(),
        StatusEvent.objects.count(),
        tuple(FunctionChannel.objects.order_by("pk").values()),
        tuple(System.objects.order_by("pk").values()),
        ApiToken.objects.count(),
    )


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_an_extreme_value_is_refused_clearly_and_writes_nothing(people: People, case: Case) -> None:
    url = case.url(people)
    before = written()
    client = people.client(case.persona)
    response = client.get(url) if case.data is None else client.post(url, case.data)
    assert 400 <= response.status_code < 500, response.content.decode()[:3000]
    body = response.content.decode()
    said = body if response["Content-Type"].startswith("text/plain") else text(response)
    assert case.says in said
    assert written() == before


def test_the_range_is_said_in_the_help_of_a_moment(people: People) -> None:
    """Nobody has to guess the range: a refused year says which years are allowed."""
    response = people.client("editor").post(
        "/console/stad/nieuw-incident/", {**INCIDENT, "started_at": "1999-12-31T23:59"}
    )
    assert response.status_code == 400
    assert RANGE in text(response)

"""The audit trail page: one organisation's rows, filtered, exported as CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime

import pytest
import time_machine

from tests.factories import TEST_ACTOR
from tests.personas import People
from watwerkt.audit.services import record
from watwerkt.console.access import audit as audit_view
from watwerkt.engine import SystemState
from watwerkt.status.services import SystemChange, set_system
from watwerkt.status.writing import Actor

COMMS = Actor("comms", "console")


@pytest.fixture
def trail(people: People) -> People:
    """Writes in both organisations, on two days."""
    with time_machine.travel(datetime(2022, 12, 6, 9, 0, tzinfo=UTC)):
        record(COMMS, "incident.create", organisation=people.org, label="stad/cyberaanval")
        set_system(people.org.systems.get(slug="register"), SystemChange(SystemState.DOWN),
                   Actor("ops", "cli"), "register plat")  # fmt: skip
    with time_machine.travel(datetime(2022, 12, 8, 15, 0, tzinfo=UTC)):
        record(TEST_ACTOR, "user.role", organisation=people.org, label="viola",
               before={"role": None}, after={"role": "=viewer"})  # fmt: skip
        record(COMMS, "incident.create", organisation=people.other, label="elders/geheim")
    return people


def rows(html: str) -> list[list[str]]:
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S)
    if not body:
        return []
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)
    ]


def test_an_admin_sees_every_write_of_the_organisation_newest_first(trail: People) -> None:
    page = trail.client("admin").get("/console/stad/audit/").content.decode()
    found = rows(page)
    assert [(r[1], r[2], r[3], r[4]) for r in found] == [
        ("test", "cli", "user.role", "viola"),
        ("ops", "cli", "status.set.system", "stad/register"),
        ("comms", "console", "incident.create", "stad/cyberaanval"),
    ]
    assert found[0][0] == "2022-12-08 16:00:00"  # in the organisation's time zone
    assert "elders/geheim" not in page
    assert "register plat" in page


@pytest.mark.parametrize(
    ("query", "actions"),
    [
        ("actor=comms", ["incident.create"]),
        ("source=cli", ["user.role", "status.set.system"]),
        ("action=status", ["status.set.system"]),
        ("action=user", ["user.role"]),
        ("since=2022-12-07", ["user.role"]),
        ("until=2022-12-06", ["status.set.system", "incident.create"]),
        ("since=2022-12-06&until=2022-12-06&source=console", ["incident.create"]),
        ("actor=nobody", []),
    ],
)
def test_the_trail_filters_by_actor_source_action_and_days(
    trail: People, query: str, actions: list[str]
) -> None:
    page = trail.client("admin").get(f"/console/stad/audit/?{query}").content.decode()
    assert [r[3] for r in rows(page)] == actions
    if not actions:
        assert "Geen wijzigingen die aan deze filters voldoen" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=2022-12-09&until=2022-12-01", "De begindatum ligt na de einddatum."),
        ("since=gisteren", "Voer een geldige datum in."),
        ("source=fax", "Selecteer een geldige keuze."),
    ],
)
def test_a_bad_filter_says_what_is_wrong_and_shows_nothing(
    trail: People, query: str, message: str
) -> None:
    response = trail.client("admin").get(f"/console/stad/audit/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert rows(response.content.decode()) == []
    export = trail.client("admin").get(f"/console/stad/audit.csv?{query}")
    assert export.status_code == 400
    assert message in export.content.decode()


def test_the_exports_carry_the_same_filtered_rows(trail: People) -> None:
    client = trail.client("admin")
    page = client.get("/console/stad/audit/?source=cli").content.decode()
    assert 'href="/console/stad/audit.csv?source=cli"' in page
    as_csv = client.get("/console/stad/audit.csv?source=cli")
    assert as_csv["Content-Type"] == "text/csv; charset=utf-8"
    assert re.match(
        r'attachment; filename="audit-stad-\d{8}-\d{4}\.csv"', as_csv["Content-Disposition"]
    )
    table = list(csv.DictReader(io.StringIO(as_csv.content.decode())))
    assert [r["action"] for r in table] == ["user.role", "status.set.system"]
    assert table[0]["after"] == '{"role": "=viewer"}'
    as_json = client.get("/console/stad/audit.json?source=cli")
    assert as_json["Content-Type"] == "application/json"
    data = json.loads(as_json.content)
    assert [r["action"] for r in data] == ["user.role", "status.set.system"]
    assert {r["organisation_id"] for r in data} == {trail.org.pk}
    assert data[1]["before"]["state"] == "up"
    assert data[1]["after"]["state"] == "down"


def test_the_exports_hold_only_the_organisations_rows(trail: People) -> None:
    data = json.loads(trail.client("admin").get("/console/stad/audit.json").content)
    assert "elders/geheim" not in {r["target"] for r in data}
    assert len(data) == 3


def test_long_trails_are_paged(trail: People, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit_view, "PAGE", 2)
    client = trail.client("admin")
    first = client.get("/console/stad/audit/?source=").content.decode()
    assert len(rows(first)) == 2
    more = re.search(r'href="(\?[^"]*vanaf=2[^"]*)"', first)
    assert more
    second = client.get("/console/stad/audit/" + more.group(1).replace("&amp;", "&"))
    assert [r[3] for r in rows(second.content.decode())] == ["incident.create"]
    assert "Oudere wijzigingen" not in second.content.decode()

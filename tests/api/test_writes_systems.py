"""PUT .../systems/{system}/state (and its dry run), and .../recovery-plan."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.api.bearer import API, Api, body_of, error_of, nothing_written, token
from tests.factories import Catalogue
from tests.personas import People, people  # noqa: F401  (a fixture)
from watwerkt.accounts.roles import Role
from watwerkt.audit.models import AuditEntry
from watwerkt.catalogue.models import System
from watwerkt.status.models import StatusEvent
from watwerkt.status.revision import current_revision

STATE = f"{API}/stad/systems/{{}}/state"
PLAN = f"{API}/stad/systems/{{}}/recovery-plan"


@pytest.fixture
def editor(small: Catalogue, client: Client) -> Api:
    return Api(client, token(small.org, Role.EDITOR, "crisiscel"))


def lines(data: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [(c["subject"], c["path"], c["before"], c["after"]) for c in data["changes"]]


def test_a_dry_run_lists_every_public_change_and_writes_nothing(editor: Api) -> None:
    with nothing_written():
        response = editor.put(STATE.format("datacenter") + "?dry_run=true", {"state": "down"})
    data = body_of(response, 200)
    assert data["dry_run"] is True
    assert data["changed"] is False
    assert data["system"] == {"id": "datacenter", "before": "up", "after": "down"}
    assert response["ETag"] == f'"{data["revision"]}"'
    assert ("service", "stad/sporthal", "available", "unavailable") in lines(data)
    assert ("item", "stad/materiaal/-/-", "available", "unavailable") in lines(data)
    assert all(c["subject"] != "system" for c in data["changes"])  # systems stay internal
    assert System.objects.get(slug="datacenter").state == "up"


def test_the_dry_run_is_what_the_write_then_does(editor: Api) -> None:
    body = {"state": "degraded", "expected": "days", "note": "storage traag"}
    preview = body_of(editor.put(STATE.format("reservatie") + "?dry_run=1", body), 200)
    applied = body_of(editor.put(STATE.format("reservatie"), body), 200)
    assert applied["changes"] == preview["changes"]
    assert applied["changes"]
    assert applied["system"] == preview["system"]
    assert (applied["dry_run"], applied["changed"]) == (False, True)
    assert applied["revision"] == preview["revision"] + 1


def test_a_write_is_recorded_with_the_token_and_its_note(editor: Api) -> None:
    editor.put(STATE.format("register"), {"state": "down", "note": "stroompanne"})
    event = StatusEvent.objects.filter(layer="manual", subject="system").latest("id")
    assert (event.actor, event.source, event.note) == ("crisiscel", "api", "stroompanne")
    system = System.objects.get(slug="register")
    assert (system.state, system.note) == ("down", {"nl": "stroompanne"})


def test_setting_the_same_state_again_changes_nothing(editor: Api) -> None:
    body = {"state": "maintenance", "since": "2022-12-06T08:00+01:00"}
    first = body_of(editor.put(STATE.format("register"), body), 200)
    with nothing_written():
        again = body_of(editor.put(STATE.format("register"), body), 200)
    assert (again["changed"], again["changes"], again["revision"]) == (False, [], first["revision"])


def test_a_dry_run_then_if_match_applies_exactly_what_was_seen(editor: Api) -> None:
    preview = editor.put(STATE.format("datacenter") + "?dry_run=true", {"state": "down"})
    seen = preview["ETag"]
    editor.put(STATE.format("register"), {"state": "down"})  # someone else, meanwhile
    with nothing_written():
        late = editor.put(STATE.format("datacenter"), {"state": "down"}, **{"If-Match": seen})
    assert error_of(late, 412)["code"] == "precondition_failed"
    fresh = editor.put(STATE.format("datacenter") + "?dry_run=true", {"state": "down"})
    applied = editor.put(
        STATE.format("datacenter"), {"state": "down"}, **{"If-Match": fresh["ETag"]}
    )
    assert body_of(applied, 200)["revision"] == current_revision()


def test_a_dry_run_with_a_stale_if_match_is_412_too(editor: Api) -> None:
    old = f'"{current_revision() - 1}"'
    response = editor.put(STATE.format("datacenter") + "?dry_run=true", {"state": "down"},
                          **{"If-Match": old})  # fmt: skip
    assert error_of(response, 412)["field"] == "If-Match"


@pytest.mark.parametrize(("query", "field"), [("dry_run=ja", "dry_run"), ("force=1", "force")])
def test_bad_parameters_are_400(editor: Api, query: str, field: str) -> None:
    with nothing_written():
        error = error_of(editor.put(STATE.format("datacenter") + "?" + query, {"state": "up"}), 400)
    assert error["field"] == field


def test_an_unknown_system_is_404(editor: Api) -> None:
    error = error_of(editor.put(STATE.format("nergens"), {"state": "up"}), 404)
    assert "no system 'nergens'" in error["message"]


def test_a_shared_system_changes_only_through_its_owner(
    people: People,  # noqa: F811
    client: Client,
) -> None:
    """stad's sporthal depends on elders' payment platform: stad sees it, never changes it."""
    stad = Api(client, token(people.org, Role.ADMIN))
    with nothing_written():
        here = stad.put(STATE.format("betaalplatform"), {"state": "down"})
        there = stad.put(f"{API}/elders/systems/betaalplatform/state", {"state": "down"})
    assert (here.status_code, there.status_code) == (404, 404)
    owner = Api(client, token(people.other, Role.EDITOR))
    data = body_of(owner.put(f"{API}/elders/systems/betaalplatform/state?dry_run=true",
                             {"state": "down"}), 200)  # fmt: skip
    assert ("service", "stad/sporthal", "available", "limited") in lines(data)


def test_a_viewer_may_not_even_preview(small: Catalogue, client: Client) -> None:
    viewer = Api(client, token(small.org, Role.VIEWER))
    response = viewer.put(STATE.format("datacenter") + "?dry_run=true", {"state": "down"})
    assert error_of(response, 403)["code"] == "forbidden"


# -- recovery plans --------------------------------------------------------------------------

PLAN_BODY = {"priority": 2, "owner": "ICT", "target": "2023-03-31", "steps": ["back-up", " test "]}


def test_a_recovery_plan_is_set_whole_and_audited_with_the_token(editor: Api) -> None:
    data = body_of(editor.put(PLAN.format("reservatie"), PLAN_BODY), 200)
    assert data["changed"] is True
    assert data["plan"] == {"priority": 2, "owner": "ICT", "target": "2023-03-31",
                            "steps": ["back-up", "test"]}  # fmt: skip
    entry = AuditEntry.objects.get(action="system.recovery")
    assert (entry.actor, entry.source, entry.target) == ("crisiscel", "api", "stad/reservatie")
    with nothing_written():
        again = body_of(editor.put(PLAN.format("reservatie"), PLAN_BODY), 200)
    assert again["changed"] is False
    cleared = body_of(editor.put(PLAN.format("reservatie"), {}), 200)
    assert cleared["plan"] == {"priority": None, "owner": "", "target": None, "steps": []}


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"priority": 0}, 422, "priority"),
        ({"priority": 1.5}, 400, "priority"),
        ({"priority": "1"}, 400, "priority"),
        ({"target": "2023-02-30"}, 422, "target"),
        ({"steps": ["x" * 501]}, 422, "steps[0]"),
        ({"steps": [1]}, 400, "steps[0]"),
        ({"owner": "x" * 201}, 422, "owner"),
        ({"done": True}, 400, "done"),
    ],
)
def test_a_bad_plan_is_refused_and_writes_nothing(
    editor: Api, body: dict[str, Any], status: int, field: str
) -> None:
    with nothing_written():
        error = error_of(editor.put(PLAN.format("reservatie"), body), status)
    assert error["field"] == field


def test_a_whole_number_may_be_written_as_2_0(editor: Api) -> None:
    data = body_of(editor.put(PLAN.format("register"), {"priority": 2.0}), 200)
    assert data["plan"]["priority"] == 2

"""PUT .../status: the manual status of a service, a function or one function x channel."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.api.bearer import API, ROLES, Api, body_of, error_of, nothing_written, token
from tests.factories import Catalogue
from tests.personas import People, people  # noqa: F401  (a fixture)
from watwerkt.accounts.roles import Role
from watwerkt.audit.trail import Filters, entries
from watwerkt.catalogue.models import FunctionChannel
from watwerkt.status.models import StatusEvent
from watwerkt.status.revision import current_revision

STAD = f"{API}/stad/services"
LIMITED = {
    "level": "limited",
    "qualifiers": ["delays", {"code": "except", "text": "Sporthal Arena"}],
    "expected": "weeks",
    "public_note": {"nl": "Reken op vertraging", "en": "Expect delays"},
    "note": "melding contactcenter",
}


@pytest.fixture
def editor(small: Catalogue, client: Client) -> Api:
    return Api(client, token(small.org, Role.EDITOR, "planning"))


def test_an_editor_token_sets_one_item_and_sees_what_changed(small: Catalogue, editor: Api) -> None:
    before = current_revision()
    response = editor.put(f"{STAD}/sporthal/functions/boeken/channels/online/status", LIMITED)
    data = body_of(response, 200)
    assert data["revision"] == before + 1 == current_revision()
    assert response["ETag"] == f'"{before + 1}"'
    assert data["changed"] is True
    [item] = data["items"]
    assert item["function"] == "boeken"
    assert item["channel"] == "online"
    assert item["level"] == "limited"
    assert item["qualifiers"] == [
        {"code": "delays", "text": {}, "date": None},
        {"code": "except", "text": {"nl": "Sporthal Arena"}, "date": None},
    ]
    assert item["expected"] == {"kind": "weeks", "value": None}
    assert item["public_note"] == {"nl": "Reken op vertraging", "en": "Expect delays"}
    assert [(c["subject"], c["path"], c["before"], c["after"]) for c in data["changes"]] == [
        ("organisation", "stad", "available", "limited"),
        ("domain", "stad/sport", "available", "limited"),
        ("service", "stad/sporthal", "available", "limited"),
        ("item", "stad/sporthal/boeken/online", "available", "limited"),
    ]
    stored = FunctionChannel.objects.get(pk=small.items["hal_online"].pk)
    assert stored.level == "limited"
    assert FunctionChannel.objects.get(pk=small.items["hal_phone"].pk).level == "available"


def test_the_event_and_the_audit_trail_name_the_token(small: Catalogue, editor: Api) -> None:
    editor.put(f"{STAD}/reispas/status", LIMITED)
    events = StatusEvent.objects.filter(layer="manual", subject="item").order_by("id")
    assert {(e.actor, e.source, e.note) for e in events} == {
        ("planning", "api", "melding contactcenter")
    }
    trail = list(entries(Filters(organisation_ids=(small.org.pk,), source="api")))
    assert trail
    assert {row.actor for row in trail} == {"planning"}


def test_the_same_body_twice_is_one_change(small: Catalogue, editor: Api) -> None:
    path = f"{STAD}/materiaal/status"
    first = body_of(editor.put(path, LIMITED), 200)
    with nothing_written():
        second = body_of(editor.put(path, LIMITED), 200)
    assert second["changed"] is False
    assert second["changes"] == []
    assert second["revision"] == first["revision"]
    assert second["items"] == first["items"]


def test_a_change_shows_on_the_public_side_at_once(small: Catalogue, editor: Api) -> None:
    client = Client()
    before = client.get(f"{API}/stad/services/reispas").json()["status"]["level"]
    editor.put(f"{STAD}/reispas/status", {"level": "unavailable"})
    after = client.get(f"{API}/stad/services/reispas").json()
    assert (before, after["status"]["level"]) == ("available", "unavailable")


@pytest.mark.parametrize(
    ("path", "items"),
    [
        ("sporthal/status", {"hal_online", "hal_phone"}),
        ("sporthal/functions/boeken/status", {"hal_online", "hal_phone"}),
        ("sporthal/functions/boeken/channels/telefoon/status", {"hal_phone"}),
        ("materiaal/functions/-/channels/-/status", {"mat"}),
        ("materiaal/functions/-/status", {"mat"}),
        ("reispas/functions/afhalen/status", {"pas_pick"}),
    ],
)
def test_addresses_name_what_the_cli_names(
    small: Catalogue, editor: Api, path: str, items: set[str]
) -> None:
    body_of(editor.put(f"{STAD}/{path}", {"level": "unknown"}), 200)
    changed = {name for name, item in small.items.items()
               if FunctionChannel.objects.get(pk=item.pk).level == "unknown"}  # fmt: skip
    assert changed == items


@pytest.mark.parametrize(
    ("path", "names"),
    [
        ("nergens/status", "unknown service 'nergens'"),
        ("sporthal/functions/betalen/status", "unknown function of sporthal 'betalen'"),
        ("sporthal/functions/boeken/channels/loket/status", "unknown channel"),
        ("reispas/functions/-/status", "names no function x channel"),
    ],
)
def test_an_address_that_names_nothing_is_404(
    small: Catalogue, editor: Api, path: str, names: str
) -> None:
    with nothing_written():
        error = error_of(editor.put(f"{STAD}/{path}", LIMITED), 404)
    assert error["code"] == "not_found"
    assert names in error["message"]


@pytest.mark.parametrize("role", ["viewer", "editor", "admin", "outsider"])
def test_each_role_gets_what_its_role_allows(
    people: People,  # noqa: F811
    client: Client,
    role: str,
) -> None:
    where = people.other if role == "outsider" else people.org
    api = Api(client, token(where, ROLES.get(role, Role.ADMIN), role))
    expected = {"viewer": 403, "editor": 200, "admin": 200, "outsider": 404}[role]
    assert api.put(f"{STAD}/sporthal/status", LIMITED).status_code == expected


def test_if_match_with_the_current_revision_writes(small: Catalogue, editor: Api) -> None:
    now = current_revision()
    response = editor.put(f"{STAD}/reispas/status", LIMITED, **{"If-Match": f'"{now}"'})
    assert body_of(response, 200)["revision"] == now + 1


@pytest.mark.parametrize(
    "header", ['"{old}"', 'W/"{now}-nl-abcd1234"', '"abc"', "{now}", '"{old}", "{older}"']
)
def test_if_match_with_another_revision_is_412_and_writes_nothing(
    small: Catalogue, editor: Api, header: str
) -> None:
    editor.put(f"{STAD}/materiaal/status", {"level": "limited"})  # the catalogue moves on
    now = current_revision()
    value = header.format(now=now, old=now - 1, older=now - 2)
    with nothing_written():
        response = editor.put(f"{STAD}/reispas/status", LIMITED, **{"If-Match": value})
    error = error_of(response, 412)
    assert (error["code"], error["field"]) == ("precondition_failed", "If-Match")


def test_if_match_names_any_of_several_or_star(small: Catalogue, editor: Api) -> None:
    now = current_revision()
    either = f'"{now - 1}", "{now}"'
    assert editor.put(f"{STAD}/reispas/status", LIMITED, **{"If-Match": either}).status_code == 200
    assert editor.put(f"{STAD}/materiaal/status", LIMITED, **{"If-Match": "*"}).status_code == 200


@pytest.mark.parametrize("method", ["get", "head", "delete", "patch", "post"])
def test_other_methods_are_405_and_say_which_is_allowed(
    small: Catalogue, editor: Api, method: str
) -> None:
    response = getattr(editor.client, method)(f"{STAD}/reispas/status", headers=editor.headers({}))
    assert response.status_code == 405
    assert response["Allow"] == "PUT, OPTIONS"


def test_writes_are_not_for_other_web_pages(small: Catalogue, editor: Api) -> None:
    """No CORS on writes: a browser on another site cannot send them with a token."""
    response = editor.client.options(f"{STAD}/reispas/status")
    assert response.status_code == 204
    assert "Access-Control-Allow-Origin" not in response
    written = editor.put(f"{STAD}/reispas/status", LIMITED)
    assert "Access-Control-Allow-Origin" not in written


def test_our_own_bugs_answer_in_the_one_shape(
    small: Catalogue, editor: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from watwerkt.api import writes

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(writes, "set_status", broken)
    with nothing_written():
        error = error_of(editor.put(f"{STAD}/reispas/status", LIMITED), 500)
    assert error == {"code": "server_error", "message": "something went wrong on our side"}

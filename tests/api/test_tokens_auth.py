"""Bearer authentication of the writes: 401, 429, 404 for other organisations, 403 by role."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.api.bearer import API, MAKER, Api, error_of, nothing_written, token
from tests.factories import Catalogue
from tests.personas import People, people, person, sign_in  # noqa: F401  (people: a fixture)
from watwerkt.accounts import throttle, tokens
from watwerkt.accounts.roles import Role

STATUS = f"{API}/stad/services/sporthal/status"
BODY = {"level": "limited"}


def test_without_a_token_the_answer_is_401_with_a_challenge(
    small: Catalogue, client: Client
) -> None:
    with nothing_written():
        response = Api(client).put(STATUS, BODY)
    assert error_of(response, 401)["code"] == "unauthenticated"
    assert response["WWW-Authenticate"] == 'Bearer realm="watwerkt"'


@pytest.mark.parametrize(
    ("header", "error"),
    [
        ("Basic dXNlcjpwYXNz", "invalid_request"),
        ("Bearer", "invalid_request"),
        ("Bearer ww_nietsgeldigs_" + "a" * 43, "invalid_token"),
        ("Bearer geen-sleutel", "invalid_token"),
    ],
)
def test_a_bad_authorization_header_is_401_naming_the_error(
    small: Catalogue, client: Client, header: str, error: str
) -> None:
    with nothing_written():
        response = client.put(
            STATUS, "{}", content_type="application/json", headers={"Authorization": header}
        )
    assert error_of(response, 401)["code"] == "unauthenticated"
    assert f'error="{error}"' in response["WWW-Authenticate"]


def test_a_revoked_token_is_401_and_says_so(small: Catalogue, client: Client) -> None:
    raw = token(small.org, Role.EDITOR)
    tokens.revoke(tokens.check(raw).token, MAKER)  # type: ignore[arg-type]
    with nothing_written():
        response = Api(client, raw).put(STATUS, BODY)
    assert "revoked" in error_of(response, 401)["message"]


def test_an_expired_token_is_401_and_says_so(small: Catalogue, client: Client) -> None:
    ends = timezone.now() + timedelta(hours=1)
    _, raw = tokens.create(small.org, "kort", Role.EDITOR, MAKER, expires_at=ends)
    with time_machine.travel(ends + timedelta(seconds=1)), nothing_written():
        response = Api(client, raw).put(STATUS, BODY)
    assert "expired" in error_of(response, 401)["message"]


@pytest.mark.parametrize("name", ["access_token", "token"])
def test_a_token_in_the_url_is_refused(small: Catalogue, client: Client, name: str) -> None:
    raw = token(small.org, Role.EDITOR)
    with nothing_written():
        response = Api(client, raw).put(f"{STATUS}?{name}={raw}", BODY)
    error = error_of(response, 400)
    assert error["field"] == name
    assert "Authorization header" in error["message"]


def test_a_console_session_is_no_credential_for_the_api(small: Catalogue, client: Client) -> None:
    editor = person("eddy", {small.org: Role.EDITOR})
    sign_in(client, editor)
    with nothing_written():
        response = Api(client).put(STATUS, BODY)
    assert error_of(response, 401)["code"] == "unauthenticated"


def test_too_many_wrong_tokens_from_one_address_wait(
    small: Catalogue, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(throttle, "FAILURE_LIMIT", 3)
    wrong = Api(client, "ww_aaaaaaaaaaaa_" + "b" * 43)
    for _ in range(3):
        assert wrong.put(STATUS, BODY).status_code == 401
    good = token(small.org, Role.EDITOR)
    with nothing_written():
        refused = Api(client, good).put(STATUS, BODY)  # even a good token waits now
    assert error_of(refused, 429)["code"] == "too_many_requests"
    assert 1 <= int(refused["Retry-After"]) <= throttle.FAILURE_WINDOW + 1
    other = Client(REMOTE_ADDR="10.0.0.9")  # another address is not held up
    assert Api(other, good).put(STATUS, BODY).status_code == 200


def test_revoked_and_expired_tokens_do_not_count_as_guesses(
    small: Catalogue, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(throttle, "FAILURE_LIMIT", 2)
    raw = token(small.org, Role.EDITOR, "oud")
    tokens.revoke(tokens.check(raw).token, MAKER)  # type: ignore[arg-type]
    for _ in range(4):
        assert Api(client, raw).put(STATUS, BODY).status_code == 401
    assert Api(client, token(small.org, Role.EDITOR)).put(STATUS, BODY).status_code == 200


def test_a_token_of_another_organisation_finds_nothing_there(
    people: People,  # noqa: F811
    client: Client,
) -> None:
    outsider = Api(client, token(people.other, Role.ADMIN))
    with nothing_written():
        theirs = outsider.put(STATUS, BODY)
        missing = outsider.put(STATUS.replace("/stad/", "/bestaat-niet/"), BODY)
    assert error_of(theirs, 404)["code"] == "not_found"
    assert theirs.content == missing.content.replace(b"bestaat-niet", b"stad")
    assert outsider.put(f"{API}/elders/services/zwembad/status", BODY).status_code == 200


def test_a_viewer_token_may_change_nothing(small: Catalogue, client: Client) -> None:
    viewer = Api(client, token(small.org, Role.VIEWER))
    with nothing_written():
        response = viewer.put(STATUS, BODY)
    error = error_of(response, 403)
    assert error["code"] == "forbidden"
    assert "editor" in error["message"]


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ADMIN])
def test_editor_and_admin_tokens_write(small: Catalogue, client: Client, role: Role) -> None:
    response = Api(client, token(small.org, role)).put(STATUS, BODY)
    assert response.status_code == 200


def test_authentication_comes_before_anything_about_the_address(
    small: Catalogue, client: Client
) -> None:
    """Without a valid token, nothing is said about what exists."""
    for path in (STATUS, f"{API}/bestaat-niet/services/x/status", f"{API}/stad/systems/x/state"):
        assert Api(client).put(path, BODY).status_code == 401

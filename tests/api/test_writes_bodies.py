"""Bad bodies are refused with a status, a code and the field to fix, and write nothing."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.api.bearer import API, Api, body_of, error_of, nothing_written, token
from tests.factories import Catalogue
from watwerkt.accounts.roles import Role
from watwerkt.api.body import MAX_BODY

STATUS = f"{API}/stad/services/sporthal/status"
SYSTEM = f"{API}/stad/systems/reservatie/state"


@pytest.fixture
def editor(small: Catalogue, client: Client) -> Api:
    return Api(client, token(small.org, Role.EDITOR))


def refused(api: Api, path: str, body: Any, status: int, **headers: str) -> dict[str, str]:
    with nothing_written():
        return error_of(api.put(path, body, **headers), status)


def test_a_body_over_the_limit_is_413_before_it_is_read(editor: Api) -> None:
    big = {"level": "limited", "note": "x" * MAX_BODY}
    assert refused(editor, STATUS, big, 413)["code"] == "body_too_large"


def test_a_length_header_that_lies_does_not_get_more_read(editor: Api) -> None:
    body = json.dumps({"level": "limited", "note": "x" * (MAX_BODY + 10)}).encode()
    headers = {"CONTENT_LENGTH": "20", "HTTP_AUTHORIZATION": f"Bearer {editor.raw}"}
    with nothing_written():
        response = editor.client.generic(
            "PUT", STATUS, body, content_type="application/json", **headers
        )
    assert error_of(response, 400)["code"] == "invalid_json"  # 20 bytes of it: cut off


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin-1", ""],
)
def test_anything_but_json_in_utf8_is_415(editor: Api, content_type: str) -> None:
    error = refused(editor, STATUS, {"level": "limited"}, 415, content_type=content_type)
    assert error["code"] == "unsupported_media_type"


def test_json_with_an_explicit_utf8_charset_is_fine(editor: Api) -> None:
    response = editor.put(
        STATUS, {"level": "limited"}, content_type="application/json; charset=UTF-8"
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("{level: limited}", "not JSON"),
        (" ", "not JSON"),
        ('["limited"]', "must be a JSON object"),
        ('"limited"', "must be a JSON object"),
        ('{"level": "limited", "level": "unavailable"}', "given twice"),
        ('{"level": "limited", "pinned": NaN}', "not a JSON number"),
        ("[" * 5000 + "]" * 5000, "nested too deeply"),
        (b'{"level": "\xff"}', "not valid UTF-8"),
    ],
)
def test_what_is_not_a_json_object_is_400(editor: Api, raw: str | bytes, says: str) -> None:
    error = refused(editor, STATUS, raw, 400)
    assert error["code"] == "invalid_json"
    assert says in error["message"]


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({}, 400, "invalid_field", "level"),
        ({"level": None}, 400, "invalid_field", "level"),
        ({"level": "limited", "colour": "red"}, 400, "unknown_field", "colour"),
        ({"level": 3}, 400, "invalid_field", "level"),
        ({"level": "limited", "pinned": "yes"}, 400, "invalid_field", "pinned"),
        ({"level": "limited", "pinned": 1}, 400, "invalid_field", "pinned"),
        ({"level": "limited", "qualifiers": "delays"}, 400, "invalid_field", "qualifiers"),
        ({"level": "limited", "qualifiers": [{"code": "delays", "why": "x"}]}, 400,
         "unknown_field", "qualifiers[0].why"),
        ({"level": "limited", "public_note": {"nl": 5}}, 400, "invalid_field", "public_note.nl"),
        ({"level": "up"}, 422, "invalid_value", "level"),
        ({"level": "Limited"}, 422, "invalid_value", "level"),
        ({"level": "limited", "since": "2022-02-30"}, 422, "invalid_value", "since"),
        ({"level": "limited", "since": "gisteren"}, 422, "invalid_value", "since"),
        ({"level": "limited", "expected": "2023-13"}, 422, "invalid_value", "expected"),
        ({"level": "limited", "expected": "soon"}, 422, "invalid_value", "expected"),
        ({"level": "limited", "since": "2023-01-10", "expected": "2023-01-05"}, 422,
         "invalid_value", "expected"),
        ({"level": "limited", "qualifiers": ["fast"]}, 422, "invalid_value", "qualifiers[0]"),
        ({"level": "limited", "qualifiers": ["except"]}, 422, "invalid_value", "qualifiers[0]"),
        ({"level": "limited", "qualifiers": [{"code": "started_before", "date": "2022-11-31"}]},
         422, "invalid_value", "qualifiers[0].date"),
        ({"level": "limited", "qualifiers": ["delays", "delays"]}, 422, "invalid_value",
         "qualifiers[1]"),
        ({"level": "limited", "qualifiers": ["delays"] * 17}, 422, "invalid_value",
         "qualifiers"),
        ({"level": "limited", "public_note": {"xx": "hallo"}}, 422, "invalid_value",
         "public_note.xx"),
        ({"level": "limited", "public_note": "x" * 2001}, 422, "invalid_value",
         "public_note.nl"),
        ({"level": "limited", "note": "x" * 2001}, 422, "invalid_value", "note"),
    ],
)  # fmt: skip
def test_a_bad_field_is_named_and_nothing_is_written(
    editor: Api, body: dict[str, Any], status: int, code: str, field: str
) -> None:
    error = refused(editor, STATUS, body, status)
    assert (error["code"], error["field"]) == (code, field)


def test_a_since_in_the_future_is_refused_a_little_skew_is_not(editor: Api) -> None:
    ahead = timezone.now() + timedelta(minutes=5)
    error = refused(editor, STATUS, {"level": "limited", "since": ahead.isoformat()}, 422)
    assert "future" in error["message"]
    nearly = timezone.now() + timedelta(seconds=20)
    response = editor.put(STATUS, {"level": "limited", "since": nearly.isoformat()})
    assert response.status_code == 200


def test_a_since_without_offset_is_in_the_organisations_time_zone(editor: Api) -> None:
    data = body_of(editor.put(STATUS, {"level": "limited", "since": "2022-12-06T09:10"}), 200)
    assert {item["since"] for item in data["items"]} == {"2022-12-06T08:10:00+00:00"}


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({}, 400, "state"),
        ({"state": "kapot"}, 422, "state"),
        ({"state": "DOWN"}, 422, "state"),
        ({"state": "down", "expected": "2023-02-29"}, 422, "expected"),
        ({"state": "down", "note": ["x"]}, 400, "note"),
        ({"state": "down", "who": "me"}, 400, "who"),
    ],
)
def test_a_bad_system_body_is_refused_too(
    editor: Api, body: dict[str, Any], status: int, field: str
) -> None:
    assert refused(editor, SYSTEM, body, status)["field"] == field
    assert refused(editor, SYSTEM + "?dry_run=true", body, status)["field"] == field

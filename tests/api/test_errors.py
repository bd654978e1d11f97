"""Every way a request can fail answers in the one error shape."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.factories import Catalogue
from watwerkt.api import views

API = "/api/v1/organisations"


def error_of(response: Any, status: int) -> dict[str, str]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert set(body) == {"error"}
    assert set(body["error"]) <= {"code", "message", "field"}
    assert body["error"]["message"]
    return body["error"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "path",
    [
        f"{API}/nergens",
        f"{API}/stad/services/nergens",
        f"{API}/stad/services/nergens/history",
        f"{API}/stad/domains/nergens",
        f"{API}/stad/incidents/nergens",
        f"{API}/stad/maintenances/nergens",
        "/api/v1/onbekend",
        "/api/v2/summary.json",
        "/api/",
        "/stad/api/v2/onbekend.json",
        "/stad/api/v1/summary.json",
        "/nergens/api/v2/summary.json",
    ],
)
def test_not_found(small: Catalogue, client: Client, path: str) -> None:
    assert error_of(client.get(path), 404)["code"] == "not_found"


@pytest.mark.parametrize(
    ("query", "field", "code"),
    [
        ("limit=0", "limit", "invalid_parameter"),
        ("limit=201", "limit", "invalid_parameter"),
        ("limit=ten", "limit", "invalid_parameter"),
        ("limit=5&limit=6", "limit", "invalid_parameter"),
        ("cursor=-1", "cursor", "invalid_parameter"),
        ("cursor=%%%", "cursor", "invalid_parameter"),
        ("level=kapot", "level", "invalid_parameter"),
        ("lang=xx", "lang", "invalid_parameter"),
        ("sort=name", "sort", "unknown_parameter"),
    ],
)
def test_bad_parameters(
    small: Catalogue, client: Client, query: str, field: str, code: str
) -> None:
    error = error_of(client.get(f"{API}/stad/services?{query}"), 400)
    assert (error["code"], error["field"]) == (code, field)


def test_a_filter_on_a_domain_that_does_not_exist_is_404(small: Catalogue, client: Client) -> None:
    error = error_of(client.get(f"{API}/stad/services?domain=nergens"), 404)
    assert (error["code"], error["field"]) == ("not_found", "domain")


@pytest.mark.parametrize("path", [f"{API}/stad", "/stad/api/v2/summary.json"])
def test_writes_are_not_allowed(small: Catalogue, client: Client, path: str) -> None:
    for method in (client.post, client.put, client.delete, client.patch):
        response = method(path)
        assert error_of(response, 405)["code"] == "method_not_allowed"
        assert "GET" in response["Allow"]


def test_only_json_is_served(small: Catalogue, client: Client) -> None:
    response = client.get(f"{API}/stad", headers={"accept": "text/html"})
    assert error_of(response, 406)["code"] == "not_acceptable"
    assert client.get(f"{API}/stad", headers={"accept": "*/*"}).status_code == 200
    assert client.get(f"{API}/stad", headers={"accept": "application/json"}).status_code == 200


def test_an_overlong_query_string_is_refused(small: Catalogue, client: Client) -> None:
    response = client.get(f"{API}/stad/services?domain={'x' * 2000}")
    assert error_of(response, 414)["code"] == "query_too_long"


def test_a_value_longer_than_any_id_is_refused(small: Catalogue, client: Client) -> None:
    error = error_of(client.get(f"{API}/stad/services?domain={'x' * 300}"), 400)
    assert error["field"] == "domain"


def test_our_own_bugs_answer_in_the_shape_too(
    small: Catalogue, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> object:
        raise RuntimeError("a bug")

    monkeypatch.setattr(views.native, "organisation", broken)
    error = error_of(client.get(f"{API}/stad"), 500)
    assert error == {"code": "server_error", "message": "something went wrong on our side"}


def test_a_preflight_allows_reading_from_any_page(small: Catalogue, client: Client) -> None:
    response = client.options(f"{API}/stad")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in response["Access-Control-Allow-Headers"]

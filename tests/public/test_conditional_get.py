"""Every public page carries an ETag and Last-Modified from the catalogue revision."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import TEST_ACTOR, Catalogue
from watwerkt.engine import SystemState
from watwerkt.status.services import SystemChange, set_system

PAGES = ["/stad/", "/stad/sporthal/"]


@pytest.mark.parametrize("path", PAGES)
def test_a_matching_etag_answers_304_without_a_body(
    small: Catalogue, client: Client, path: str
) -> None:
    first = client.get(path)
    assert first.status_code == 200
    again = client.get(path, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


@pytest.mark.parametrize("path", PAGES)
def test_any_write_gives_a_new_etag(small: Catalogue, client: Client, path: str) -> None:
    before = client.get(path)["ETag"]
    set_system(small.systems["register"], SystemChange(SystemState.DEGRADED), TEST_ACTOR)
    after = client.get(path, headers={"if-none-match": before})
    assert after.status_code == 200
    assert after["ETag"] != before


def test_last_modified_is_the_revision_time_and_answers_if_modified_since(
    small: Catalogue, client: Client
) -> None:
    first = client.get("/stad/")
    assert first["Last-Modified"].endswith("GMT")
    again = client.get("/stad/", headers={"if-modified-since": first["Last-Modified"]})
    assert again.status_code == 304


def test_a_write_that_changes_nothing_keeps_the_etag(small: Catalogue, client: Client) -> None:
    before = client.get("/stad/")["ETag"]
    set_system(small.systems["register"], SystemChange(SystemState.UP), TEST_ACTOR)  # already up
    assert client.get("/stad/")["ETag"] == before


def test_each_language_has_its_own_etag(small: Catalogue, client: Client) -> None:
    dutch, french = client.get("/stad/"), client.get("/fr/stad/")
    assert french.status_code == 200
    assert french["Content-Language"] == "fr"
    assert dutch["ETag"] != french["ETag"]
    assert client.get("/fr/stad/", headers={"if-none-match": dutch["ETag"]}).status_code == 200


def test_the_page_after_a_write_shows_the_write(small: Catalogue, client: Client) -> None:
    assert "Wat werkt niet" not in client.get("/stad/").content.decode()
    set_system(small.systems["reservatie"], SystemChange(SystemState.DOWN), TEST_ACTOR)
    assert "Wat werkt niet" in client.get("/stad/").content.decode()


def test_unknown_pages_are_404_even_with_a_current_etag(small: Catalogue, client: Client) -> None:
    etag = client.get("/stad/")["ETag"]
    assert client.get("/stad/onbekend/", headers={"if-none-match": etag}).status_code == 404


def test_only_safe_methods_are_allowed(small: Catalogue, client: Client) -> None:
    assert client.post("/stad/").status_code == 405
    assert client.head("/stad/").status_code == 200

"""When we fail, visitors get a Dutch page that says what to do, never a traceback."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.test import Client

from tests.factories import Catalogue
from watwerkt.readmodel.snapshot import SnapshotCache


def failing(exc: Exception) -> object:
    def fail(*args: object, **kwargs: object) -> None:
        raise exc

    return fail


def test_a_database_outage_is_a_dutch_503_with_retry_after(
    small: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(SnapshotCache, "get", failing(OperationalError("connection refused")))
    response = Client(raise_request_exception=False).get("/stad/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert '<html lang="nl">' in body
    assert "Deze pagina is even niet bereikbaar" in body
    assert "niet te bereiken" in body
    assert "Traceback" not in body
    assert "OperationalError" not in body


def test_a_bug_is_a_dutch_500_that_gives_nothing_away(
    small: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(SnapshotCache, "get", failing(KeyError("geheim")))
    response = Client(raise_request_exception=False).get("/stad/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Er ging bij ons iets mis" in body
    assert "geheim" not in body
    assert "KeyError" not in body

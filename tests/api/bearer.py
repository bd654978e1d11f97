"""Helpers for the write tests: tokens per role, requests that carry them, and proof that
nothing was written."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.test import Client

from watwerkt.accounts import tokens
from watwerkt.accounts.roles import Role
from watwerkt.audit.models import AuditEntry
from watwerkt.catalogue.models import Organisation
from watwerkt.status.models import StatusEvent
from watwerkt.status.revision import revision_state
from watwerkt.status.writing import Actor

API = "/api/v1/organisations"
MAKER = Actor("test", "cli")


def token(organisation: Organisation, role: Role, name: str = "") -> str:
    """A new token of ``organisation`` with ``role``; its secret text."""
    return tokens.create(organisation, name or f"{role.value}-sleutel", role, MAKER)[1]


@dataclass
class Api:
    """A test client that sends one token (or none) and JSON bodies."""

    client: Client
    raw: str | None = None

    def headers(self, extra: dict[str, str]) -> dict[str, str]:
        found = {"Authorization": f"Bearer {self.raw}"} if self.raw else {}
        return {**found, **extra}

    def put(self, path: str, body: Any = None, **headers: str) -> Any:
        return self.send("put", path, body, headers)

    def post(self, path: str, body: Any = None, **headers: str) -> Any:
        return self.send("post", path, body, headers)

    def send(self, method: str, path: str, body: Any, headers: dict[str, str]) -> Any:
        content_type = headers.pop("content_type", "application/json")
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        call = getattr(self.client, method)
        return call(path, data, content_type=content_type, headers=self.headers(headers))


def body_of(response: Any, status: int) -> Any:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    return json.loads(response.content)


def error_of(response: Any, status: int) -> dict[str, str]:
    body = body_of(response, status)
    assert set(body) == {"error"}
    assert set(body["error"]) <= {"code", "message", "field"}
    assert body["error"]["message"]
    return body["error"]  # type: ignore[no-any-return]


@contextmanager
def nothing_written() -> Iterator[None]:
    """The block writes no status event, no audit entry and no revision."""
    revision = revision_state()
    events, entries = StatusEvent.objects.count(), AuditEntry.objects.count()
    yield
    assert revision_state() == revision
    assert StatusEvent.objects.count() == events
    assert AuditEntry.objects.count() == entries


ROLES = {"viewer": Role.VIEWER, "editor": Role.EDITOR, "admin": Role.ADMIN}

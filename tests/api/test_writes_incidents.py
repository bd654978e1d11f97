"""POST .../incidents/{incident}/updates: a draft, or published at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.api.bearer import API, Api, body_of, error_of, nothing_written, token
from tests.api.news import News
from watwerkt.accounts.roles import Role
from watwerkt.audit.models import AuditEntry
from watwerkt.incidents.models import Incident, IncidentUpdate

UPDATES = f"{API}/stad/incidents/{{}}/updates"


@pytest.fixture
def editor(news: News, client: Client) -> Api:
    return Api(client, token(news.incident.organisation, Role.EDITOR, "comms-bot"))


def test_a_draft_update_is_kept_out_of_sight(news: News, editor: Api) -> None:
    response = editor.post(UPDATES.format("cyberaanval"), {"body": "We kennen de oorzaak."})
    data = body_of(response, 201)
    assert data["update"]["published_at"] is None
    assert data["update"]["phase"] == "identified"
    assert data["update"]["body"] == {"nl": "We kennen de oorzaak."}
    assert data["incident"] == {"id": "cyberaanval", "phase": "identified", "published": True}
    public = Client().get(f"{API}/stad/incidents/cyberaanval").json()
    assert "We kennen de oorzaak." not in str(public)
    update = IncidentUpdate.objects.get(pk=data["update"]["id"])
    assert update.author == "comms-bot"


def test_a_published_update_moves_the_phase_and_shows_publicly(news: News, editor: Api) -> None:
    body = {"body": {"nl": "We volgen op.", "en": "Monitoring."}, "phase": "monitoring",
            "publish": True}  # fmt: skip
    data = body_of(editor.post(UPDATES.format("cyberaanval"), body), 201)
    assert data["update"]["published_at"] is not None
    assert data["incident"]["phase"] == "monitoring"
    public = Client().get(f"{API}/stad/incidents/cyberaanval").json()
    assert public["phase"] == "monitoring"
    assert public["updates"][0]["body"] == {"nl": "We volgen op.", "en": "Monitoring."}


def test_publishing_on_a_draft_incident_publishes_the_incident(news: News, editor: Api) -> None:
    data = body_of(editor.post(UPDATES.format("geheim-concept"),
                               {"body": "Nu publiek.", "publish": True}), 201)  # fmt: skip
    assert data["incident"]["published"] is True
    assert Incident.objects.get(slug="geheim-concept").published_at is not None


def test_the_audit_trail_names_the_token(news: News, editor: Api) -> None:
    editor.post(UPDATES.format("cyberaanval"), {"body": "Update.", "publish": True})
    actions = {(e.action, e.actor, e.source) for e in AuditEntry.objects.filter(source="api")}
    assert actions == {
        ("incident.update.post", "comms-bot", "api"),
        ("incident.update.publish", "comms-bot", "api"),
    }


@pytest.mark.parametrize(
    ("incident", "body", "status", "code", "field"),
    [
        ("cyberaanval", {"body": "Terug.", "phase": "investigating"}, 409, "conflict", "phase"),
        ("cyberaanval", {"body": "Nabeschouwing.", "phase": "postmortem"}, 409, "conflict",
         "phase"),
        ("cyberaanval", {"body": {"en": "English only"}}, 422, "invalid_value", "body"),
        ("cyberaanval", {"body": "  "}, 422, "invalid_value", "body"),
        ("cyberaanval", {"body": "x", "phase": "fixed"}, 422, "invalid_value", "phase"),
        ("cyberaanval", {"body": "x", "publish": "yes"}, 400, "invalid_field", "publish"),
        ("cyberaanval", {"text": "x"}, 400, "unknown_field", "text"),
        ("cyberaanval", {}, 400, "invalid_field", "body"),
        ("nergens", {"body": "x"}, 404, "not_found", None),
    ],
)  # fmt: skip
def test_a_refused_update_writes_nothing(
    news: News,
    editor: Api,
    incident: str,
    body: dict[str, Any],
    status: int,
    code: str,
    field: str | None,
) -> None:
    with nothing_written():
        error = error_of(editor.post(UPDATES.format(incident), body), status)
    assert (error["code"], error.get("field")) == (code, field)


def test_going_back_is_allowed_when_reopening_is_asked_for(news: News, editor: Api) -> None:
    body = {"body": "Toch opnieuw.", "phase": "investigating", "reopen": True, "publish": True}
    data = body_of(editor.post(UPDATES.format("stroomstoring"), body), 201)
    assert data["incident"]["phase"] == "investigating"


def test_a_viewer_token_posts_nothing(news: News, client: Client) -> None:
    viewer = Api(client, token(news.incident.organisation, Role.VIEWER))
    with nothing_written():
        response = viewer.post(UPDATES.format("cyberaanval"), {"body": "x"})
    assert error_of(response, 403)["code"] == "forbidden"


def test_put_is_not_how_updates_are_posted(news: News, editor: Api) -> None:
    response = editor.put(UPDATES.format("cyberaanval"), {"body": "x"})
    assert error_of(response, 405)["code"] == "method_not_allowed"
    assert response["Allow"] == "POST, OPTIONS"

"""Every write of the incident, maintenance and "voor iedereen" pages, as every persona.

Editors and admins write; viewers read but get 403 on a write; an editor of
another organisation gets the 404 of a page that does not exist; anonymous
visitors are sent to sign in. A refused write changes nothing at all.
(The GETs of these pages are walked by test_permission_walk.py.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.console import incident_world as world
from tests.personas import NAMES, People
from watwerkt.console.incidents.present import fingerprint
from watwerkt.incidents import services


@dataclass(frozen=True)
class Write:
    name: str
    url: Callable[[People], str]
    data: Callable[[People], dict[str, Any]]


def _incident(people: People) -> str:
    return f"/console/stad/incidenten/{world.incident(people).slug}"


def _update(people: People) -> str:
    return f"{_incident(people)}/updates/{world.update(people).pk}/"


def _target(people: People) -> str:
    return f"{_incident(people)}/doelen/{world.target(people).pk}/"


def _window(people: People) -> str:
    return f"/console/stad/onderhoud/{world.window(people).slug}/"


def _notice(people: People, kind: str, pk: int) -> str:
    return f"/console/stad/voor-iedereen/{kind}/{pk}/"


def _published_window(people: People) -> dict[str, Any]:
    window = world.window(people)
    services.publish_maintenance(window, world.COMMS)
    return {"state": "in_progress"}


def _publish_data(people: People) -> dict[str, Any]:
    update = world.update(people)
    return {"previewed": fingerprint(update.body, update.phase)}


MAINTENANCE = {
    "title_nl": "Nieuw onderhoud",
    "starts": "2099-01-01T10:00",
    "ends": "2099-01-01T12:00",
}

WRITES = [
    Write("incident-create", lambda p: "/console/stad/nieuw-incident/",
          lambda p: {"title_nl": "Brand", "impact": "major", "phase": "investigating"}),
    Write("incident-edit", lambda p: f"{_incident(p)}/bewerken/",
          lambda p: {"title_nl": "Andere titel", "impact": "minor",
                     "started_at": "2022-12-06T10:10"}),
    Write("incident-sections", lambda p: f"{_incident(p)}/teksten/?taal=nl",
          lambda p: {"known_nl": "Iets nieuws.", "actie": "opslaan"}),
    Write("incident-phase", lambda p: f"{_incident(p)}/fase/", lambda p: {"phase": "identified"}),
    Write("update-new", lambda p: f"{_incident(p)}/update/",
          lambda p: {"body_nl": "Nieuw.", "phase": "investigating", "actie": "ontwerp"}),
    Write("update-edit", _update,
          lambda p: {"body_nl": "Anders.", "phase": "investigating", "actie": "opslaan"}),
    Write("update-publish", lambda p: _update(p) + "publiceren/", _publish_data),
    Write("update-discard", lambda p: _update(p) + "verwijderen/", lambda p: {}),
    Write("target-add", lambda p: f"{_incident(p)}/doelen/", lambda p: {"text_nl": "Alles werkt"}),
    Write("target-edit", _target, lambda p: {"text_nl": "Bijna alles werkt"}),
    Write("target-reach", lambda p: _target(p) + "bereikt/", lambda p: {"reached": "on"}),
    Write("instruction-add", lambda p: "/console/stad/voor-iedereen/instructies/",
          lambda p: {"kind": "do", "text_nl": "Bel eerst."}),
    Write("instruction-edit",
          lambda p: f"/console/stad/voor-iedereen/instructies/{world.instruction(p).pk}/",
          lambda p: {"kind": "info", "text_nl": "Goed om te weten."}),
    Write("instruction-remove",
          lambda p: _notice(p, "instructies", world.instruction(p).pk) + "verwijderen/",
          lambda p: {}),
    Write("measure-add", lambda p: "/console/stad/voor-iedereen/maatregelen/",
          lambda p: {"kind": "refund", "text_nl": "Je krijgt je geld terug."}),
    Write("measure-edit",
          lambda p: f"/console/stad/voor-iedereen/maatregelen/{world.measure(p).pk}/",
          lambda p: {"kind": "other", "text_nl": "Iets anders."}),
    Write("measure-remove",
          lambda p: _notice(p, "maatregelen", world.measure(p).pk) + "verwijderen/",
          lambda p: {}),
    Write("maintenance-create", lambda p: "/console/stad/nieuw-onderhoud/", lambda p: MAINTENANCE),
    Write("maintenance-edit", lambda p: _window(p) + "bewerken/",
          lambda p: {**MAINTENANCE, "title_nl": "Ander onderhoud"}),
    Write("maintenance-publish", lambda p: _window(p) + "aankondigen/", lambda p: {}),
    Write("maintenance-cancel", lambda p: _window(p) + "annuleren/",
          lambda p: {"note": "Uitgesteld"}),
    Write("maintenance-state", lambda p: _window(p) + "toestand/", _published_window),
]  # fmt: skip

REFUSED = {"anonymous": "login", "viewer": 403, "outsider": 404}


@pytest.mark.parametrize("persona", NAMES)
@pytest.mark.parametrize("write", WRITES, ids=[w.name for w in WRITES])
def test_each_write_is_done_by_editors_and_admins_only(
    people: People, write: Write, persona: str
) -> None:
    url, data = write.url(people), write.data(people)
    before = world.written()
    response = people.client(persona).post(url, data)
    if persona in REFUSED:
        expected = REFUSED[persona]
        if expected == "login":
            assert response.status_code == 302
            assert response["Location"].startswith("/console/inloggen/?next=")
        else:
            assert response.status_code == expected
        assert world.written() == before
    else:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert not response["Location"].startswith("/console/inloggen/")
        assert world.written() != before


@pytest.mark.parametrize("write", WRITES, ids=[w.name for w in WRITES])
def test_an_empty_or_garbled_write_is_refused_without_a_crash(people: People, write: Write) -> None:
    """Bad input gets a clear answer (a form with errors, or nothing to do), never a 500."""
    url = write.url(people)
    client = people.client("editor")
    garbled = dict.fromkeys(write.data(people), "\x00<>%" * 3) | {
        "services": "abc",
        "systems": "-1",
        "service": "9999999",
        "due": "morgen",
        "starts": "31-31-2023",
    }
    for data in ({}, garbled):
        before = world.written()
        response = client.post(url, data)
        assert response.status_code < 500
        if response.status_code >= 400:
            assert world.written() == before

"""Every console URL, as every persona: each gets exactly what the page's declared access allows.

The URLs come from the URL configuration itself, so a page added later is
walked too; a page that is not declared with ``console_path`` fails
:func:`test_every_console_url_declares_its_access`, and a page with a URL
parameter this walk has no sample for fails until one is added to SAMPLES.

Outcomes: ``login`` (sent to the sign-in page), ``403`` (a role too small),
``404`` (an organisation the person has no role in: exactly what a missing one
gets), ``allowed`` (anything else below 500).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver

from tests.console import incident_world
from tests.personas import NAMES, People

# A sample value for every URL parameter of a console page, from the personas' world.
SAMPLES: dict[str, Callable[[People], str]] = {
    "org": lambda people: people.org.slug,
    "service": lambda people: "sporthal",
    "owner": lambda people: people.org.slug,
    "system": lambda people: "reservatie",
    # incidents, maintenance and notices for everyone (tests/console/incident_world.py)
    "incident": lambda people: incident_world.incident(people).slug,
    "update": lambda people: str(incident_world.update(people).pk),
    "target": lambda people: str(incident_world.target(people).pk),
    "window": lambda people: incident_world.window(people).slug,
    "instruction": lambda people: str(incident_world.instruction(people).pk),
    "measure": lambda people: str(incident_world.measure(people).pk),
}

ALLOWED_FOR: dict[str, dict[str, str]] = {
    "public": dict.fromkeys(NAMES, "allowed"),
    "signed_in": {"anonymous": "login", "viewer": "allowed", "editor": "allowed",
                  "admin": "allowed", "outsider": "allowed"},
    "view": {"anonymous": "login", "viewer": "allowed", "editor": "allowed",
             "admin": "allowed", "outsider": "404"},
    "edit": {"anonymous": "login", "viewer": "403", "editor": "allowed",
             "admin": "allowed", "outsider": "404"},
    "admin": {"anonymous": "login", "viewer": "403", "editor": "403",
              "admin": "allowed", "outsider": "404"},
}  # fmt: skip

# Pages anyone may open. A new one must be added here on purpose.
PUBLIC = {"console:login", "console:code", "console:enrol", "console:logout"}


def walk(
    patterns: list[URLPattern | URLResolver], prefix: str = "", ns: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            inner = f"{ns}{p.namespace}:" if p.namespace else ns
            yield from walk(p.url_patterns, route, inner)
        else:
            yield route, f"{ns}{p.name}", p


CONSOLE = sorted(
    (r, n, p) for r, n, p in walk(get_resolver().url_patterns) if r.startswith("console/")
)


def access(pattern: URLPattern) -> str:
    return str(getattr(pattern.callback, "console_access", "undeclared"))


def url(route: str, people: People) -> str:
    def sample(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in SAMPLES:
            pytest.fail(f"no sample value for <{name}> in {route}: add one to SAMPLES")
        return SAMPLES[name](people)

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", sample, route)


def outcome(response: HttpResponse) -> str:
    location = response.get("Location", "")
    if (
        response.status_code == 302
        and location.startswith("/console/inloggen/?")
        and "next=" in location
    ):
        return "login"
    if response.status_code in (403, 404):
        return str(response.status_code)
    assert response.status_code < 500, response.content[:500]
    return "allowed"


def test_the_walk_finds_the_console() -> None:
    names = {name for _, name, _ in CONSOLE}
    assert {"console:home", "console:organisation", "console:audit"} <= names
    assert len(CONSOLE) >= 10


@pytest.mark.parametrize(("route", "name", "pattern"), CONSOLE, ids=[n for _, n, _ in CONSOLE])
def test_every_console_url_declares_its_access(route: str, name: str, pattern: URLPattern) -> None:
    assert access(pattern) in ALLOWED_FOR, f"{route}: declare it with console_path()"
    assert (access(pattern) == "public") == (name in PUBLIC), f"{route}: public on purpose?"


@pytest.mark.parametrize("persona", NAMES)
@pytest.mark.parametrize(("route", "name", "pattern"), CONSOLE, ids=[n for _, n, _ in CONSOLE])
def test_each_persona_gets_what_the_access_allows(
    people: People, route: str, name: str, pattern: URLPattern, persona: str
) -> None:
    expected = ALLOWED_FOR[access(pattern)][persona]
    client = people.client(persona)
    address = url(route, people)
    assert outcome(client.get(address)) == expected, f"GET {address} as {persona}"
    if expected != "allowed":  # a refusal holds for writes too
        assert outcome(client.post(address, {})) == expected, f"POST {address} as {persona}"


SCOPED = [(r, n, p) for r, n, p in CONSOLE if r.startswith("console/<slug:org>/")]


@pytest.mark.parametrize(("route", "name", "pattern"), SCOPED, ids=[n for _, n, _ in SCOPED])
def test_another_organisation_looks_exactly_like_one_that_does_not_exist(
    people: People, route: str, name: str, pattern: URLPattern
) -> None:
    client = people.client("outsider")
    theirs = client.get(url(route, people))
    missing = client.get(url(route, people).replace(f"/{people.org.slug}/", "/bestaat-niet/", 1))
    assert (theirs.status_code, theirs.content) == (missing.status_code, missing.content)
    assert people.org.slug not in theirs.content.decode()


def test_the_outsider_does_open_its_own_organisation(people: People) -> None:
    client = people.client("outsider")
    assert client.get(f"/console/{people.other.slug}/").status_code == 200

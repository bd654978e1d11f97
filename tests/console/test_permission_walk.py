"""Every console URL, as every persona: each gets exactly what the page's declared access allows.

The URLs come from the URL configuration itself, so a page added later is
walked too; a page that is not declared with ``console_path`` fails
:func:`test_every_console_url_declares_its_access`, and a page with a URL
parameter this walk has no sample for fails until one is added to SAMPLES.

Outcomes: ``login`` (sent to the sign-in page), ``403`` (a role too small),
``404`` (an organisation the person has no role in: exactly what a missing one
gets), ``allowed`` (anything else below 500).

Beyond the status: no GET writes anything, and a request refused, or made by
someone who may not write there, leaves everything as it was (:func:`written`).
Every write URL is also posted with a form that really writes (WRITES here, and
tests/console/test_incident_personas.py for the incident pages), so a refusal
is proven against a write that would otherwise happen. A shared system (owned
by ``elders``, used by ``stad``) is walked from both organisations.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from tests.console import incident_world
from tests.console.test_incident_personas import WRITES as INCIDENT_WRITES
from tests.personas import NAMES, People
from watwerkt.accounts.models import ApiToken, Membership
from watwerkt.audit.models import AuditEntry
from watwerkt.catalogue.models import FunctionChannel, System
from watwerkt.status.models import StatusEvent
from watwerkt.status.revision import revision_state

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


def written() -> tuple[object, ...]:
    """Everything a console request may write, to compare before and after one that
    must not: the revision every catalogue, status and incident write takes (number
    and moment), the audit trail, status events, the statuses set by hand, systems,
    API keys, roles and accounts."""
    return (
        revision_state(),
        AuditEntry.objects.count(),
        StatusEvent.objects.count(),
        tuple(FunctionChannel.objects.order_by("pk").values()),
        tuple(System.objects.order_by("pk").values()),
        tuple(ApiToken.objects.order_by("pk").values_list("pk", "revoked_at")),
        tuple(Membership.objects.order_by("pk").values_list("pk", "role")),
        tuple(User.objects.order_by("pk").values_list("pk", "password", "is_active")),
        incident_world.written(),
    )


# Who may write in ``stad`` at all.
WRITERS = {"editor", "admin"}


@pytest.mark.parametrize("persona", NAMES)
@pytest.mark.parametrize(("route", "name", "pattern"), CONSOLE, ids=[n for _, n, _ in CONSOLE])
def test_each_persona_gets_what_the_access_allows(
    people: People, route: str, name: str, pattern: URLPattern, persona: str
) -> None:
    expected = ALLOWED_FOR[access(pattern)][persona]
    client = people.client(persona)
    address = url(route, people)
    before = written()
    assert outcome(client.get(address)) == expected, f"GET {address} as {persona}"
    assert written() == before, f"GET {address} as {persona} wrote"
    if expected != "allowed" or persona not in WRITERS:
        # A refusal holds for writes too; and one who may not write, writes nothing.
        assert outcome(client.post(address, {})) == expected, f"POST {address} as {persona}"
        assert written() == before, f"POST {address} as {persona} wrote"


# -- every write URL, with a form that writes --------------------------------------------


@dataclass(frozen=True)
class Write:
    name: str  # the URL's name
    data: Callable[[People], dict[str, Any]]


def confirmed(people: People, address: str, state: str) -> dict[str, Any]:
    """A system state form as its confirm step posts it: with the digest of the
    impact preview an editor of the system's owner was shown."""
    owner = "outsider" if "/elders/systemen/" in address else "admin"
    data = {"state": state}
    preview = people.client(owner).post(address, data)
    said = preview.content.decode()
    assert preview.status_code == 200, said[:2000]
    if owner == "outsider":  # the impact on stad is counted, not shown (test_systems.py)
        assert "in organisaties die jij niet mag zien" in said
        assert not [s for s in STAD_SERVICES if s in said]
    found = re.search(r'name="confirm" value="([^"]+)"', said)
    assert found is not None, "no confirm step in the preview"
    return {**data, "confirm": found.group(1)}


INSTRUCTION = {
    "soort": "instructions",
    "ins-TOTAL_FORMS": "1", "ins-INITIAL_FORMS": "0",
    "ins-MIN_NUM_FORMS": "0", "ins-MAX_NUM_FORMS": "50",
    "ins-0-kind": "do", "ins-0-text": "Bel eerst.",
}  # fmt: skip

WRITES = [
    Write("console:service-status", lambda p: {"target": "sporthal", "level": "limited"}),
    Write("console:service-help", lambda p: INSTRUCTION),
    Write("console:bulk", lambda p: {"services": ["sporthal", "materiaal"], "level": "limited"}),
    Write("console:system-state",
          lambda p: confirmed(p, "/console/stad/systemen/stad/reservatie/toestand/", "down")),
    Write("console:system-recovery", lambda p: {"priority": "1", "owner": "IT", "steps": "A\nB"}),
    Write("console:tokens", lambda p: {"action": "create", "name": "monitoring", "role": "viewer"}),
]  # fmt: skip

# Pages of the "edit" and "admin" kind that only read.
READ_ONLY = {"console:audit", "console:audit-csv", "console:audit-json"}


def test_every_write_url_is_posted_with_a_form_that_writes(people: People) -> None:
    incident_pages = {
        f"console:{resolve(w.url(people).split('?')[0]).url_name}" for w in INCIDENT_WRITES
    }
    writes = {n for _, n, p in CONSOLE if access(p) in ("edit", "admin")} - READ_ONLY
    assert writes - incident_pages - {w.name for w in WRITES} == set()


@pytest.mark.parametrize("persona", NAMES)
@pytest.mark.parametrize("write", WRITES, ids=[w.name.split(":")[1] for w in WRITES])
def test_each_write_is_done_exactly_by_the_roles_that_may(
    people: People, write: Write, persona: str
) -> None:
    route, _, pattern = next(c for c in CONSOLE if c[1] == write.name)
    expected = ALLOWED_FOR[access(pattern)][persona]
    address, data = url(route, people), write.data(people)
    before = written()
    response = people.client(persona).post(address, data)
    assert outcome(response) == expected, f"POST {address} as {persona}"
    if expected == "allowed":
        assert response.status_code in (200, 302), response.content.decode()[:2000]
        assert written() != before, f"POST {address} as {persona} wrote nothing"
    else:
        assert written() == before, f"POST {address} as {persona} wrote"


# -- a shared system: owned by elders, used by stad ---------------------------------------

SYSTEM_PAGES = ("console:system", "console:system-state", "console:system-recovery")
FROM_STAD = {  # stad's people see what it does to stad; only elders' editors change it
    "console:system": {"anonymous": "login", "viewer": "allowed", "editor": "allowed",
                       "admin": "allowed", "outsider": "404"},
    "console:system-state": {"anonymous": "login", "viewer": "403", "editor": "403",
                             "admin": "403", "outsider": "404"},
}  # fmt: skip
FROM_ELDERS = dict.fromkeys(NAMES, "404") | {"anonymous": "login", "outsider": "allowed"}
SHARED_ALLOWED = {
    "stad": {**FROM_STAD, "console:system-recovery": FROM_STAD["console:system-state"]},
    "elders": dict.fromkeys(SYSTEM_PAGES, FROM_ELDERS),
}
STAD_SERVICES = ("Sporthal", "sporthal", "Materiaal", "Reispas", "/console/stad/")


def shared_url(name: str, org: str) -> str:
    return reverse(name, kwargs={"org": org, "owner": "elders", "system": "betaalplatform"})


# Forms that write, posted to the owner's URLs and to stad's alike.
SHARED_WRITES: dict[str, Callable[[People], dict[str, Any]]] = {
    "console:system-state": lambda p: confirmed(
        p, shared_url("console:system-state", "elders"), "down"
    ),
    "console:system-recovery": lambda p: {"priority": "1", "owner": "Elders IT"},
}


@pytest.mark.parametrize("persona", NAMES)
@pytest.mark.parametrize("org", ["stad", "elders"])
@pytest.mark.parametrize("name", SYSTEM_PAGES)
def test_a_shared_system_is_seen_by_its_users_and_changed_by_its_owner_only(
    people: People, name: str, org: str, persona: str
) -> None:
    expected = SHARED_ALLOWED[org][name][persona]
    client = people.client(persona)
    address = shared_url(name, org)
    before = written()
    got = client.get(address)
    assert outcome(got) == expected, f"GET {address} as {persona}"
    assert written() == before, f"GET {address} as {persona} wrote"
    if name == "console:system" and expected == "allowed":
        said = got.content.decode()
        if org == "stad":  # its impact on stad, and no way to change it
            assert "Een gedeeld systeem van elders" in said
            assert 'href="/console/stad/diensten/sporthal/">Sporthal</a>' in said
            assert "/toestand/" not in said
            assert "/herstelplan/" not in said
        else:  # the owner changes it, and sees nothing of stad
            assert "/toestand/" in said
            assert "/herstelplan/" in said
            assert not [s for s in STAD_SERVICES if s in said]

    data = SHARED_WRITES[name](people) if name in SHARED_WRITES else {}
    before = written()
    response = client.post(address, data)
    assert outcome(response) == expected, f"POST {address} as {persona}"
    if expected != "allowed" or name == "console:system":
        assert written() == before, f"POST {address} as {persona} wrote"
    else:
        assert written() != before, f"POST {address} as {persona} wrote nothing"
    if org == "elders":  # whatever the answer, nothing of stad in it
        assert not [s for s in STAD_SERVICES if s in response.content.decode()]

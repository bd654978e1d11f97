"""The console shell: choosing an organisation, the menu, the landing page, accessibility."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse

from tests.factories import TEST_ACTOR
from tests.personas import NAMES, People, person
from watwerkt.accounts.roles import Role
from watwerkt.console.routing import console_path
from watwerkt.engine import SystemState
from watwerkt.status.services import SystemChange, set_system


def test_one_organisation_goes_straight_to_its_page(people: People) -> None:
    assert people.client("viewer").get("/console/")["Location"] == "/console/stad/"


def test_several_organisations_offer_a_choice_and_a_switcher(people: People) -> None:
    both = person("bea", {people.org: Role.VIEWER, people.other: Role.ADMIN}, second_factor=True)
    people.persons["both"] = both
    client = people.client("both")
    home = client.get("/console/").content.decode()
    assert 'href="/console/stad/"' in home
    assert 'href="/console/elders/"' in home
    page = client.get("/console/elders/").content.decode()
    assert '<select id="organisatie" name="organisatie">' in page
    assert '<option value="elders" selected>' in page
    assert client.get("/console/?organisatie=stad")["Location"] == "/console/stad/"
    # a choice of an organisation one has no role in is no choice at all
    assert client.get("/console/?organisatie=andere").status_code == 200


def menu(response: HttpResponse) -> list[str]:
    nav = re.search(r'<nav class="menu".*?</nav>', response.content.decode(), re.S)
    return re.findall(r">([^<>]+)</a>", nav.group(0)) if nav else []


def test_the_menu_lists_only_the_pages_a_role_may_open(people: People) -> None:
    everyone = ["Overzicht", "Diensten", "Systemen", "Herstelvolgorde", "Contactcenter",
                "Incidenten", "Onderhoud", "Voor iedereen"]  # fmt: skip
    assert menu(people.client("viewer").get("/console/stad/")) == everyone
    assert menu(people.client("editor").get("/console/stad/")) == everyone
    assert menu(people.client("admin").get("/console/stad/")) == [
        *everyone, "API-sleutels", "Audit"]  # fmt: skip
    page = people.client("admin").get("/console/stad/audit/").content.decode()
    assert 'href="/console/stad/audit/" aria-current="page"' in page


def test_the_landing_page_shows_what_needs_attention_with_shared_systems(people: People) -> None:
    set_system(people.shared, SystemChange(SystemState.DOWN), TEST_ACTOR)
    page = people.client("viewer").get("/console/stad/").content.decode()
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "Betaalplatform: " in words
    assert "gedeeld systeem van elders" in words
    assert "Je rol hier: viewer." in words
    theirs = people.client("outsider").get("/console/elders/").content.decode()
    assert "Reservatie" not in theirs
    assert "Betaalplatform" in theirs


class Structure(HTMLParser):
    """What an accessibility check looks at first, without a browser."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.inline: list[str] = []
        self.inputs: list[str] = []
        self.labels: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append(tag)
        if tag in ("script", "style") or "style" in found or any(a.startswith("on") for a in found):
            self.inline.append(tag)
        if tag in ("input", "select", "textarea") and found.get("type") not in ("hidden", "submit"):
            self.inputs.append(found.get("id") or "")
        if tag == "label" and found.get("for"):
            self.labels.add(str(found["for"]))


PAGES = [("anonymous", "/console/inloggen/"), ("admin", "/console/stad/"),
         ("admin", "/console/stad/audit/"), ("admin", "/console/wachtwoord/"),
         ("admin", "/console/uitloggen/"), ("outsider", "/console/stad/")]  # fmt: skip


@pytest.mark.parametrize(("persona", "address"), PAGES)
def test_pages_have_landmarks_labelled_fields_and_nothing_inline(
    people: People, persona: str, address: str
) -> None:
    assert persona in NAMES
    response = people.client(persona).get(address)
    page = Structure()
    page.feed(response.content.decode())
    assert page.inline == []  # the CSP would block it anyway
    assert {"header", "main"} <= set(page.tags)
    assert page.tags.count("h1") == 1
    assert set(page.inputs) <= page.labels, "every field has a label"
    assert 'lang="nl"' in response.content.decode()
    assert 'class="skip" href="#inhoud"' in response.content.decode()


def test_every_form_that_posts_carries_a_csrf_token(people: People) -> None:
    for persona, address in PAGES:
        body = people.client(persona).get(address).content.decode()
        forms = re.findall(r'<form method="post".*?</form>', body, re.S)
        assert all("csrfmiddlewaretoken" in f for f in forms), address


def view(request: Any) -> HttpResponse:
    return HttpResponse()


@pytest.mark.parametrize(
    ("route", "access", "message"),
    [
        ("<slug:org>/x/", "signed_in", "only they do"),
        ("x/", "edit", "start with <slug:org>/"),
        ("x/", "owner", "access must be one of"),
    ],
)
def test_a_console_url_must_declare_a_sensible_access(
    route: str, access: str, message: str
) -> None:
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        console_path(route, view, access, name="x")


def test_only_organisation_pages_go_in_the_menu() -> None:
    with pytest.raises(ImproperlyConfigured, match="only organisation pages have a menu entry"):
        console_path("x/", view, "signed_in", name="x", menu="X")

"""axe-core's WCAG 2.1 A and AA rules on the console pages around the work itself:
signing in and out, the account, the lockout, the error pages, the choice
between organisations, and forms as they come back refused.

The board, systems and incident pages are checked in test_browser_console.py
and test_browser_incident.py. Django refuses database calls from the test's
thread once the browser runs (tests/browser.py), so the fixture makes every
person and session first; the test then looks only through HTTP.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.browser import axe_violations, watch_csp
from tests.live import empty_append_only_tables
from tests.personas import People, person, sign_in, wrong_code
from watwerkt.accounts.roles import Role

pytestmark = pytest.mark.browser

PASSWORD = "een lange zin als wachtwoord"


@dataclass
class Site:
    url: str
    sessions: dict[str, str]  # a signed-in session cookie per person
    wrong_code: str  # six digits the editor's authenticator does not accept now


@pytest.fixture
def site(transactional_db: None, people: People, live_server: Any, settings: Any) -> Iterator[Site]:
    """The personas with passwords; mia, admin of stad and viewer of elders; nina,
    an editor without an authenticator app yet; signed-in sessions for three."""
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    multi = person("mia", {people.org: Role.ADMIN, people.other: Role.VIEWER})
    nieuw = person("nina", {people.org: Role.EDITOR}, second_factor=False)
    for user in (*(p.user for p in people.persons.values()), multi.user, nieuw.user):
        user.set_password(PASSWORD)
        user.save()
    sessions = {
        name: sign_in(Client(), who).cookies[django_settings.SESSION_COOKIE_NAME].value
        for name, who in {"editor": people["editor"], "admin": people["admin"],
                          "multi": multi}.items()
    }  # fmt: skip
    editor = people["editor"].device
    assert editor is not None
    yield Site(str(live_server.url), sessions, wrong_code(editor))
    empty_append_only_tables()


def as_person(browser: Any, site: Site, name: str) -> Any:
    """A page in a browser context signed in as ``name`` (or nobody)."""
    context = browser.new_context()
    if name in site.sessions:
        host = site.url.split("//", 1)[1].split(":")[0]
        cookie = {"name": django_settings.SESSION_COOKIE_NAME, "value": site.sessions[name],
                  "domain": host, "path": "/"}  # fmt: skip
        context.add_cookies([cookie])
    return context.new_page()


def password_step(page: Any, site: Site, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{site.url}/console/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Verder").click()


def login_pages(page: Any, site: Site) -> Iterator[str]:
    page.goto(f"{site.url}/console/inloggen/")
    yield "login"
    password_step(page, site, "eddy", "niet het wachtwoord")
    page.wait_for_selector(".errors")
    yield "login with a wrong password"
    page.goto(f"{site.url}/console/inloggen/?verlopen=1")
    yield "login after the session expired"
    page.goto(f"{site.url}/console/inloggen/")
    page.evaluate("document.querySelector('main input[name=csrfmiddlewaretoken]').remove()")
    page.fill("#id_username", "eddy")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Verder").click()
    assert page.locator("h1").inner_text() == "Dit formulier is verlopen"
    yield "a form posted without its CSRF token"


def code_pages(page: Any, site: Site) -> Iterator[str]:
    password_step(page, site, "eddy")
    page.wait_for_url("**/console/inloggen/code/")
    yield "code"
    page.fill("#id_token", site.wrong_code)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_selector(".has-error")
    yield "code, wrong"


def enrol_pages(page: Any, site: Site) -> Iterator[str]:
    password_step(page, site, "nina")
    page.wait_for_url("**/console/inloggen/app-instellen/")
    assert page.locator("img.qr").evaluate("img => img.complete && img.naturalWidth > 0")
    yield "enrol (QR code)"
    page.fill("#id_token", "12345")
    page.get_by_role("button", name="Bevestigen en inloggen").click()
    page.wait_for_selector(".has-error")
    yield "enrol, with a code that is no code"


def locked_pages(page: Any, site: Site) -> Iterator[str]:
    for attempt in range(5):
        password_step(page, site, "viola", f"fout {attempt}")
    assert page.locator("h1").inner_text() == "Tijdelijk geblokkeerd"
    yield "locked out"


def account_pages(page: Any, site: Site) -> Iterator[str]:
    page.goto(f"{site.url}/console/wachtwoord/")
    assert page.locator("h1").inner_text() == "Wachtwoord wijzigen"
    yield "password change"
    page.fill("#id_old_password", "niet het wachtwoord")
    page.fill("#id_new_password1", "kort")
    page.fill("#id_new_password2", "anders")
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    page.wait_for_selector(".has-error")
    yield "password change, refused"
    assert page.goto(f"{site.url}/console/stad/audit/").status == 403  # for admins
    yield "403"
    assert page.goto(f"{site.url}/console/bestaat-niet/").status == 404
    yield "404"


def refused_forms(page: Any, site: Site) -> Iterator[str]:
    page.goto(f"{site.url}/console/stad/diensten/")
    page.select_option("form.bulk #id_level", "limited")
    page.select_option("form.bulk #id_q0_code", "except")  # "except ...", without what
    page.get_by_role("button", name="Aangevinkte diensten wijzigen").click()
    page.wait_for_selector("form.bulk .errors")
    assert "Vink minstens één dienst aan." in page.inner_text("form.bulk")
    yield "bulk edit, refused"
    page.goto(f"{site.url}/console/stad/systemen/stad/reservatie/")
    page.fill("#id_priority", "0")
    page.get_by_role("button", name="Herstelplan opslaan").click()
    page.wait_for_selector(".has-error")
    yield "recovery plan, refused"
    page.goto(f"{site.url}/console/stad/nieuw-incident/")
    page.get_by_role("button", name="Incident aanmaken").click()
    page.wait_for_selector(".field.has-error")
    yield "incident create, refused"


def logout_pages(page: Any, site: Site) -> Iterator[str]:
    page.goto(f"{site.url}/console/uitloggen/")
    assert page.locator("h1").inner_text() == "Uitloggen"
    yield "logout"
    page.locator("main").get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/console/inloggen/?uit=1")
    yield "login after signing out"


def admin_pages(page: Any, site: Site) -> Iterator[str]:
    page.goto(f"{site.url}/console/stad/api-sleutels/")
    assert page.locator("h1").inner_text() == "API-sleutels"
    yield "tokens"
    page.fill("#id_name", "monitoring / nagios")  # a slash: not allowed in a name
    page.get_by_role("button", name="Sleutel maken").click()
    page.wait_for_selector(".has-error")
    yield "tokens, refused"


def home_pages(page: Any, site: Site) -> Iterator[str]:
    page.goto(f"{site.url}/console/")
    assert page.locator("ul.organisations li").count() == 2
    yield "home with several organisations"


Walk = Callable[[Any, Site], Iterator[str]]
WALKS: list[tuple[str, Walk]] = [
    ("anonymous", login_pages),
    ("anonymous", code_pages),
    ("anonymous", enrol_pages),
    ("anonymous", locked_pages),
    ("editor", account_pages),
    ("editor", refused_forms),
    ("editor", logout_pages),  # last for the editor: it ends the session
    ("admin", admin_pages),
    ("multi", home_pages),
]


def test_every_sign_in_account_and_refusal_page_passes_axe(site: Site, browser: Any) -> None:
    found: dict[str, list[str]] = {}
    blocked: list[list[str]] = []
    for who, walk in WALKS:
        page = as_person(browser, site, who)
        blocked.append(watch_csp(page))
        for state in walk(page, site):
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            found[state] = axe_violations(page)
    assert len(found) == 21  # every state above, each under its own name
    assert {state: v for state, v in found.items() if v} == {}
    assert [b for b in blocked if b] == []

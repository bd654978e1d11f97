"""The console's board, systems and contact-centre pages in a real browser.

- A comms officer signs in with a TOTP code, restores the reservation platform
  through the impact preview, and the public overview shows it within a second,
  served through the page cache's fast path as in production.
- The board is operated with the keyboard alone.
- Every console page passes axe-core's WCAG 2.1 A and AA rules.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command
from django.db import connections
from django.test.testcases import LiveServerThread
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser import axe_violations
from tests.live import empty_append_only_tables
from tests.personas import code_now, person
from watwerkt.accounts.roles import Role
from watwerkt.catalogue.models import Organisation
from watwerkt.webcache.fastpath import fast_path

pytestmark = pytest.mark.browser

PASSWORD = "een lange zin als wachtwoord"
SPORT = "section.domain[aria-labelledby=d-cultuur-en-sport]"


class FastPathServer(LiveServerThread):
    """Django's live server with the public page cache in front, as
    ``watwerkt.wsgi.application`` has it: stored pages, revision checks every 0.5 s."""

    def __init__(self, host: str, connections_override: dict[str, Any]) -> None:
        super().__init__(host, lambda app: StaticFilesHandler(fast_path(app)), connections_override)


@pytest.fixture
def served(transactional_db: None, settings: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """The Antwerp demo on a live server with the fast path; a comms officer and a
    coordinator, each with a password and an authenticator app."""
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", stdout=StringIO())
    antwerpen = Organisation.objects.get(slug="antwerpen")
    people = {
        "comms": person("comms", {antwerpen: Role.EDITOR}, password=PASSWORD),
        "coordinator": person("coordinator", {antwerpen: Role.ADMIN}, password=PASSWORD),
    }
    shared = {
        alias: conn
        for alias in connections
        if (conn := connections[alias]).vendor == "sqlite" and conn.is_in_memory_db()
    }
    server = FastPathServer("localhost", shared)
    server.daemon = True
    for conn in shared.values():
        conn.inc_thread_sharing()
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    try:
        yield f"http://localhost:{server.port}", {n: p.device for n, p in people.items()}
    finally:
        server.terminate()
        for conn in shared.values():
            conn.dec_thread_sharing()
        empty_append_only_tables()


def sign_in(page: Any, url: str, name: str, device: TOTPDevice) -> None:
    """Password, then the code from the app, with the keyboard."""
    page.goto(f"{url}/console/antwerpen/")
    page.wait_for_selector("#id_username:focus")
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/inloggen/code/")
    page.wait_for_selector("#id_token:focus")
    page.keyboard.type(code_now(device))
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/antwerpen/")


def works(page: Any) -> list[str]:
    return list(page.locator(f"{SPORT} ul.lines.group-works a.name").all_inner_texts())


def test_restoring_the_reservation_platform_shows_on_the_public_overview_within_a_second(
    served: tuple[str, dict[str, Any]], browser: Any
) -> None:
    url, devices = served
    public = browser.new_page()
    public.goto(f"{url}/antwerpen/")  # the overview is now in the page cache
    assert "Sportfaciliteiten reserveren" not in works(public)

    page = browser.new_page()
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    sign_in(page, url, "comms", devices["comms"])
    page.get_by_role("link", name="Systemen", exact=True).click()
    page.get_by_role("link", name="Reservatieplatform", exact=True).click()
    page.select_option("#id_state", "up")
    page.get_by_role("button", name="Gevolgen bekijken").click()

    assert page.locator("h1").inner_text() == "Reservatieplatform op “werkt” zetten?"
    assert "5 diensten gaan erop vooruit, 0 diensten gaan erop achteruit." in page.inner_text(
        "main"
    )
    back = page.locator("section.impact li.better").all_inner_texts()
    assert "Sportfaciliteiten reserveren: werkt niet → werkt" in back
    assert "Sportmateriaal reserveren: werkt niet → werkt" in back
    page.get_by_role("button", name="Bevestigen en toepassen").click()
    page.wait_for_selector(".message.success")
    confirmed = time.monotonic()
    assert "Reservatieplatform staat nu op “werkt”. 5 diensten werken beter." in page.inner_text(
        ".messages"
    )

    while "Sportfaciliteiten reserveren" not in works(public):
        assert time.monotonic() - confirmed < 1.0, "not on the public overview within a second"
        public.goto(f"{url}/antwerpen/")
    assert time.monotonic() - confirmed < 1.0
    assert "Sportmateriaal reserveren" in works(public)
    assert blocked == []


FOCUSED = """() => {
  const el = document.activeElement;
  const all = Array.from(document.querySelectorAll('*'));
  const style = getComputedStyle(el);
  return {index: all.indexOf(el), tag: el.tagName.toLowerCase(), id: el.id,
          text: (el.innerText || el.value || '').trim().slice(0, 80),
          visible: (el.matches(':focus-visible') || el.matches(':focus-within'))
                   && style.outlineStyle !== 'none'
                   && parseFloat(style.outlineWidth) >= 2};
}"""


def tab_to(page: Any, wanted: str, limit: int = 200) -> dict[str, Any]:
    """Press Tab until the element matching ``wanted`` has the focus; every stop on
    the way shows its focus, and focus moves forward through the page."""
    last = -1
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = page.evaluate(FOCUSED)
        assert now["visible"], f"no visible focus on {now}"
        # (equal: the parts of one date-and-time field, which Tab steps through)
        assert now["index"] >= last, f"focus went backwards to {now}"
        last = now["index"]
        if page.evaluate("s => document.activeElement.matches(s)", wanted):
            return dict(now)
    raise AssertionError(f"{wanted} not reached with Tab")


def test_the_board_works_with_the_keyboard_alone(
    served: tuple[str, dict[str, Any]], browser: Any
) -> None:
    url, devices = served
    page = browser.new_page()
    sign_in(page, url, "comms", devices["comms"])
    assert (
        page.evaluate("document.querySelectorAll('[tabindex]:not([tabindex=\"-1\"])').length") == 0
    )
    tab_to(page, "nav.menu a[href$='/diensten/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/antwerpen/diensten/")

    tab_to(page, "#id_niveau")  # the level filter
    for _ in range(5):  # alle, werkt, met beperkingen, onbekend, onderhoud, werkt niet
        page.keyboard.press("ArrowDown")
    tab_to(page, "form.filters button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/diensten/?*niveau=unavailable*")
    levels = page.locator("table.board tbody span.level").all_inner_texts()
    assert levels
    assert set(levels) == {"werkt niet"}

    tab_to(page, "a.edit[href*='/diensten/sporthal/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/diensten/sporthal/#wijzigen")
    tab_to(page, "#id_level")
    # The form starts from what was set by hand ("werkt"; the platform makes it "werkt niet").
    assert page.input_value("#id_level") == "available"
    page.keyboard.press("ArrowDown")  # -> werkt met beperkingen
    assert page.input_value("#id_level") == "limited"
    tab_to(page, "#id_q0_code")
    page.keyboard.type("zonder")  # type-ahead: "zonder afspraak"
    assert page.input_value("#id_q0_code") == "without_appointment"
    tab_to(page, "form.status-form button[type=submit]")
    page.keyboard.press(" ")  # Space presses a button
    page.wait_for_selector(".message.success")
    said = page.inner_text(".messages")
    assert "Opgeslagen: 1 onderdeel staat op “werkt met beperkingen”." in said
    assert "Let op: bij 1 onderdeel zien bewoners nog minder" in said  # the platform is down
    # Stored as set: the form now starts from it; residents still see "werkt niet".
    assert page.input_value("#id_level") == "limited"
    assert page.input_value("#id_q0_code") == "without_appointment"
    assert page.locator("p.summary").inner_text().startswith("werkt niet")


PAGES = [
    "/console/antwerpen/",
    "/console/antwerpen/audit/",
    "/console/antwerpen/diensten/",
    "/console/antwerpen/diensten/?niveau=unavailable&systeem=antwerpen/reservatieplatform",
    "/console/antwerpen/diensten/?sinds=gisteren",  # a filter error
    "/console/antwerpen/diensten/grofvuil/",
    "/console/antwerpen/diensten/grofvuil/hulp/",
    "/console/antwerpen/systemen/",
    "/console/antwerpen/systemen/antwerpen/reservatieplatform/",
    "/console/antwerpen/herstelvolgorde/",
    "/console/antwerpen/contactcenter/",
    "/console/antwerpen/contactcenter/?q=parkeerkaart",
]


def test_every_console_page_passes_axe(served: tuple[str, dict[str, Any]], browser: Any) -> None:
    url, devices = served
    page = browser.new_page()
    page.goto(f"{url}/console/inloggen/")
    found = {"login": axe_violations(page)}
    sign_in(page, url, "coordinator", devices["coordinator"])
    for path in PAGES:
        page.goto(f"{url}{path}")
        found[path] = axe_violations(page)
    # Forms as they come back with errors, and the impact preview.
    page.goto(f"{url}/console/antwerpen/diensten/sporthal/")
    page.select_option("#id_q0_code", "except")
    page.get_by_role("button", name="Status opslaan").click()
    found["quick edit with errors"] = axe_violations(page)
    page.goto(f"{url}/console/antwerpen/systemen/antwerpen/reservatieplatform/")
    page.select_option("#id_state", "up")
    page.get_by_role("button", name="Gevolgen bekijken").click()
    found["impact preview"] = axe_violations(page)
    assert {where: v for where, v in found.items() if v} == {}

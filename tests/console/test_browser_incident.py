"""The incident pages in a real browser: every page passes axe-core; the update
form works with the keyboard alone.

Posting a dated update in Dutch and English to the Antwerp demo's incident, and
the public pages showing it within a second through the page cache, is part of
the whole Antwerp scenario in test_browser_scenario.py.

Django refuses database calls from the test's thread once the browser runs
(tests/browser.py), so everything the database needs happens in fixtures
before the ``browser`` fixture, and the tests then look only through HTTP.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.browser import axe_violations, signed_in_page, watch_csp
from tests.console import incident_world as world
from tests.live import empty_append_only_tables
from tests.personas import People, sign_in
from watwerkt.incidents import services

pytestmark = pytest.mark.browser

PASSWORD = "een lange zin als wachtwoord"
NL = "De **loketten** zijn weer open.\n\n- reispassen: ja\n- parkeerkaarten: nog niet"


@dataclass
class Served:
    url: str
    people: People
    session: str  # a signed-in editor's session cookie, for pages not about signing in


@pytest.fixture
def served(
    transactional_db: None, people: People, live_server: Any, settings: Any
) -> Iterator[Served]:
    """The personas (the editor with a password), a draft incident with a draft
    update and a target, a maintenance window and notices, on a real server."""
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    editor = people["editor"]
    editor.user.set_password(PASSWORD)
    editor.user.save()
    services.create_incident(
        people.org,
        {"nl": "Cyberaanval op de stad", "en": "Cyber attack on the city"},
        world.COMMS,
        slug="cyberaanval",
        sections={"to_do": {"nl": "Kom **niet** naar je afspraak."}},
        services=[people.org.services.get(slug="sporthal")],
    )
    world.incident(people), world.window(people), world.instruction(people), world.measure(people)
    client = sign_in(Client(), editor)
    yield Served(
        str(live_server.url),
        people,
        client.cookies[django_settings.SESSION_COOKIE_NAME].value,
    )
    empty_append_only_tables()


CONSOLE_PAGES = [
    "/console/stad/incidenten/",
    "/console/stad/nieuw-incident/",
    "/console/stad/incidenten/storing/",
    "/console/stad/incidenten/storing/bewerken/",
    "/console/stad/incidenten/storing/teksten/?taal=en",
    "/console/stad/incidenten/storing/update/",
    "/console/stad/incidenten/storing/doelen/",
    "/console/stad/incidenten/storing/voorbeeld/?taal=fr",
    "/console/stad/onderhoud/",
    "/console/stad/nieuw-onderhoud/",
    "/console/stad/onderhoud/onderhoud/",
    "/console/stad/onderhoud/onderhoud/bewerken/",
    "/console/stad/voor-iedereen/",
]


def check(page: Any) -> list[str]:
    """axe-core on the page with every folded part unfolded."""
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    return [f"{page.url}: {v}" for v in axe_violations(page)]


def test_every_incident_page_passes_axe_core(served: Served, browser: Any) -> None:
    page = signed_in_page(browser, served.url, served.session)
    blocked = watch_csp(page)
    found: list[str] = []
    for path in CONSOLE_PAGES:
        response = page.goto(served.url + path)
        assert response.status == 200, path
        found += check(page)
    # The pages behind links: a draft update, a target, a notice.
    page.goto(served.url + "/console/stad/incidenten/storing/")
    page.get_by_role("link", name="Bekijken en publiceren").first.click()
    found += check(page)
    page.goto(served.url + "/console/stad/incidenten/storing/")
    page.locator("ul.targets a", has_text="Bewerken").first.click()
    found += check(page)
    page.goto(served.url + "/console/stad/voor-iedereen/")
    page.locator("ul.notices a", has_text="Bewerken").first.click()
    found += check(page)
    # Pages in their other states: a preview shown, a form with errors.
    page.goto(served.url + "/console/stad/incidenten/storing/update/")
    page.fill("#id_body_nl", NL)
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    page.wait_for_selector("section.preview")
    found += check(page)
    page.goto(served.url + "/console/stad/incidenten/storing/teksten/")
    page.fill("#id_known_nl", "Servers **plat**.")
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    page.wait_for_selector("div.preview")
    found += check(page)
    page.goto(served.url + "/console/stad/nieuw-incident/")
    page.get_by_role("button", name="Incident aanmaken").click()
    page.wait_for_selector(".field.has-error")
    found += check(page)
    assert found == []
    assert blocked == []


def tab_to(page: Any, selector: str, limit: int = 60) -> None:
    """Press Tab until ``selector`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_the_update_form_works_with_the_keyboard_alone(served: Served, browser: Any) -> None:
    page = signed_in_page(browser, served.url, served.session)
    page.goto(served.url + "/console/stad/incidenten/cyberaanval/update/")
    tab_to(page, "#id_body_nl")
    page.keyboard.type("Nog altijd **geen** parkeerkaarten.")
    tab_to(page, "details:nth-of-type(2) > summary")  # English, folded
    assert page.evaluate("document.activeElement.textContent").startswith("Engels")
    page.keyboard.press("Enter")  # unfolds it
    tab_to(page, "#id_body_en")
    page.keyboard.type("Still **no** parking permits.")
    tab_to(page, "#id_phase")
    page.keyboard.press("ArrowDown")  # investigating -> identified
    tab_to(page, "button[value=voorbeeld]")
    page.keyboard.press("Enter")
    page.wait_for_selector("section.preview")
    assert "Still no parking permits." in page.locator("section.preview[lang=en]").inner_text()
    page.keyboard.press("Tab")  # from the top of the new page, on to the publish button
    tab_to(page, "button[value=publiceren]")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # the focus can be seen
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/stad/incidenten/cyberaanval/#updates")
    public = browser.new_page()
    public.goto(f"{served.url}/en/stad/incidenten/cyberaanval/")
    assert "Still no parking permits." in public.locator("ol.updates").inner_text()
    newest = public.locator("ol.updates article").first.get_attribute("class") or ""
    assert "phase-identified" in newest.split()  # the phase chosen with the arrow key

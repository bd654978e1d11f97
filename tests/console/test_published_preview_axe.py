"""A published incident's changes in a real browser: the preview of a new title
and of new sections passes axe-core, and publishing from it reaches the public
page. Also the board's bulk form as it comes back refused.

Django refuses database calls from the test's thread once the browser runs
(tests/browser.py), so the fixture prepares everything first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.browser import axe_violations, signed_in_page
from tests.console import incident_world as world
from tests.live import empty_append_only_tables
from tests.personas import People, sign_in
from watwerkt.incidents import services

pytestmark = pytest.mark.browser


@dataclass
class Served:
    url: str
    session: str


@pytest.fixture
def served(
    transactional_db: None, people: People, live_server: Any, settings: Any
) -> Iterator[Served]:
    """The personas' published incident "storing", on a real server."""
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    world.incident(people)
    services.publish_update(world.update(people), world.COMMS)
    client = sign_in(Client(), people["editor"])
    yield Served(str(live_server.url), client.cookies[django_settings.SESSION_COOKIE_NAME].value)
    empty_append_only_tables()


def test_previews_of_a_published_incident_pass_axe_and_publish(
    served: Served, browser: Any
) -> None:
    page = signed_in_page(browser, served.url, served.session)
    found: dict[str, list[str]] = {}
    page.goto(served.url + "/console/stad/incidenten/storing/bewerken/")
    page.fill("#id_title_nl", "Storing bij de sporthal")
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    page.wait_for_selector("section.preview[lang=fr]")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    found["details preview"] = axe_violations(page)
    page.get_by_role("button", name="Publiceren").click()
    page.wait_for_url("**/console/stad/incidenten/storing/")

    page.goto(served.url + "/console/stad/incidenten/storing/teksten/")
    page.fill("#id_known_nl", "De **servers** liggen plat.")
    assert page.get_by_role("button", name="Publiceren").count() == 0  # not before a preview
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    page.wait_for_selector("div.preview")
    found["sections preview"] = axe_violations(page)
    page.get_by_role("button", name="Publiceren").click()
    page.wait_for_url("**/teksten/?taal=nl")

    public = browser.new_page()
    public.goto(served.url + "/stad/incidenten/storing/")
    assert public.locator("h1").inner_text().startswith("Storing bij de sporthal")
    assert "De servers liggen plat." in public.locator("main").inner_text()

    page.goto(served.url + "/console/stad/diensten/")
    page.check("#kies-sporthal")
    page.fill("form.bulk #id_public_note", "Kom langs zonder afspraak.")
    page.check("form.bulk #id_clear_public_note")
    page.get_by_role("button", name="Aangevinkte diensten wijzigen").click()
    page.wait_for_selector("form.bulk .has-error")
    found["bulk edit with errors"] = axe_violations(page)
    assert {where: v for where, v in found.items() if v} == {}

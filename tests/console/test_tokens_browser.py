"""The API keys page in a real browser: made with the keyboard, within the CSP, accessible."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser import axe_violations
from tests.live import empty_append_only_tables
from tests.personas import People, code_now

pytestmark = pytest.mark.browser

PASSWORD = "een lange zin als wachtwoord"


@pytest.fixture
def served(
    transactional_db: None, people: People, live_server: Any, settings: Any
) -> Iterator[str]:
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    admin = people["admin"].user
    admin.set_password(PASSWORD)
    admin.save()
    yield str(live_server.url)
    empty_append_only_tables()


def test_an_admin_makes_and_revokes_a_key_in_an_accessible_page(
    served: str, people: People, browser: Any
) -> None:
    page = browser.new_page()
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    page.goto(f"{served}/console/inloggen/?next=/console/stad/api-sleutels/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    device = people["admin"].device
    assert device is not None
    page.fill("#id_token", code_now(device))
    page.click("button[type=submit]")
    page.wait_for_url("**/console/stad/api-sleutels/")
    assert page.locator("h1").inner_text() == "API-sleutels"
    assert axe_violations(page) == []
    page.fill("#id_name", "monitoring")
    page.select_option("#id_role", "editor")
    page.locator("#id_name").press("Enter")
    secret = page.locator("#sleutel").input_value()
    assert secret.startswith("ww_")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Intrekken: monitoring", exact=True).click()
    assert "is ingetrokken" in page.locator(".messages").inner_text()
    assert page.locator("#sleutel").count() == 0
    assert blocked == []

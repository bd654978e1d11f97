"""Signing in to the console in a real browser: password, then a TOTP code; and the lockout."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser import watch_csp
from tests.live import empty_append_only_tables
from tests.personas import People, code_now

pytestmark = pytest.mark.browser

PASSWORD = "een lange zin als wachtwoord"


@pytest.fixture
def served(
    transactional_db: None, people: People, live_server: Any, settings: Any
) -> Iterator[str]:
    """The personas with real passwords, served over plain HTTP on loopback (as
    ``make run`` does, hence cookies without the Secure flag)."""
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    for p in people.persons.values():
        p.user.set_password(PASSWORD)
        p.user.save()
    yield str(live_server.url)
    empty_append_only_tables()


def test_an_editor_signs_in_with_a_password_and_a_code_using_the_keyboard(
    served: str, people: People, browser: Any
) -> None:
    page = browser.new_page()
    blocked = watch_csp(page)
    page.goto(f"{served}/console/stad/")
    assert page.locator("h1").inner_text() == "Inloggen op de console"
    page.wait_for_selector("#id_username:focus")  # the user name field has the focus
    page.keyboard.type("eddy")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/inloggen/code/")
    device = people["editor"].device
    assert device is not None
    page.wait_for_selector("#id_token:focus")
    page.keyboard.type(code_now(device))
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/stad/")
    assert page.locator("h1").inner_text() == "Stad"
    assert page.locator("nav.menu a[aria-current=page]").inner_text() == "Overzicht"
    assert "Ingelogd als eddy" in page.locator("header").inner_text()
    # the stylesheet loaded under the CSP: the skip link waits off-screen
    assert page.locator("a.skip").bounding_box()["y"] < 0
    assert blocked == []


@pytest.fixture
def admin_without_app(served: str, people: People) -> str:
    """Before the browser starts: Django refuses database calls inside its event loop."""
    people["admin"].device.delete()  # type: ignore[union-attr]
    return served


def test_the_set_up_page_shows_the_qr_code_within_the_csp(
    admin_without_app: str, browser: Any
) -> None:
    served = admin_without_app
    page = browser.new_page()
    blocked = watch_csp(page)
    page.goto(f"{served}/console/inloggen/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/console/inloggen/app-instellen/")
    qr = page.locator("img.qr")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.locator("#otpauth").input_value().startswith("otpauth://totp/")
    assert blocked == []


def test_repeated_failures_lock_the_sign_in(served: str, browser: Any) -> None:
    page = browser.new_page()
    page.goto(f"{served}/console/inloggen/")
    for attempt in range(5):
        page.fill("#id_username", "viola")
        page.fill("#id_password", f"fout {attempt}")
        page.click("button[type=submit]")
        if attempt < 4:
            assert "kennen we niet" in page.locator(".errors").inner_text()
    assert page.locator("h1").inner_text() == "Tijdelijk geblokkeerd"
    assert "over 15 minuten" in page.locator("main").inner_text()
    page.goto(f"{served}/console/inloggen/")
    page.fill("#id_username", "viola")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    assert page.locator("h1").inner_text() == "Tijdelijk geblokkeerd"

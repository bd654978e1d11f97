"""Search in a real browser, with JavaScript switched off: a plain form that works."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser import NO_HORIZONTAL_SCROLL
from tests.factories import Catalogue
from tests.live import empty_append_only_tables

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A phone-sized page in headless Chromium, without JavaScript."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 812})
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def served(transactional_db: None, small: Catalogue, live_server: Any) -> Iterator[str]:
    yield str(live_server.url)
    empty_append_only_tables()


def test_a_resident_searches_from_the_overview_without_javascript(served: str, phone: Any) -> None:
    blocked: list[str] = []
    phone.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    phone.goto(f"{served}/stad/")
    phone.get_by_label("Zoek een dienst").fill("kan ik mijn reispas afhalen?")
    phone.keyboard.press("Enter")
    phone.wait_for_url("**/stad/zoeken/?q=*")
    titles = phone.locator("ol.results h3").all_inner_texts()
    assert titles[0] == "Reispas \N{EN DASH} afhalen"
    assert phone.evaluate(NO_HORIZONTAL_SCROLL)
    phone.locator("ol.results h3 a").first.click()
    phone.wait_for_url("**/stad/reispas/")
    assert blocked == []


def test_the_header_box_of_a_service_page_finds_another_service(served: str, phone: Any) -> None:
    phone.goto(f"{served}/stad/reispas/")
    box = phone.locator("label[for=q-header]").bounding_box()
    assert box["width"] <= 1  # for screen readers only
    phone.get_by_role("searchbox", name="Zoek een dienst").fill("sprothal")
    phone.get_by_role("button", name="Zoeken").click()
    phone.wait_for_url("**/stad/zoeken/?q=sprothal")
    assert phone.locator("ol.results h3").first.inner_text() == "Sporthal"
    assert "“sporthal” in plaats van “sprothal”" in phone.locator("p.corrected").inner_text()
    assert phone.evaluate(NO_HORIZONTAL_SCROLL)

"""The overview in a real browser: a phone-sized screen, and on paper."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser import NO_HORIZONTAL_SCROLL
from tests.factories import TEST_ACTOR, Catalogue
from tests.live import empty_append_only_tables
from watwerkt.engine import SystemState
from watwerkt.status.services import SystemChange, set_system

pytestmark = pytest.mark.browser


@pytest.fixture
def served(transactional_db: None, helped: Catalogue, live_server: Any) -> Iterator[str]:
    """The helped catalogue during an outage, served by a real server (its own thread)."""
    set_system(helped.systems["datacenter"], SystemChange(SystemState.DOWN), TEST_ACTOR)
    yield str(live_server.url)
    empty_append_only_tables()


def test_the_overview_fits_a_phone_and_prints_without_navigation(served: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 812})
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    response = page.goto(f"{served}/stad/")
    assert response.status == 200
    groups = page.locator("section.domain h3").all_inner_texts()
    assert groups == ["Wat werkt met beperkingen", "Wat werkt niet"]
    assert page.locator("#d-sport ~ ul li.line a.name").all_inner_texts() == [
        "Sporthal",
        "Materiaal",
    ]
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    # The stylesheet loaded (CSP allows it): the skip link sits off-screen until focused.
    assert page.locator("a.skip").bounding_box()["y"] < 0
    assert page.locator("nav.crumbs").is_visible()

    page.emulate_media(media="print")
    assert page.locator("nav.crumbs").is_hidden()
    assert page.locator("nav.toc").is_hidden()
    assert page.locator("section.domain").first.is_visible()
    after = page.evaluate(
        "getComputedStyle(document.querySelector('a.link-url'), '::after').content"
    )
    assert "https://stad.example/districtshuis" in after
    assert blocked == []


def test_a_service_page_fits_a_phone(served: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 812})
    page.goto(f"{served}/stad/sporthal/")
    assert page.locator("table caption").inner_text().startswith("Wat werkt bij Sporthal")
    assert page.evaluate(NO_HORIZONTAL_SCROLL)

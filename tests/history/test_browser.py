"""History and recovery pages in a real browser: a phone, 200% zoom, the keyboard, paper."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser import NO_HORIZONTAL_SCROLL
from tests.factories import TEST_ACTOR, build_small_catalogue
from tests.live import empty_append_only_tables
from watwerkt.engine import SystemState
from watwerkt.status.services import SystemChange, set_system

pytestmark = pytest.mark.browser


@pytest.fixture
def served(transactional_db: None, live_server: Any) -> Iterator[str]:
    """The small catalogue with its data centre down, served by a real server."""
    c = build_small_catalogue()
    set_system(c.systems["datacenter"], SystemChange(SystemState.DOWN), TEST_ACTOR)
    yield f"{live_server.url}/{c.org.slug}"
    empty_append_only_tables()


# A phone, and a 1280-pixel window zoomed to 200% (640 CSS pixels at twice the density).
SCREENS = [
    {"viewport": {"width": 375, "height": 812}},
    {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2},
]


@pytest.mark.parametrize("screen", SCREENS, ids=["phone", "zoom-200"])
@pytest.mark.parametrize(
    "path", ["geschiedenis/", "sporthal/geschiedenis/", "herstel/", "sporthal/"]
)
def test_history_pages_fit_the_screen_without_script_or_inline_style(
    served: str, browser: Any, screen: dict[str, Any], path: str
) -> None:
    page = browser.new_page(**screen)
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    response = page.goto(f"{served}/{path}")
    assert response.status == 200
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    for svg in page.locator("svg.bar, svg.curve").all():
        box = svg.bounding_box()
        assert box["width"] > 200
        assert box["height"] >= 30
    assert blocked == []


def test_every_day_of_a_bar_opens_with_the_keyboard(served: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 812})
    page.goto(f"{served}/sporthal/geschiedenis/")
    days = page.locator("details.bar-days li").first
    assert not days.is_visible()
    page.locator("details.bar-days summary").first.focus()
    page.keyboard.press("Enter")
    assert days.is_visible()
    assert "werkt niet" in page.locator("details.bar-days").first.inner_text()


def test_on_paper_the_bars_stay_and_the_links_and_lists_go(served: str, browser: Any) -> None:
    page = browser.new_page()
    page.goto(f"{served}/geschiedenis/")
    page.emulate_media(media="print")
    assert page.locator("svg.bar").first.is_visible()
    assert page.locator("details.bar-days").first.is_hidden()
    fill = page.evaluate("getComputedStyle(document.querySelector('.legend rect.x')).fill")
    assert fill == "rgb(122, 12, 22)"

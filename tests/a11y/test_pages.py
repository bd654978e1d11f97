"""Every public page, in every language, in headless Chromium without JavaScript:
axe-core's WCAG 2.1 A and AA rules, the keyboard, and 200% zoom.

One browser per test and every page of a language in it (a browser start costs
more than a page). The keyboard and zoom checks run with JavaScript switched
off, as a visitor's may be (the pages have none: tests/i18n checks there is
no ``<script>``). axe itself needs it on: it waits on timers, which do not
run in a page without JavaScript.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from tests.a11y.scene import LANGUAGES, ORG, pages, set_the_scene
from tests.browser import NO_HORIZONTAL_SCROLL, axe_violations
from tests.live import empty_append_only_tables

pytestmark = pytest.mark.browser


@dataclass
class Site:
    url: str
    pages: dict[str, dict[str, str]]  # language -> page name -> path

    def all(self, language: str) -> dict[str, str]:
        return {name: self.url + path for name, path in self.pages[language].items()}

    def page(self, language: str, name: str) -> str:
        return self.url + self.pages[language][name]


@pytest.fixture
def served(transactional_db: None, live_server: Any) -> Iterator[Site]:
    """The Antwerp demo with an incident and maintenance, served by a real server.
    Asked before the browser starts: no database calls once it runs (tests/browser.py)."""
    call_command("demo", stdout=StringIO())
    set_the_scene()
    yield Site(str(live_server.url), {language: pages(language) for language in LANGUAGES})
    empty_append_only_tables()


def no_script(browser: Any, **options: Any) -> Any:
    return browser.new_context(java_script_enabled=False, **options).new_page()


def with_script(browser: Any, **options: Any) -> Any:
    """For axe (see above); the CSP still keeps any script of the page's own from running."""
    return browser.new_context(**options).new_page()


@pytest.mark.parametrize("languages", [("nl", "fr"), ("en", "de")], ids=["nl-fr", "en-de"])
def test_every_page_passes_axe_in_every_language(
    served: Site, browser: Any, languages: tuple[str, str]
) -> None:
    """Two languages per test: loading the demo for a live server costs as much as
    axe on a dozen pages, and two tests keep both test workers busy."""
    page = with_script(browser)
    found = {}
    for language in languages:
        for name, url in served.all(language).items():
            response = page.goto(url)
            assert response.status == (404 if name == "not found" else 200), url
            violations = axe_violations(page)
            if violations:
                found[url] = violations
    assert found == {}
    if "nl" in languages:  # and a Dutch page offering another language
        offered = with_script(browser, extra_http_headers={"Accept-Language": "de-DE,de;q=0.9"})
        offered.goto(served.page("nl", "overview"))
        offer = "Diese Seite gibt es auch auf Deutsch."
        assert offered.locator("p.language-offer").inner_text() == offer
        assert axe_violations(offered) == []
        offered.get_by_role("link", name=offer).click()
        offered.wait_for_url(f"**/de/{ORG}/")
        assert offered.locator("html").get_attribute("lang") == "de"


# Everything the keyboard can reach, in document order, as the browser sees it.
FOCUSABLE = """() => [...document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])')]
  .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
  .map(e => e.outerHTML.slice(0, 80))"""
FOCUSED = "() => document.activeElement ? document.activeElement.outerHTML.slice(0, 80) : ''"
# A visible focus indicator: an outline of at least 2 pixels that is not "none".
FOCUS_SHOWN = """() => { const s = getComputedStyle(document.activeElement);
  return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; }"""


def test_the_keyboard_reaches_everything_in_order_with_focus_shown_and_200_percent_fits(
    served: Site, browser: Any
) -> None:
    """One test, one demo load: the keyboard in Dutch and French, zoom in Dutch and
    German (the longest words)."""
    for language in ("nl", "fr"):
        keyboard(served, no_script(browser, viewport={"width": 1024, "height": 800}), language)
    for language in ("nl", "de"):
        zoomed(served, browser, language)


def keyboard(served: Site, page: Any, language: str) -> None:
    for name in ("overview", "service with help", "incidents", "search with results", "history"):
        page.goto(served.page(language, name))
        expected = page.evaluate(FOCUSABLE)
        page.keyboard.press("Tab")
        skip = page.locator("a.skip")
        assert page.evaluate(FOCUSED).startswith('<a class="skip"'), name
        assert skip.bounding_box()["y"] >= 0  # shown when focused
        seen = [page.evaluate(FOCUSED)]
        for _ in range(min(len(expected), 40) - 1):
            assert page.evaluate(FOCUS_SHOWN), (name, seen[-1])
            page.keyboard.press("Tab")
            seen.append(page.evaluate(FOCUSED))
        assert seen == expected[: len(seen)], name  # the order of the page, nothing skipped
        page.goto(served.page(language, name))
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")  # the skip link
        assert page.evaluate("document.activeElement.id") == "inhoud", name


# Text pushed out of the window or cut off by its box (tables scroll in their own region).
CLIPPED = """() => { const width = document.documentElement.clientWidth; const bad = [];
  for (const e of document.querySelectorAll('body *')) {
    if (e.closest('.table-wrap, .visually-hidden, .skip, svg')) continue;
    const s = getComputedStyle(e);
    if (s.display === 'none' || s.visibility === 'hidden' || !e.getClientRects().length) continue;
    const r = e.getBoundingClientRect();
    if (r.right > width + 1 || r.left < -1) bad.push(e.tagName + ' ' + e.className + ' ' + r.right);
    if (['hidden', 'clip'].includes(s.overflowX) && e.scrollWidth > e.clientWidth + 1)
      bad.push('clipped ' + e.tagName + ' ' + e.className);
  }
  return bad; }"""


def zoomed(served: Site, browser: Any, language: str) -> None:
    """A 1280-pixel window at 200%: 640 CSS pixels at twice the density."""
    page = no_script(browser, viewport={"width": 640, "height": 720}, device_scale_factor=2)
    for url in served.all(language).values():
        page.goto(url)
        assert page.evaluate(NO_HORIZONTAL_SCROLL), url
        assert page.evaluate(CLIPPED) == [], url

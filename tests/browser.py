"""Headless Chromium for the browser tests, and the axe-core accessibility check.

Debian's Chromium (``/usr/bin/chromium``) driven by Playwright's Python API;
never a downloaded browser. The flags keep it from reaching for the network
this machine does not have. One browser per test: Playwright's sync API runs
an event loop in the calling thread while it is started, and Django refuses
database calls from a thread with a running loop, so the browser cannot
outlive the test that uses it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
# The rules the issues name: WCAG 2.1 levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield instance
        finally:
            instance.close()


def axe_violations(page: Any) -> list[str]:
    """Run axe-core's WCAG 2.1 A and AA rules on the page as it is now; one line
    per violation and element, empty when the page passes.

    axe is injected through the DevTools protocol, which the page's strict
    Content-Security-Policy does not apply to, so the page is tested as served.
    """
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options)
    return [
        f"{v['id']} ({v['impact']}): {node['target']} — {v['help']}"
        for v in results.response["violations"]
        for node in v["nodes"]
    ]


def watch_csp(page: Any) -> list[str]:
    """The Content-Security-Policy violations the page reports, as they happen."""
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    return blocked


def signed_in_page(browser: Any, url: str, session: str) -> Any:
    """A new page of the server at ``url`` that carries the session cookie ``session``."""
    from django.conf import settings

    context = browser.new_context()
    host = url.split("//", 1)[1].split(":")[0]
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": session, "domain": host, "path": "/"}
    context.add_cookies([cookie])
    return context.new_page()

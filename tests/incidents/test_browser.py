"""The incident pages in a real browser: a phone-sized screen, the strict CSP, and paper."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser import NO_HORIZONTAL_SCROLL
from tests.factories import Catalogue
from tests.incidents.conftest import COMMS, DEC_6
from tests.live import empty_append_only_tables
from watwerkt.incidents import services

pytestmark = pytest.mark.browser


@pytest.fixture
def served(transactional_db: None, small: Catalogue, live_server: Any) -> Iterator[str]:
    """A published incident with a long update, served by a real server."""
    incident = services.create_incident(
        small.org, {"nl": "Cyberaanval op de stad"}, COMMS, slug="cyberaanval",
        started_at=DEC_6, sections={"to_do": {"nl": "Kom **niet** naar je afspraak."}},
        services=[small.services["sporthal"]],
    )  # fmt: skip
    body = "## Stand van zaken\n\n" + "Een heel lang woord: " + "x" * 120 + "\n\n- één\n- twee"
    services.post_update(incident, {"nl": body}, COMMS, publish=True)
    yield str(live_server.url)
    empty_append_only_tables()


def test_the_incident_page_fits_a_phone_and_runs_no_inline_code(served: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 812})
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    response = page.goto(f"{served}/stad/incidenten/cyberaanval/")
    assert response.status == 200
    assert page.locator("h1").inner_text() == "Cyberaanval op de stad"
    assert page.locator("#updates ~ ol h4").inner_text() == "Stand van zaken"
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    page.emulate_media(media="print")
    assert page.locator("nav.crumbs").is_hidden()
    assert page.locator("#s-to_do").is_visible()
    assert blocked == []


def test_the_overview_notice_leads_to_the_incident(served: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 812})
    page.goto(f"{served}/stad/")
    notice = page.locator("section.incident-notice")
    assert notice.locator("h2").inner_text() == "Storingen en onderhoud"
    notice.get_by_role("link", name="Cyberaanval op de stad").click()
    page.wait_for_url("**/stad/incidenten/cyberaanval/")
    assert page.evaluate(NO_HORIZONTAL_SCROLL)

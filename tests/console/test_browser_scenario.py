"""The issue's "done when", in a real browser, from the console alone.

A comms officer of Antwerp signs in with a TOTP code, marks the reservation
platform restored after seeing which services come back, and posts a dated
update to "Cyberaanval op de stad" in Dutch and English after previewing it.
Residents have the public overview and the incident page open in Dutch and
English (so the page cache holds them), and each shows each change within a
second of the confirm, served through the page cache's fast path as in
production (tests/console/served.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.browser import watch_csp
from tests.console.served import DemoSite, keyboard_sign_in

pytestmark = pytest.mark.browser

SPORT = "section.domain[aria-labelledby=d-cultuur-en-sport]"
INCIDENT = "cyberaanval-op-de-stad"
NL = "De **sporthallen** kun je weer online reserveren.\n\n- sporthal: ja\n- sportmateriaal: ja"
EN = "You can book **sports halls** online again.\n\n- sports halls: yes\n- equipment: yes"


def works(page: Any) -> list[str]:
    """The sport services the overview lists as working."""
    return list(page.locator(f"{SPORT} ul.lines.group-works a.name").all_inner_texts())


def newest_update(page: Any) -> tuple[str, str]:
    """(the moment, the text) of the newest update on a public incident page."""
    newest = page.locator("ol.updates article").first
    return newest.locator("h3 time").get_attribute("datetime"), newest.locator(".md").inner_html()


def latest_in_banner(page: Any) -> str:
    """The moment of the incident's latest update, in the overview's banner."""
    banner = page.locator(".incident-notice li.notice-incident", has_text="Cyber")
    return str(banner.locator("time").get_attribute("datetime"))


def within_a_second(since: float, pages: dict[str, tuple[Any, str, Callable[[Any], bool]]]) -> None:
    """Reload each public page until it shows what it should: each must show it to a
    request made within a second of ``since``. (What counts is when a resident asks,
    not how long this busy test machine takes to render the answer; the pages are
    asked for one after the other.)"""
    waiting = dict(pages)
    while waiting:
        for name, (page, url, shows) in list(waiting.items()):
            asked = time.monotonic() - since
            assert asked < 1.0, f"{name}: not shown within a second"
            page.goto(url)
            if shows(page):
                del waiting[name]


def test_a_comms_officer_runs_the_antwerp_scenario_from_the_console_alone(
    demo_site: DemoSite, browser: Any
) -> None:
    url = demo_site.url
    public = {
        "overview": f"{url}/antwerpen/",
        "incident": f"{url}/antwerpen/incidenten/{INCIDENT}/",
        "overview (en)": f"{url}/en/antwerpen/",
        "incident (en)": f"{url}/en/antwerpen/incidenten/{INCIDENT}/",
    }
    residents = {name: browser.new_page() for name in public}
    for name, page in residents.items():  # now in the page cache
        assert page.goto(public[name]).status == 200
    assert "Sportfaciliteiten reserveren" not in works(residents["overview"])
    before, _ = newest_update(residents["incident"])
    assert before == "2023-02-03T11:00:00+00:00"  # the demo's last update (12:00 in Antwerp)
    assert latest_in_banner(residents["overview"]) == before

    page = browser.new_page()
    blocked = watch_csp(page)
    keyboard_sign_in(page, demo_site, "comms")

    # 1. Mark the reservation platform restored, seeing first what comes back.
    page.get_by_role("link", name="Systemen", exact=True).click()
    page.get_by_role("link", name="Reservatieplatform", exact=True).click()
    page.select_option("#id_state", "up")
    page.get_by_role("button", name="Gevolgen bekijken").click()
    assert page.locator("h1").inner_text() == "Reservatieplatform op “werkt” zetten?"
    main = page.inner_text("main")
    assert "5 diensten gaan erop vooruit, 0 diensten gaan erop achteruit." in main
    back = page.locator("section.impact li.better").all_inner_texts()
    assert "Sportfaciliteiten reserveren: werkt niet → werkt" in back
    assert "Sportmateriaal reserveren: werkt niet → werkt" in back
    page.get_by_role("button", name="Bevestigen en toepassen").click()
    page.wait_for_selector(".message.success")
    restored = time.monotonic()
    said = page.inner_text(".messages")
    assert "Reservatieplatform staat nu op “werkt”. 5 diensten werken beter." in said
    within_a_second(
        restored,
        {
            "overview": (
                residents["overview"],
                public["overview"],
                lambda p: (
                    {"Sportfaciliteiten reserveren", "Sportmateriaal reserveren"} <= set(works(p))
                ),
            ),
            "incident": (
                residents["incident"],
                public["incident"],
                lambda p: (
                    "Sportfaciliteiten reserveren: werkt"
                    in p.locator("ul.affected").all_inner_texts()[0].splitlines()
                ),
            ),
        },
    )

    # 2. A dated update in Dutch and English, previewed, then published.
    page.get_by_role("link", name="Incidenten", exact=True).click()
    page.get_by_role("link", name="Cyberaanval op de stad", exact=True).click()
    page.get_by_role("link", name="Nieuwe update schrijven").click()
    assert page.locator("h1").inner_text() == "Nieuwe update"
    page.fill("#id_body_nl", NL)
    page.locator("summary", has_text="Engels").click()
    page.fill("#id_body_en", EN)
    assert page.input_value("#id_phase") == "monitoring"  # the incident's phase, kept
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    page.wait_for_selector("section.preview")
    dutch = page.locator("section.preview[lang=nl] .md").inner_html()
    english = page.locator("section.preview[lang=en] .md").inner_html()
    assert "<strong>sporthallen</strong>" in dutch
    assert "<strong>sports halls</strong>" in english
    page.get_by_role("button", name="Publiceren").click()
    page.wait_for_url(f"**/console/antwerpen/incidenten/{INCIDENT}/#updates")
    published = time.monotonic()
    assert "De update is gepubliceerd." in page.locator(".messages").inner_text()

    def shows(body: str) -> Callable[[Any], bool]:
        return lambda p: newest_update(p)[1] == body

    def in_banner(p: Any) -> bool:
        return latest_in_banner(p) != before

    within_a_second(
        published,
        {
            "incident": (residents["incident"], public["incident"], shows(dutch)),
            "incident (en)": (residents["incident (en)"], public["incident (en)"], shows(english)),
            "overview": (residents["overview"], public["overview"], in_banner),
            "overview (en)": (residents["overview (en)"], public["overview (en)"], in_banner),
        },
    )
    # Dated: the update carries the moment it was published, which the overviews repeat.
    at, _ = newest_update(residents["incident"])
    assert abs(datetime.now(UTC) - datetime.fromisoformat(at)).total_seconds() < 60
    assert newest_update(residents["incident (en)"])[0] == at
    assert latest_in_banner(residents["overview"]) == at
    assert latest_in_banner(residents["overview (en)"]) == at
    english_page = residents["incident (en)"]
    assert english_page.locator("h1").inner_text().startswith("Cyber attack on the city")
    assert blocked == []

"""The console's board, systems and contact-centre pages in a real browser, on the
Antwerp demo served through the page cache's fast path (tests/console/served.py).

- The board is operated with the keyboard alone: filters, a quick edit, a bulk edit.
- Every console page passes axe-core's WCAG 2.1 A and AA rules (the sign-in,
  account and error pages: test_axe_pages.py).

Restoring the reservation platform through the impact preview and seeing the
public overview change within a second is part of the whole Antwerp scenario,
in test_browser_scenario.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser import axe_violations
from tests.console.served import DemoSite, keyboard_sign_in

pytestmark = pytest.mark.browser


FOCUSED = """() => {
  const el = document.activeElement;
  const all = Array.from(document.querySelectorAll('*'));
  const style = getComputedStyle(el);
  return {index: all.indexOf(el), tag: el.tagName.toLowerCase(), id: el.id,
          text: (el.innerText || el.value || '').trim().slice(0, 80),
          visible: (el.matches(':focus-visible') || el.matches(':focus-within'))
                   && style.outlineStyle !== 'none'
                   && parseFloat(style.outlineWidth) >= 2};
}"""


def tab_to(page: Any, wanted: str, limit: int = 200) -> dict[str, Any]:
    """Press Tab until the element matching ``wanted`` has the focus; every stop on
    the way shows its focus, and focus moves forward through the page."""
    last = -1
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = page.evaluate(FOCUSED)
        assert now["visible"], f"no visible focus on {now}"
        # (equal: the parts of one date-and-time field, which Tab steps through)
        assert now["index"] >= last, f"focus went backwards to {now}"
        last = now["index"]
        if page.evaluate("s => document.activeElement.matches(s)", wanted):
            return dict(now)
    raise AssertionError(f"{wanted} not reached with Tab")


def test_the_board_works_with_the_keyboard_alone(demo_site: DemoSite, browser: Any) -> None:
    page = browser.new_page()
    keyboard_sign_in(page, demo_site, "comms")
    assert (
        page.evaluate("document.querySelectorAll('[tabindex]:not([tabindex=\"-1\"])').length") == 0
    )
    tab_to(page, "nav.menu a[href$='/diensten/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/antwerpen/diensten/")

    tab_to(page, "#id_niveau")  # the level filter
    for _ in range(5):  # alle, werkt, met beperkingen, onbekend, onderhoud, werkt niet
        page.keyboard.press("ArrowDown")
    tab_to(page, "form.filters button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/diensten/?*niveau=unavailable*")
    levels = page.locator("table.board tbody span.level").all_inner_texts()
    assert levels
    assert set(levels) == {"werkt niet"}

    tab_to(page, "a.edit[href*='/diensten/sporthal/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/diensten/sporthal/#wijzigen")
    tab_to(page, "#id_level")
    # The form starts from what was set by hand ("werkt"; the platform makes it "werkt niet").
    assert page.input_value("#id_level") == "available"
    page.keyboard.press("ArrowDown")  # -> werkt met beperkingen
    assert page.input_value("#id_level") == "limited"
    tab_to(page, "#id_q0_code")
    page.keyboard.type("zonder")  # type-ahead: "zonder afspraak"
    assert page.input_value("#id_q0_code") == "without_appointment"
    tab_to(page, "form.status-form button[type=submit]")
    page.keyboard.press(" ")  # Space presses a button
    page.wait_for_selector(".message.success")
    said = page.inner_text(".messages")
    assert "Opgeslagen: 1 onderdeel staat op “werkt met beperkingen”." in said
    assert "Let op: bij 1 onderdeel zien bewoners nog minder" in said  # the platform is down
    # Stored as set: the form now starts from it; residents still see "werkt niet".
    assert page.input_value("#id_level") == "limited"
    assert page.input_value("#id_q0_code") == "without_appointment"
    assert page.locator("p.summary").inner_text().startswith("werkt niet")

    # A bulk edit: every service on the reservation platform, "limited, walk in
    # without appointment", set in place of what the platform implies.
    tab_to(page, "nav.menu a[href$='/diensten/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/antwerpen/diensten/")
    tab_to(page, "#id_systeem")  # "depends on system"
    page.keyboard.type("Reservatie")  # type-ahead
    assert page.input_value("#id_systeem") == "antwerpen/reservatieplatform"
    tab_to(page, "form.filters button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/diensten/?*systeem=antwerpen%2Freservatieplatform*")
    on_platform = page.locator("table.board tbody td.tick input").evaluate_all(
        "boxes => boxes.map(b => b.value)"
    )
    assert {"sporthal", "sportmateriaal"} <= set(on_platform)
    for slug in ("sporthal", "sportmateriaal"):
        tab_to(page, f"#kies-{slug}")
        page.keyboard.press(" ")  # Space ticks a checkbox
    ticked = page.locator("table.board tbody td.tick input:checked").evaluate_all(
        "boxes => boxes.map(b => b.value)"
    )
    assert ticked == ["sporthal", "sportmateriaal"]
    tab_to(page, "form.bulk #id_level")
    page.keyboard.type("werkt met")  # type-ahead: "werkt met beperkingen"
    assert page.input_value("form.bulk #id_level") == "limited"
    tab_to(page, "form.bulk #id_q0_code")
    page.keyboard.type("zonder")
    assert page.input_value("form.bulk #id_q0_code") == "without_appointment"
    tab_to(page, "form.bulk #id_pin")
    page.keyboard.type("vast")  # "vastzetten": this level holds, whatever the systems say
    assert page.input_value("form.bulk #id_pin") == "vast"
    tab_to(page, "fieldset.bulk-fields button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector(".message.success")
    said = page.inner_text(".messages")
    assert "Opgeslagen:" in said
    assert "2 diensten veranderden van niveau." in said
    # Back on the board as it was filtered, the two now show what was set, pinned.
    assert "systeem=antwerpen%2Freservatieplatform" in page.url
    for slug in ("sporthal", "sportmateriaal"):
        row = page.locator("table.board tbody tr", has=page.locator(f"#kies-{slug}"))
        assert row.locator("span.level").inner_text() == "werkt met beperkingen"
        assert "zonder afspraak" in row.inner_text()
        assert "Vastgezet" in row.locator("ul.reasons").inner_text()


PAGES = [
    "/console/antwerpen/",
    "/console/antwerpen/audit/",
    "/console/antwerpen/diensten/",
    "/console/antwerpen/diensten/?niveau=unavailable&systeem=antwerpen/reservatieplatform",
    "/console/antwerpen/diensten/?sinds=gisteren",  # a filter error
    "/console/antwerpen/diensten/grofvuil/",
    "/console/antwerpen/diensten/grofvuil/hulp/",
    "/console/antwerpen/systemen/",
    "/console/antwerpen/systemen/antwerpen/reservatieplatform/",
    "/console/antwerpen/herstelvolgorde/",
    "/console/antwerpen/contactcenter/",
    "/console/antwerpen/contactcenter/?q=parkeerkaart",
]


def test_every_console_page_passes_axe(demo_site: DemoSite, browser: Any) -> None:
    url = demo_site.url
    page = browser.new_page()
    page.goto(f"{url}/console/inloggen/")
    found = {"login": axe_violations(page)}
    keyboard_sign_in(page, demo_site, "coordinator")
    for path in PAGES:
        page.goto(f"{url}{path}")
        found[path] = axe_violations(page)
    # Forms as they come back with errors, and the impact preview.
    page.goto(f"{url}/console/antwerpen/diensten/sporthal/")
    page.select_option("#id_q0_code", "except")
    page.get_by_role("button", name="Status opslaan").click()
    found["quick edit with errors"] = axe_violations(page)
    page.goto(f"{url}/console/antwerpen/systemen/antwerpen/reservatieplatform/")
    page.select_option("#id_state", "up")
    page.get_by_role("button", name="Gevolgen bekijken").click()
    found["impact preview"] = axe_violations(page)
    assert {where: v for where, v in found.items() if v} == {}

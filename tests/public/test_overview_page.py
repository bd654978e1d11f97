"""The overview page: per domain, what works, what works with limits, what doesn't."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.factories import TEST_ACTOR, Catalogue, domain, org, service
from tests.public.conftest import set_item
from tests.public.helpers import Page, groups, inline_code, line, section, words
from watwerkt.engine import SystemState
from watwerkt.status.models import Revision
from watwerkt.status.services import SystemChange, set_system

BRUSSELS = ZoneInfo("Europe/Brussels")


def overview(client: Client, path: str = "/stad/") -> Page:
    response = client.get(path)
    assert response.status_code == 200
    return Page(response.content.decode())


def down(c: Catalogue, name: str) -> None:
    set_system(c.systems[name], SystemChange(SystemState.DOWN), TEST_ACTOR)


def test_it_groups_services_per_domain_in_the_domains_order(
    helped: Catalogue, client: Client
) -> None:
    down(helped, "datacenter")
    page = overview(client)
    domains = [words(h.text) for h in page.find_all("h2") if h.attrs.get("id", "").startswith("d-")]
    assert domains == ["Loketten", "Sport"]
    assert groups(section(page, "d-loketten")) == {"Wat werkt met beperkingen": ["Reispas"]}
    assert groups(section(page, "d-sport")) == {"Wat werkt niet": ["Sporthal", "Materiaal"]}


def test_services_that_work_are_listed_as_working(helped: Catalogue, client: Client) -> None:
    page = overview(client)
    assert groups(section(page, "d-sport")) == {"Wat werkt": ["Sporthal", "Materiaal"]}


def test_a_service_whose_functions_differ_spells_them_out(
    helped: Catalogue, client: Client
) -> None:
    text = line(section(overview(client), "d-loketten"), "Reispas")
    assert "Aanvragen: werkt met beperkingen, met vertraging" in text
    assert "Afhalen: werkt niet (verwacht: maart 2023)" in text
    assert "sinds 6 december 2022" in text


def test_channels_that_differ_are_named(helped: Catalogue, client: Client) -> None:
    set_item(helped, "hal_online", "unavailable", expected="weeks")
    text = line(section(overview(client), "d-sport"), "Sporthal")
    # One function: its channels go by their own names.
    assert "Online: werkt niet Telefoon: werkt" in text
    assert "verwacht: binnen enkele weken" in text  # the only thing down: said once


def test_it_says_what_to_do_instead_with_links(helped: Catalogue, client: Client) -> None:
    down(helped, "datacenter")
    page = overview(client)
    text = line(section(page, "d-sport"), "Sporthal")
    assert "Wat kun je doen? Bel de sportdienst weekdagen 9-12 uur" in text
    assert "Doe dit niet: Kom niet zonder reservatie" in text
    hrefs = {a.attrs["href"] for a in page.find_all("a")}
    assert {"tel:033380000", "mailto:sport@stad.be", "https://stad.example/districtshuis"} <= hrefs
    assert "Afhalen: Afhalen kan in het districtshuis" in line(
        section(page, "d-loketten"), "Reispas"
    )


def test_it_shows_what_holds_for_everyone(helped: Catalogue, client: Client) -> None:
    text = words(section(overview(client), "algemeen").text)
    assert "Doe dit niet: Betaal een factuur niet twee keer" in text
    assert "Geen boete: Geen boetes voor laattijdige betaling" in text


def test_maintenance_counts_as_not_working_and_says_so(helped: Catalogue, client: Client) -> None:
    set_item(helped, "mat", "maintenance")
    set_item(helped, "hal_online", "unknown")
    set_item(helped, "hal_phone", "unknown")
    sport = section(overview(client), "d-sport")
    assert groups(sport) == {"Wat werkt niet": ["Materiaal"], "Nog niet bekend": ["Sporthal"]}
    assert "(onderhoud)" in line(sport, "Materiaal")


def test_the_as_of_stamp_is_the_time_of_the_latest_revision(
    helped: Catalogue, client: Client
) -> None:
    with time_machine.travel(datetime(2023, 2, 3, 8, 30, tzinfo=UTC)):
        down(helped, "datacenter")
    stamp = overview(client).find_all("p", **{"class": "as-of"})[0]
    assert words(stamp.text) == "Stand van zaken: 3 februari 2023 09:30"
    assert stamp.children[0].attrs["datetime"].startswith("2023-02-03T08:30")


def test_changes_since_the_previous_update_are_listed_newest_first(
    helped: Catalogue, client: Client
) -> None:
    start = datetime(2026, 12, 5, 0, 0, tzinfo=BRUSSELS)
    with time_machine.travel(start, tick=False):
        set_item(helped, "mat", "limited")
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        set_item(helped, "hal_online", "unavailable")
    with time_machine.travel(start + timedelta(hours=3), tick=False):
        set_item(helped, "mat", "unavailable")
    changes = [words(li.text) for li in section(overview(client), "wijzigingen").find_all("li")]
    assert changes == [
        "Materiaal: van “werkt” naar “werkt niet” (5 december 2026 03:00)",
        "Sporthal: van “werkt” naar “werkt met beperkingen” (5 december 2026 02:00)",
    ]  # reispas changed more than a day before: not listed


def test_a_change_undone_within_the_window_is_not_listed(helped: Catalogue, client: Client) -> None:
    start = timezone.now() + timedelta(days=3)
    with time_machine.travel(start, tick=False):
        down(helped, "reservatie")
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        set_system(helped.systems["reservatie"], SystemChange(SystemState.UP), TEST_ACTOR)
    text = words(section(overview(client), "wijzigingen").text)
    assert "Geen wijzigingen sinds" in text


def test_the_index_sends_people_to_the_only_organisation(small: Catalogue, client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/stad/"


def test_the_index_lists_several_organisations(small: Catalogue, client: Client) -> None:
    other = org("politie", "Politiezone")
    service(domain(other, "meldingen"), "aangifte")
    page = overview(client, "/")
    links = page.find_all("main")[0].find_all("a")
    assert [words(a.text) for a in links] == [
        "Politiezone",
        "Stad",
    ]


@pytest.mark.parametrize(
    "path", ["/onbekend/", "/stad/onbekend/", "/stad/reispas/extra/", "/stad/re%20ispas/"]
)
def test_unknown_organisations_and_services_are_not_found(
    small: Catalogue, client: Client, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "Niet gevonden" in response.content.decode()


def test_an_empty_installation_says_so(db: None, client: Client) -> None:
    page = overview(client, "/")
    assert "Er zijn nog geen organisaties." in words(page.root.text)


@pytest.mark.parametrize(
    "path", ["/", "/stad/", "/stad/sporthal/", "/stad/reispas/", "/stad/onbekend/", "/fr/stad/"]
)
def test_pages_have_no_inline_script_or_style(helped: Catalogue, client: Client, path: str) -> None:
    org("tweede")  # so that "/" lists instead of redirecting
    down(helped, "datacenter")
    html = client.get(path).content.decode()
    assert "<html" in html
    assert inline_code(html) == []


def test_the_page_is_built_for_assistive_technology(helped: Catalogue, client: Client) -> None:
    down(helped, "datacenter")
    page = overview(client)
    (html,) = page.find_all("html")
    assert html.attrs["lang"] == "nl"
    skip = page.find_all("a", **{"class": "skip"})[0]
    assert page.by_id(skip.attrs["href"][1:]).tag == "main"
    assert {e.tag for e in page.all} >= {"header", "nav", "main", "footer"}
    levels = [int(e.tag[1]) for e in page.all if re.fullmatch(r"h[1-6]", e.tag)]
    assert levels[0] == 1
    assert levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
    # Status is said in words (group headings, parts), never by colour alone.
    assert [words(h.text) for h in section(page, "d-sport").find_all("h3")] == ["Wat werkt niet"]
    assert "Afhalen: werkt niet" in line(section(page, "d-loketten"), "Reispas")


def test_the_stylesheet_hides_navigation_in_print(client: Client, db: None) -> None:
    from django.contrib.staticfiles import finders

    css = Path(str(finders.find("public/site.css"))).read_text(encoding="utf-8")
    printed = css[css.index("@media print") :]
    assert "header.site" in printed
    assert "display: none" in printed
    assert 'a[href^="http"]::after' in printed


def test_revision_with_no_time_still_renders(small: Catalogue, client: Client) -> None:
    Revision.objects.update(changed_at=None)
    assert client.get("/stad/").status_code == 200

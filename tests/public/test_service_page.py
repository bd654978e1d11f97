"""A service page: the function x channel matrix, why, and what to do."""

from __future__ import annotations

from django.test import Client

from tests.factories import TEST_ACTOR, Catalogue, function
from tests.public.conftest import set_item
from tests.public.helpers import Page, section, words
from watwerkt.engine import Qualifier, SystemState
from watwerkt.status.services import SystemChange, recompute, set_system
from watwerkt.status.values import QualifierValue


def page(client: Client, path: str) -> Page:
    response = client.get(path)
    assert response.status_code == 200
    return Page(response.content.decode())


def matrix(p: Page) -> list[list[str]]:
    (table,) = p.find_all("table")
    return [
        [words(cell.text) for cell in row.children if cell.tag in ("th", "td")]
        for row in table.find_all("tr")
    ]


def test_it_shows_a_real_table_of_functions_and_channels(helped: Catalogue, client: Client) -> None:
    set_item(helped, "hal_online", "unavailable", expected="2023-03-15")
    p = page(client, "/stad/sporthal/")
    (table,) = p.find_all("table")
    assert words(table.find_all("caption")[0].text) == (
        "Wat werkt bij Sporthal, per onderdeel en kanaal"
    )
    assert [th.attrs.get("scope") for th in table.find_all("th")] == ["col"] * 3 + ["row"]
    rows = matrix(p)
    assert rows[0] == ["Onderdeel", "Online", "Telefoon"]
    assert rows[1][0] == "Boeken"
    assert rows[1][1].startswith("werkt niet")
    assert "verwacht: 15 maart 2023" in rows[1][1]
    assert rows[1][2] == "werkt"


def test_a_channel_a_function_does_not_use_is_marked(helped: Catalogue, client: Client) -> None:
    function(helped.services["reispas"], "annuleren", [helped.channels["telefoon"]])
    recompute(TEST_ACTOR)
    rows = matrix(page(client, "/stad/reispas/"))
    assert rows[0] == ["Onderdeel", "Telefoon", "Loket"]
    assert rows[1] == [
        "Aanvragen",
        "niet via dit kanaal",
        "werkt met beperkingen met vertraging sinds 6 december 2022 10:10",
    ]
    assert rows[3] == ["Annuleren", "werkt", "niet via dit kanaal"]


def test_it_explains_derived_statuses_without_naming_internal_systems(
    helped: Catalogue, client: Client
) -> None:
    set_system(helped.systems["datacenter"], SystemChange(SystemState.DOWN), TEST_ACTOR)
    text = words(section(page(client, "/stad/sporthal/"), "waarom").text)
    assert (
        "Online: werkt niet: hangt af van een intern systeem, dat afhangt van "
        "Datacenter Noord, buiten werking sinds" in text
    )
    assert "Geheim" not in text


def test_it_lists_alternatives_instructions_and_measures(helped: Catalogue, client: Client) -> None:
    p = page(client, "/stad/reispas/")
    assert "Afhalen: Afhalen kan in het districtshuis" in words(section(p, "alternatief").text)
    assert "Termijn verlengd: Verlopen reispassen blijven geldig tot 1 maart" in words(
        section(p, "maatregelen").text
    )
    assert "Betaal een factuur niet twee keer" in words(section(p, "algemeen").text)
    hal = page(client, "/stad/sporthal/")
    assert "Doe dit niet: Kom niet zonder reservatie" in words(section(hal, "instructies").text)


def test_it_says_the_status_since_and_expected_return(helped: Catalogue, client: Client) -> None:
    set_item(helped, "mat", "unavailable", expected="none")
    text = words(page(client, "/stad/materiaal/").root.text)
    assert "Status: werkt niet" in text
    assert "sinds 6 december 2022 · nog geen datum" in text


def test_qualifiers_with_their_own_text_are_spelled_out(helped: Catalogue, client: Client) -> None:
    set_item(
        helped,
        "mat",
        "limited",
        QualifierValue(Qualifier.EXCEPT, {"nl": "Arenberg en OLT Rivierenhof"}),
        QualifierValue(Qualifier.REDUCED_CAPACITY, {"nl": "slechts één kassa"}),
    )
    text = words(page(client, "/stad/materiaal/").root.text)
    assert "behalve Arenberg en OLT Rivierenhof, met beperkte capaciteit: slechts één kassa" in text


def test_breadcrumbs_lead_back_to_the_overview(helped: Catalogue, client: Client) -> None:
    p = page(client, "/stad/sporthal/")
    (nav,) = [n for n in p.find_all("nav") if n.attrs.get("aria-label") == "Kruimelpad"]
    assert [a.attrs["href"] for a in nav.find_all("a")] == ["/stad/"]
    assert words(nav.find_all("span")[0].text) == "Sporthal"

"""The public search page, /<organisation>/zoeken/?q=..., and the search boxes."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.public.helpers import Page, inline_code, words
from watwerkt.search.services import MAX_QUERY

pytestmark = pytest.mark.usefixtures("demo")

URL = "/antwerpen/zoeken/"


def results_of(html: str) -> list[str]:
    """The titles of the hits, in order."""
    page = Page(html)
    return [words(h3.text) for h3 in page.find_all("h3") if h3.find_all("a")]


def test_it_lists_hits_with_status_in_words_and_links(client: Client) -> None:
    response = client.get(URL, {"q": "kan ik mijn rijbewijs afhalen"})
    assert response.status_code == 200
    html = response.content.decode()
    assert results_of(html)[0] == "Rijbewijs \N{EN DASH} afhalen"
    page = Page(html)
    (first, *_) = page.find_all("li", **{"class": "result"})
    assert first.find_all("a")[0].attrs["href"] == "/antwerpen/rijbewijs/"
    assert "werkt" in words(first.text)
    assert inline_code(html) == []


def test_a_hit_shows_what_to_do_and_when_it_is_expected(client: Client) -> None:
    html = client.get(URL, {"q": "parkeerkaart"}).content.decode()
    (hit,) = Page(html).find_all("li", **{"class": "result"})
    text = words(hit.text)
    assert "werkt niet" in text
    assert "verwacht: 15 maart 2023" in text
    assert "Wat kun je doen?" in text
    assert hit.find_all("a")[-1].attrs["href"] == "tel:032211333"


def test_the_query_is_echoed_escaped(client: Client) -> None:
    attack = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    response = client.get(URL, {"q": attack})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html
    assert inline_code(html) == []
    assert "&lt;script&gt;" in html
    (box,) = Page(html).find_all("input", name="q")
    assert box.attrs["value"] == attack


def test_a_typo_says_what_was_searched_instead(client: Client) -> None:
    html = client.get(URL, {"q": "parkeerkaat"}).content.decode()
    assert "“parkeerkaart” in plaats van “parkeerkaat”" in html
    assert results_of(html) == ["Parkeervergunning"]


def test_no_results_offers_suggestions_and_the_domains(client: Client) -> None:
    html = client.get(URL, {"q": "reisbureau"}).content.decode()
    page = Page(html)
    assert "Niets gevonden voor “reisbureau”" in words(html)
    suggestions = page.find_all("p", **{"class": "suggestions"})[0].find_all("a")
    assert suggestions
    assert all(a.attrs["href"].startswith(f"{URL}?q=") for a in suggestions)
    domains = [
        a.attrs["href"] for a in page.find_all("ul", **{"class": "domains"})[0].find_all("a")
    ]
    assert "/antwerpen/#d-loketten" in domains


def test_only_question_words_ask_for_something_to_search(client: Client) -> None:
    html = client.get(URL, {"q": "kan ik?"}).content.decode()
    assert "Typ waarvoor je komt" in html


def test_without_a_query_it_shows_the_form(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    page = Page(response.content.decode())
    (form,) = page.find_all("form", role="search")
    assert form.attrs["method"] == "get"
    assert form.attrs["action"] == URL
    assert page.find_all("section", **{"class": "search-results"}) == []


def test_a_too_long_query_is_refused_with_a_reason(client: Client) -> None:
    response = client.get(URL, {"q": "reispas " * 100})
    assert response.status_code == 400
    html = response.content.decode()
    assert f"Je zoekvraag is te lang: gebruik hoogstens {MAX_QUERY} tekens." in html
    assert results_of(html) == []
    (box,) = Page(html).find_all("input", name="q")
    assert len(box.attrs["value"]) == MAX_QUERY
    assert box.attrs["maxlength"] == str(MAX_QUERY)


def test_only_get_and_head(client: Client) -> None:
    assert client.post(URL, {"q": "reispas"}).status_code == 405
    assert client.head(URL, {"q": "reispas"}).status_code == 200


def test_an_unknown_organisation_is_not_found(client: Client) -> None:
    assert client.get("/nergens/zoeken/", {"q": "reispas"}).status_code == 404


def test_each_query_gets_its_own_answer_and_a_matching_etag_gets_304(client: Client) -> None:
    first = client.get(URL, {"q": "reispas"})
    second = client.get(URL, {"q": "sporthal"})
    assert results_of(first.content.decode())[0] == "Reispas"
    assert results_of(second.content.decode())[0] == "Sportfaciliteiten reserveren"
    again = client.get(URL, {"q": "reispas"}, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304


def test_the_page_speaks_the_language_of_its_url(client: Client) -> None:
    html = client.get(f"/fr{URL}", {"q": "passeport"}).content.decode()
    assert results_of(html)[0] == "Passeport"
    assert Page(html).find_all("a", href="/fr/antwerpen/reispas/")


def test_the_overview_has_one_search_box_and_service_pages_have_one_in_the_header(
    client: Client,
) -> None:
    overview = Page(client.get("/antwerpen/").content.decode())
    (box,) = overview.find_all("form", role="search")
    assert box.attrs["action"] == URL
    assert "search-main" in box.attrs["class"]
    service = Page(client.get("/antwerpen/reispas/").content.decode())
    (box,) = service.find_all("form", role="search")
    assert "search-header" in box.attrs["class"]
    (label,) = box.find_all("label")
    assert label.attrs["for"] == "q-header"


def test_the_search_page_has_one_search_box(client: Client) -> None:
    page = Page(client.get(URL, {"q": "reispas"}).content.decode())
    assert len(page.find_all("form", role="search")) == 1


@pytest.mark.parametrize(
    "query",
    [
        "\x00",
        "%00",
        "\ud7ff\ue000",
        "\u202erijbewijs",
        "' OR 1=1 --",
        "{{ settings.SECRET_KEY }}",
        "{% debug %}",
        "🚗" * 50,
        "a-" * 99,
        "-" * 200,
    ],
)
def test_nasty_input_gets_a_page_not_an_error(client: Client, query: str) -> None:
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert inline_code(response.content.decode()) == []


@settings(max_examples=40)
@given(st.text(max_size=MAX_QUERY))
def test_no_query_gives_a_server_error(query: str) -> None:
    response = Client().get(URL, {"q": query})
    assert response.status_code == 200

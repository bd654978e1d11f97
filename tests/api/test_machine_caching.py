"""Machine outputs are cached like every public response, and are one answer in every language.

The API index and the OpenAPI document carry ETag, Last-Modified and
Cache-Control, answer 304, and go out compressed from the page cache. The
bodies of the JSON APIs, feeds and calendar never depend on Accept-Language,
so neither do their ETag, their ``Vary`` or the number of copies kept.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.api.news import News
from tests.caching.wsgi import Counting, call, fast
from tests.factories import Catalogue

ASKED = ["", "fr-BE,fr;q=0.9", "de", "en-GB,en;q=0.8,nl;q=0.5", "nl"]


@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/openapi.json"])
def test_the_index_and_the_document_are_conditional_and_cacheable(
    small: Catalogue, client: Client, path: str
) -> None:
    first = client.get(path)
    assert first.status_code == 200
    assert first["ETag"].startswith('W/"')
    assert first["Cache-Control"].startswith("public, max-age=")
    assert "stale-while-revalidate=" in first["Cache-Control"]
    assert "Accept-Encoding" in first["Vary"]
    by_tag = client.get(path, headers={"if-none-match": first["ETag"]})
    by_date = client.get(path, headers={"if-modified-since": first["Last-Modified"]})
    assert (by_tag.status_code, by_date.status_code) == (304, 304)
    assert by_tag["ETag"] == first["ETag"]
    assert by_tag["Access-Control-Allow-Origin"] == "*"


def test_the_document_goes_out_compressed_from_the_page_cache(small: Catalogue) -> None:
    site = Counting()
    app = fast(site)
    path = "/api/v1/openapi.json"
    zipped = call(app, path, accept_encoding="gzip, deflate, br")
    plain = call(app, path)
    assert zipped.headers["content-encoding"] == "gzip"
    assert len(zipped.body) < len(plain.body) / 4
    assert "content-encoding" not in plain.headers
    assert json.loads(zipped.text()) == json.loads(plain.body)
    assert call(app, path, if_none_match=plain.headers["etag"]).status == 304
    assert site.calls == 1  # rendered once, answered three times


def test_the_index_is_kept_and_still_refuses_unknown_parameters(small: Catalogue) -> None:
    site = Counting()
    app = fast(site)
    answers = [call(app, "/api/v1/") for _ in range(3)]
    assert [a.status for a in answers] == [200, 200, 200]
    assert site.calls == 1
    refused = call(app, "/api/v1/?_=1")
    assert refused.status == 400
    assert json.loads(refused.body)["error"]["code"] == "unknown_parameter"


MACHINE = [
    "/stad/api/v2/summary.json",
    "/stad/api/v2/components.json",
    "/api/v1/organisations/stad",
    "/api/v1/organisations/stad/services/sporthal",
    "/stad/feeds/status.atom",
    "/stad/feeds/service/sporthal.rss",
    "/stad/history.atom",
    "/stad/onderhoud.ics",
]


@pytest.mark.parametrize("path", MACHINE)
def test_a_machine_output_is_one_answer_whatever_the_accept_language(
    news: News, client: Client, path: str
) -> None:
    answers = [
        client.get(path, headers={"accept-language": asked} if asked else {}) for asked in ASKED
    ]
    assert {a.status_code for a in answers} == {200}
    assert len({a["ETag"] for a in answers}) == 1
    assert len({a.content for a in answers}) == 1
    for answer in answers:
        assert "Accept-Language" not in answer.get("Vary", "")
        assert "Accept-Encoding" in answer["Vary"]
    # A client whose language changed keeps its copy.
    again = client.get(path, headers={"accept-language": "de", "if-none-match": answers[0]["ETag"]})
    assert again.status_code == 304
    assert "Accept-Language" not in again.get("Vary", "")


def test_the_public_page_still_offers_the_visitors_language(news: News, client: Client) -> None:
    dutch, french = client.get("/stad/"), client.get("/stad/", headers={"accept-language": "fr"})
    assert "Accept-Language" in french["Vary"]
    assert dutch["ETag"] != french["ETag"]
    assert "Cette page existe aussi en français." in french.content.decode()


def test_the_page_cache_keeps_one_summary_for_every_language(news: News) -> None:
    site = Counting()
    app = fast(site)
    answers = [call(app, "/stad/api/v2/summary.json", accept_language=a) for a in ASKED if a]
    assert {a.status for a in answers} == {200}
    assert len({a.body for a in answers}) == 1
    assert site.calls == 1

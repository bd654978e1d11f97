"""The fast path in front of the real Django stack: answers, headers, freshness."""

from __future__ import annotations

import gzip
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler

from tests.caching.wsgi import Answer, Counting, Ticking, call, fast
from tests.factories import TEST_ACTOR, Catalogue
from watwerkt.engine import SystemState
from watwerkt.status.services import SystemChange, set_system
from watwerkt.webcache.fastpath import FastPath, fast_path

# Headers that describe the connection or the body's encoding, not the page.
TRANSPORT = {"content-length", "content-encoding"}


@pytest.fixture
def site(helped: Catalogue) -> Counting:
    return Counting()


def test_a_second_request_is_answered_without_django(site: Counting) -> None:
    app = fast(site)
    first, second = call(app, "/stad/"), call(app, "/stad/")
    assert (first.status, second.status) == (200, 200)
    assert second.body == first.body
    assert site.calls == 1
    assert app.stats.hits == 1


@pytest.mark.parametrize("path", ["/stad/", "/stad/reispas/", "/fr/stad/sporthal/"])
def test_the_fast_answer_has_exactly_the_headers_of_the_full_stack(
    site: Counting, path: str
) -> None:
    full = call(site, path)
    app = fast(site)
    call(app, path)
    cached = call(app, path)
    assert app.stats.hits == 1
    assert _page_headers(cached) == _page_headers(full)
    for header in (
        "content-security-policy",
        "x-frame-options",
        "x-content-type-options",
        "referrer-policy",
        "cross-origin-opener-policy",
    ):
        assert cached.headers[header] == full.headers[header]
    assert int(cached.headers["content-length"]) == len(cached.body)


def _page_headers(answer: Answer) -> dict[str, str]:
    return {k: v for k, v in answer.headers.items() if k not in TRANSPORT}


def test_hsts_on_https_comes_with_the_page(helped: Catalogue, settings: Any) -> None:
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    app = fast(Counting())  # the middleware reads the settings when it is built
    for _ in range(2):
        secure = call(app, "/stad/", x_forwarded_proto="https")
        plain = call(app, "/stad/")
    assert secure.headers["strict-transport-security"] == "max-age=3600"
    assert "strict-transport-security" not in plain.headers
    assert app.stats.hits == 2


def test_a_matching_etag_or_date_answers_304_from_the_fast_path(site: Counting) -> None:
    app = fast(site)
    first = call(app, "/stad/")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    strong = etag.removeprefix("W/")
    for headers in (
        {"if_none_match": etag},
        {"if_none_match": strong},
        {"if_none_match": f'"other", {etag}'},
        {"if_none_match": "*"},
        {"if_modified_since": modified},
    ):
        answer = call(app, "/stad/", **headers)
        assert answer.status == 304, headers
        assert answer.body == b""
        assert answer.headers["etag"] == etag
        assert "content-type" not in answer.headers
        assert answer.headers["cache-control"] == first.headers["cache-control"]
    assert site.calls == 1


def test_a_stale_validator_gets_the_page(site: Counting) -> None:
    app = fast(site)
    call(app, "/stad/")
    assert call(app, "/stad/", if_none_match='W/"0-nl-0"').status == 200
    older = "Mon, 05 Dec 2022 10:00:00 GMT"
    assert call(app, "/stad/", if_modified_since=older).status == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110, 13.2.2).
    current = call(app, "/stad/").headers["last-modified"]
    assert call(app, "/stad/", if_none_match='"x"', if_modified_since=current).status == 200


def test_head_gets_the_headers_without_the_body(site: Counting) -> None:
    app = fast(site)
    full = call(app, "/stad/")
    head = call(app, "/stad/", method="HEAD")
    assert head.status == 200
    assert head.body == b""
    assert head.headers["content-length"] == str(len(full.body))
    assert site.calls == 1


def test_a_head_first_is_rendered_as_a_get_once_known(site: Counting) -> None:
    app = fast(site)
    call(app, "/stad/")
    set_system(site_system(), SystemChange(SystemState.DOWN), TEST_ACTOR)
    app.clock.interval = 0
    head = call(app, "/stad/", method="HEAD")
    assert (head.status, head.body) == (200, b"")
    assert call(app, "/stad/").status == 200
    assert site.calls == 2  # the HEAD's render served the GET after it


def site_system() -> Any:
    from watwerkt.catalogue.models import System

    return System.objects.get(slug="reservatie")


def test_gzip_is_served_to_clients_that_accept_it_and_decompresses_to_the_page(
    site: Counting,
) -> None:
    app = fast(site)
    plain = call(app, "/stad/")
    packed = call(app, "/stad/", accept_encoding="gzip, deflate, br")
    assert packed.headers["content-encoding"] == "gzip"
    assert gzip.decompress(packed.body) == plain.body
    assert len(packed.body) < len(plain.body) / 2
    assert int(packed.headers["content-length"]) == len(packed.body)
    assert packed.headers["etag"] == plain.headers["etag"]
    assert "Accept-Encoding" in packed.headers["vary"]


@pytest.mark.parametrize("accept", ["identity", "gzip;q=0", "br", "*;q=0", "deflate"])
def test_clients_that_do_not_accept_gzip_get_the_plain_page(site: Counting, accept: str) -> None:
    app = fast(site)
    call(app, "/stad/")
    answer = call(app, "/stad/", accept_encoding=accept)
    assert "content-encoding" not in answer.headers
    assert answer.body.startswith(b"<!doctype html>")


def test_a_page_is_compressed_once_however_often_it_is_asked_for(
    site: Counting, monkeypatch: pytest.MonkeyPatch
) -> None:
    compressions = []
    real = gzip.compress

    def counting(data: bytes, *args: Any, **kwargs: Any) -> bytes:
        compressions.append(len(data))
        return real(data, *args, **kwargs)

    monkeypatch.setattr(gzip, "compress", counting)
    app = fast(site)
    bodies = {call(app, "/stad/", accept_encoding="gzip").body for _ in range(5)}
    assert len(bodies) == 1
    assert len(compressions) == 1


def test_a_write_shows_once_the_revision_check_comes_round(site: Counting) -> None:
    ticking = Ticking()
    app = fast(site, now=ticking, interval=0.5)
    call(app, "/stad/")
    before = call(app, "/stad/")  # from the cache, after one revision read
    assert "Wat werkt niet" not in before.text()
    set_system(site_system(), SystemChange(SystemState.DOWN), TEST_ACTOR)
    ticking.advance(0.4)  # within the check interval the cached page is served unchecked...
    assert call(app, "/stad/").headers["etag"] == before.headers["etag"]
    assert app.clock.reads == 1
    ticking.advance(0.1)  # ...and not a moment longer
    after = call(app, "/stad/", if_none_match=before.headers["etag"])
    assert after.status == 200
    assert after.headers["etag"] != before.headers["etag"]
    assert "Wat werkt niet" in after.text()


def test_without_a_check_interval_a_write_shows_on_the_next_request(site: Counting) -> None:
    app = fast(site, interval=0)
    for level, words in ((SystemState.DOWN, True), (SystemState.UP, False)):
        set_system(site_system(), SystemChange(level), TEST_ACTOR)
        assert ("Wat werkt niet" in call(app, "/stad/").text()) is words
    assert site.calls == 2


def test_languages_and_query_strings_each_have_their_own_page(site: Counting) -> None:
    app = fast(site)
    paths = ["/stad/", "/fr/stad/", "/en/stad/", "/stad/zoeken/?q=pas", "/stad/zoeken/?q=kaart"]
    first = {path: call(app, path) for path in paths}
    again = {path: call(app, path) for path in paths}
    assert site.calls == len(paths)
    assert {a.headers["etag"] for a in first.values()} == {
        a.headers["etag"] for a in again.values()
    }
    assert len({a.headers["etag"] for a in first.values()}) == len(paths)
    assert '<html lang="fr">' in again["/fr/stad/"].text()
    assert '<html lang="nl">' in again["/stad/zoeken/?q=kaart"].text()
    # parameters a page does not read (cache-busters) share its stored page
    busted = [call(app, "/stad/?_=1"), call(app, "/stad/zoeken/?q=pas&_=2")]
    assert site.calls == len(paths)
    assert [b.headers["etag"] for b in busted] == [
        first["/stad/"].headers["etag"],
        first["/stad/zoeken/?q=pas"].headers["etag"],
    ]


def test_the_dutch_page_stays_dutch_whatever_accept_language_says(site: Counting) -> None:
    app = fast(site)
    for _ in range(2):
        for accept in ("fr-BE,fr;q=0.9", "en", "de-DE", ""):
            answer = call(app, "/stad/", accept_language=accept)
            assert '<html lang="nl">' in answer.text()
            assert answer.headers["content-language"] == "nl"
    assert app.stats.hits == 4


def test_pages_that_are_not_public_pages_always_reach_django(site: Counting) -> None:
    app = fast(site)
    for path, status in (("/stad/onbekend/", 404), ("/stad", 301), ("/nergens/", 404)):
        assert [call(app, path).status for _ in range(2)] == [status, status]
    assert site.calls == 6
    assert len(app.pages) == 0


def test_unsafe_methods_and_credentials_always_reach_django(site: Counting) -> None:
    app = fast(site)
    call(app, "/stad/")
    assert call(app, "/stad/", method="POST").status == 403  # Django: no CSRF cookie
    assert call(app, "/stad/", authorization="Bearer abc").status == 200
    assert call(app, "/stad/", method="OPTIONS").status == 405
    assert site.calls == 4


def test_the_wsgi_application_is_behind_the_fast_path() -> None:
    from watwerkt.wsgi import application

    assert isinstance(application, FastPath)
    assert application.pages.limit == 64 * 1024 * 1024
    assert application.clock.interval == 0.5


def test_a_page_cache_of_zero_turns_the_fast_path_off(settings: Any) -> None:
    settings.PAGE_CACHE_MB = 0
    django = WSGIHandler()
    assert fast_path(django) is django

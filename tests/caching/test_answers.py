"""The answer table: a repeated request gets the answer its twin got, and only while
that answer is still the right one."""

from __future__ import annotations

import gc
import gzip
import time

import pytest
import time_machine

from tests.caching.wsgi import FakeSite, Revisions, call, environ, fast
from watwerkt.status.revision import RevisionState
from watwerkt.webcache.answers import Answers
from watwerkt.webcache.fastpath import TOUCH_EVERY
from watwerkt.webcache.page import build


def test_a_repeated_request_is_answered_from_the_table(revisions: Revisions) -> None:
    site = FakeSite(revisions)
    app = fast(site, read=revisions.read)
    first, second, third = (call(app, "/p/", accept_encoding="gzip") for _ in range(3))
    assert site.calls == 1
    assert (app.stats.hits, app.stats.repeats) == (2, 1)
    assert second == third  # status, headers and body, byte for byte
    assert third.headers["content-encoding"] == "gzip"
    assert gzip.decompress(third.body) == first.text().encode()


@pytest.mark.parametrize(
    ("headers", "status", "encoding", "body"),
    [
        ({}, 200, None, True),
        ({"accept_encoding": "gzip"}, 200, "gzip", True),
        ({"accept_encoding": "gzip;q=0"}, 200, None, True),
        ({"if_none_match": 'W/"1-nl"'}, 304, None, False),
        ({"if_none_match": 'W/"0-nl"'}, 200, None, True),
        ({"method": "HEAD"}, 200, None, False),
        ({"method": "HEAD", "accept_encoding": "gzip"}, 200, "gzip", False),
    ],
)
def test_each_kind_of_request_keeps_its_own_answer(
    revisions: Revisions, headers: dict[str, str], status: int, encoding: str | None, body: bool
) -> None:
    site = FakeSite(revisions)
    app = fast(site, read=revisions.read)
    call(app, "/p/")  # the page is stored
    others = [{}, {"accept_encoding": "gzip"}, {"if_none_match": 'W/"1-nl"'}, {"method": "HEAD"}]
    for _ in range(2):  # every kind of answer is in the table before the one under test
        for other in others:
            call(app, "/p/", **other)
    repeats = app.stats.repeats
    for _ in range(2):
        answer = call(app, "/p/", **headers)
        assert answer.status == status
        assert answer.headers.get("content-encoding") == encoding
        assert bool(answer.body) == body
        if body and encoding is None:
            assert answer.body.decode().startswith("<p>revision 1 in nl")
    assert app.stats.repeats > repeats  # the second of the two came from the table
    assert site.calls == 1


def test_languages_and_query_strings_do_not_share_answers(revisions: Revisions) -> None:
    site = FakeSite(revisions, vary="Accept-Encoding, Accept-Language")
    app = fast(site, read=revisions.read)
    for _ in range(3):
        assert "in fr" in call(app, "/p/", accept_language="fr").text()
        assert "in de" in call(app, "/p/", accept_language="de").text()
        assert "x=1" in call(app, "/p/?x=1").text()
        assert "x=1" not in call(app, "/p/").text()
    assert (site.calls, app.stats.repeats) == (4, 4)  # rendered, from the store, repeated


def test_a_new_revision_is_never_answered_from_the_table(revisions: Revisions) -> None:
    site = FakeSite(revisions)
    app = fast(site, read=revisions.read, interval=0)
    for _ in range(3):
        assert "revision 1 " in call(app, "/p/").text()
    revisions.bump()
    assert "revision 2 " in call(app, "/p/").text()
    assert "revision 2 " in call(app, "/p/").text()
    assert site.calls == 2


def test_a_page_that_changes_by_itself_is_not_answered_past_that_moment(
    revisions: Revisions,
) -> None:
    site = FakeSite(revisions, expires=time.time() + 60)
    app = fast(site, read=revisions.read)
    for _ in range(3):
        call(app, "/p/")
    assert (site.calls, app.stats.repeats) == (1, 1)
    with time_machine.travel(time.time() + 61, tick=False):
        call(app, "/p/")
    assert site.calls == 2


def test_requests_with_credentials_never_match_an_answer(revisions: Revisions) -> None:
    site = FakeSite(revisions)
    app = fast(site, read=revisions.read)
    for _ in range(3):
        call(app, "/p/")
    for _ in range(2):
        call(app, "/p/", authorization="Bearer secret")
    assert site.calls == 3


def test_a_page_that_varies_on_another_header_keeps_no_answers(revisions: Revisions) -> None:
    site = FakeSite(revisions, vary="Accept-Encoding, X-Colour")
    app = fast(site, read=revisions.read)
    for colour in ("red", "blue", "red", "blue"):
        call(app, "/p/", x_colour=colour)
    assert site.calls == 2
    assert app.stats.hits == 2
    assert (app.stats.repeats, len(app.answers)) == (0, 0)


def test_an_evicted_page_takes_its_answers_with_it(revisions: Revisions) -> None:
    site = FakeSite(revisions)
    app = fast(site, read=revisions.read, budget=12_000)  # room for a few pages
    for _ in range(2):
        call(app, "/p/0")
    for n in range(1, 20):  # push /p/0 out of the store
        call(app, f"/p/{n}")
    gc.collect()
    assert len(app.pages) < 10
    calls = site.calls
    call(app, "/p/0")
    assert site.calls == calls + 1  # rendered again, not answered from a dead page
    assert app.pages.total <= app.pages.limit


def test_the_table_starts_again_when_full() -> None:
    table = Answers(entries=3)
    page = build(RevisionState(1, None), [("Content-Type", "text/plain")], b"x" * 300, None)
    for n in range(7):
        request = table.request(environ(f"/p/{n}"))
        table.keep(request, "key", page, "200 OK", page.plain.headers, page.plain.data)
        assert len(table) <= 3
    assert table.get(table.request(environ("/p/6"))) is not None
    assert table.get(table.request(environ("/p/0"))) is None


def test_a_page_answered_from_the_table_stays_recent_in_the_store(revisions: Revisions) -> None:
    site = FakeSite(revisions)
    app = fast(site, read=revisions.read, budget=12_000)  # room for a few pages
    call(app, "/hot/")
    for n in range(20):
        for _ in range(TOUCH_EVERY):
            call(app, "/hot/")
        call(app, f"/p/{n}")  # each new page evicts the least recently used one
    assert site.calls == 1 + 20  # /hot/ was never evicted, so never rendered again
    assert app.stats.repeats > 20 * (TOUCH_EVERY - 2)

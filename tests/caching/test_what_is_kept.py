"""What the page cache keeps, and what it must never keep: anything per person."""

from __future__ import annotations

import time

import pytest
import time_machine

from tests.caching.wsgi import FakeSite, Revisions, Ticking, call, fast


def test_a_public_page_is_kept(revisions: Revisions) -> None:
    site = FakeSite(revisions)
    app = fast(site, read=revisions.read)
    assert [call(app, "/p/").status for _ in range(3)] == [200, 200, 200]
    assert site.calls == 1


@pytest.mark.parametrize(
    "header",
    [
        ("Set-Cookie", "sessionid=abc; HttpOnly"),
        ("Cache-Control", "private, max-age=60"),
        ("Cache-Control", "no-store"),
        ("Cache-Control", "no-cache"),
        ("Content-Security-Policy", "script-src 'nonce-r4nd0m'"),
    ],
)
def test_a_response_for_one_person_is_never_kept(
    revisions: Revisions, header: tuple[str, str]
) -> None:
    site = FakeSite(revisions, extra=[header])
    app = fast(site, read=revisions.read)
    answers = [call(app, "/p/") for _ in range(3)]
    assert site.calls == 3
    assert all(a.headers[header[0].lower()] == header[1] for a in answers)
    assert len(app.pages) == 0


@pytest.mark.parametrize("vary", ["Cookie", "Accept-Encoding, Cookie", "*", "Authorization"])
def test_a_response_that_varies_per_person_is_never_kept(revisions: Revisions, vary: str) -> None:
    site = FakeSite(revisions, vary=vary)
    app = fast(site, read=revisions.read)
    for _ in range(3):
        call(app, "/p/", cookie="sessionid=abc")
    assert site.calls == 3


def test_a_response_without_a_ticket_is_never_kept(revisions: Revisions) -> None:
    site = FakeSite(revisions, ticket=False)
    app = fast(site, read=revisions.read)
    for _ in range(3):
        call(app, "/p/")
    assert site.calls == 3


def test_only_a_200_to_a_get_is_kept(revisions: Revisions) -> None:
    created = FakeSite(revisions, status="201 Created")
    app = fast(created, read=revisions.read)
    call(app, "/p/")
    call(app, "/p/")
    assert created.calls == 2
    site = FakeSite(revisions)
    app = fast(site, read=revisions.read)
    call(app, "/p/", method="HEAD")
    call(app, "/p/", method="HEAD")
    assert site.calls == 2


def test_a_page_negotiated_from_accept_language_is_kept_per_language(
    revisions: Revisions,
) -> None:
    site = FakeSite(revisions, vary="Accept-Language, Accept-Encoding")
    app = fast(site, read=revisions.read)
    for _ in range(2):
        assert "in fr" in call(app, "/p/", accept_language="fr-BE,fr;q=0.9").text()
        assert "in en" in call(app, "/p/", accept_language="en-GB").text()
        assert "in de" in call(app, "/p/", accept_language="de").text()
    assert site.calls == 3
    # Another spelling of the same choice is the same page.
    assert "in fr" in call(app, "/p/", accept_language="fr").text()
    assert site.calls == 3


def test_a_query_string_is_part_of_the_key_unless_the_page_says_otherwise(
    revisions: Revisions,
) -> None:
    site = FakeSite(revisions)
    app = fast(site, read=revisions.read)
    assert "a=1" in call(app, "/p/?a=1").text()
    assert "a=2" in call(app, "/p/?a=2").text()
    assert "a=1" in call(app, "/p/?a=1").text()
    assert site.calls == 2


def test_each_host_has_its_own_pages(revisions: Revisions) -> None:
    site = FakeSite(revisions)
    app = fast(site, read=revisions.read)
    for host in ("status.example", "status.example", "other.example"):
        call(app, "/p/", host=host)
    assert site.calls == 2


def test_a_page_that_changes_by_itself_is_rendered_again_after_that_moment(
    revisions: Revisions,
) -> None:
    site = FakeSite(revisions, expires=time.time() + 60)
    app = fast(site, read=revisions.read)
    call(app, "/p/")
    call(app, "/p/")
    assert site.calls == 1
    with time_machine.travel(time.time() + 61, tick=False):
        call(app, "/p/")
    assert site.calls == 2


def test_pages_stay_up_while_the_database_is_down(revisions: Revisions) -> None:
    ticking = Ticking()
    site = FakeSite(revisions)
    app = fast(site, read=revisions.read, now=ticking)
    call(app, "/p/")
    revisions.fail = True
    ticking.advance(5)
    answer = call(app, "/p/")
    assert (answer.status, site.calls) == (200, 1)
    assert "revision 1" in answer.text()


def test_a_failed_render_after_a_change_serves_the_previous_page(revisions: Revisions) -> None:
    ticking = Ticking()
    site = FakeSite(revisions)
    app = fast(site, read=revisions.read, now=ticking)
    call(app, "/p/")
    revisions.bump()
    site.status = "500 Internal Server Error"
    ticking.advance(1)
    answer = call(app, "/p/")
    assert answer.status == 200
    assert "revision 1" in answer.text()
    assert app.stats.stale_on_error == 1
    site.status = "200 OK"
    assert "revision 2" in call(app, "/p/").text()


def test_a_page_that_is_gone_after_a_change_is_forgotten(revisions: Revisions) -> None:
    ticking = Ticking()
    site = FakeSite(revisions)
    app = fast(site, read=revisions.read, now=ticking)
    call(app, "/p/")
    revisions.bump()
    site.status = "404 Not Found"
    ticking.advance(1)
    assert call(app, "/p/", if_none_match='W/"1-nl"').status == 404
    assert call(app, "/p/", method="HEAD").body == b""
    assert site.calls == 3


def test_a_compressed_page_always_says_it_varies_on_accept_encoding(revisions: Revisions) -> None:
    site = FakeSite(revisions, vary="Accept-Language")
    app = fast(site, read=revisions.read)
    for encoding in ("gzip", "identity"):
        for _ in range(2):
            answer = call(app, "/p/", accept_encoding=encoding)
            assert answer.headers["vary"] == "Accept-Language, Accept-Encoding"
    assert site.calls == 1

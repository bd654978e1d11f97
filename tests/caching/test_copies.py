"""The last copy of every page on disk: answered, marked, when a render fails.

Each worker process has its own pages in memory; the copies on disk are what
every worker of the machine shares, so a worker that never rendered a page can
still answer it while the database is down.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.caching.wsgi import Revisions, Ticking, call, environ, fast
from watwerkt.webcache.copies import Copies
from watwerkt.webcache.fastpath import FastPath, StartResponse
from watwerkt.webcache.keys import resource
from watwerkt.webcache.ticket import ENVIRON_KEY, Ticket


@dataclass
class Site:
    """A public page in the shape the real ones have, in the language of its path."""

    revisions: Revisions
    status: str = "200 OK"
    calls: list[str] = field(default_factory=list)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        self.calls.append(environ["PATH_INFO"])
        revision = self.revisions.state()
        if not self.status.startswith("200"):
            start_response(self.status, [("Content-Type", "text/html"), ("Retry-After", "30")])
            return [b"<h1>Deze pagina is even niet bereikbaar</h1>"]
        environ[ENVIRON_KEY] = Ticket(revision, None, None)
        language = "fr" if environ["PATH_INFO"].startswith("/fr/") else "nl"
        body = (
            f'<body><main id="inhoud" tabindex="-1"><h1>revision {revision.number}</h1>'
            f"{'<p>werkt</p>' * 50}</main></body>"
        )
        start_response(
            "200 OK",
            [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Language", language),
                ("ETag", f'W/"{revision.number}-{language}"'),
                ("Cache-Control", "public, max-age=1"),
                ("Vary", "Accept-Encoding"),
            ],
        )
        return [body.encode()]


def worker(site: Site, copies: Copies, revisions: Revisions) -> FastPath:
    app = fast(site, read=revisions.read, now=Ticking())
    app.copies = copies
    return app


@pytest.fixture
def copies(tmp_path: Path) -> Copies:
    return Copies(tmp_path / "pages", budget=10 * 1024 * 1024)


def test_a_page_one_worker_kept_is_answered_by_another_when_its_render_fails(
    copies: Copies, revisions: Revisions
) -> None:
    site = Site(revisions)
    assert call(worker(site, copies, revisions), "/stad/").status == 200
    site.status = "503 Service Unavailable"  # the database is gone
    other = worker(site, copies, revisions)
    answer = call(other, "/stad/")
    assert answer.status == 200
    text = answer.text()
    assert "revision 1" in text
    assert '<p class="outage-notice" role="status">Deze pagina kan nu niet worden bijgewerkt.' in (
        text
    )
    assert "6 december 2022" in text  # the moment it shows, in the page's language
    assert "etag" not in answer.headers
    assert answer.headers["cache-control"] == "no-cache"
    assert other.stats.copies == 1


def test_the_notice_speaks_the_language_of_the_page(copies: Copies, revisions: Revisions) -> None:
    site = Site(revisions)
    call(worker(site, copies, revisions), "/fr/stad/")
    site.status = "503 Service Unavailable"
    text = call(worker(site, copies, revisions), "/fr/stad/").text()
    assert "Cette page ne peut pas être mise à jour pour le moment." in text


def test_a_page_never_kept_passes_the_failure_on(copies: Copies, revisions: Revisions) -> None:
    site = Site(revisions, status="503 Service Unavailable")
    answer = call(worker(site, copies, revisions), "/stad/nooit/")
    assert (answer.status, answer.headers["retry-after"]) == (503, "30")


def test_pages_with_a_query_string_are_not_kept(copies: Copies, revisions: Revisions) -> None:
    site = Site(revisions)
    call(worker(site, copies, revisions), "/stad/zoeken/?q=paspoort")
    assert not copies.directory.exists() or not any(copies.directory.iterdir())


def test_the_latest_render_replaces_the_copy(copies: Copies, revisions: Revisions) -> None:
    site = Site(revisions)
    first = worker(site, copies, revisions)
    call(first, "/stad/")
    revisions.bump()
    call(worker(site, copies, revisions), "/stad/")
    site.status = "503 Service Unavailable"
    assert "revision 2" in call(worker(site, copies, revisions), "/stad/").text()


def test_an_older_page_in_memory_is_marked_as_a_copy_too(
    copies: Copies, revisions: Revisions
) -> None:
    site = Site(revisions)
    app = worker(site, copies, revisions)
    call(app, "/stad/")
    revisions.bump()
    site.status = "503 Service Unavailable"
    app.clock._next = 0  # look at the revision again now
    answer = call(app, "/stad/")
    assert "revision 1" in answer.text()
    assert "outage-notice" in answer.text()
    assert app.stats.stale_on_error == 1


def test_the_copies_stay_under_their_budget_oldest_first(
    copies: Copies, revisions: Revisions
) -> None:
    app = worker(Site(revisions), copies, revisions)
    paths = [f"/stad/dienst-{n}/" for n in range(5)]
    for n, path in enumerate(paths):
        call(app, path)
        os.utime(copies.path(app_resource(path)), ns=(n * 10**9, n * 10**9))
    size = copies.path(app_resource(paths[0])).stat().st_size
    copies.budget = int(2 * size / 0.9) + 1  # room for two
    copies.trim()
    left = {f.name for f in copies.directory.iterdir()}
    assert left == {copies.path(app_resource(p)).name for p in paths[3:]}


def app_resource(path: str) -> str:
    return resource(environ(path))


def test_a_copy_that_cannot_be_read_is_no_copy(copies: Copies, revisions: Revisions) -> None:
    site = Site(revisions)
    call(worker(site, copies, revisions), "/stad/")
    copies.path(app_resource("/stad/")).write_bytes(b"not a copy")
    site.status = "503 Service Unavailable"
    assert call(worker(site, copies, revisions), "/stad/").status == 503

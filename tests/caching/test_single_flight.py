"""Right after a change, a burst of requests renders each page once."""

from __future__ import annotations

import threading
from collections.abc import Callable

from tests.caching.wsgi import Answer, FakeSite, Revisions, Ticking, call, fast
from watwerkt.webcache.fastpath import FastPath

BURST = 12


def burst(app: FastPath, path: str = "/p/", n: int = BURST) -> list[Answer]:
    """``n`` requests let go at the same moment, each on its own thread."""
    start = threading.Barrier(n)
    answers: list[Answer] = []
    lock = threading.Lock()

    def one() -> None:
        start.wait()
        answer = call(app, path)
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=one) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    return answers


def changed(revisions: Revisions, ticking: Ticking) -> Callable[[], None]:
    def change() -> None:
        revisions.bump()
        ticking.advance(1)

    return change


def test_a_burst_after_a_change_renders_the_page_once_and_everyone_gets_the_new_one() -> None:
    revisions, ticking = Revisions(), Ticking()
    site = FakeSite(revisions, delay=0.2)
    app = fast(site, read=revisions.read, now=ticking)
    call(app, "/p/")
    changed(revisions, ticking)()
    answers = burst(app)
    assert len(answers) == BURST
    assert site.calls == 2
    assert all("revision 2" in a.text() for a in answers)
    assert app.stats.waits == BURST - 1
    assert len(app.flights) == 0


def test_a_burst_on_a_page_never_seen_goes_to_django_but_only_that_once() -> None:
    revisions = Revisions()
    site = FakeSite(revisions, delay=0.05)
    app = fast(site, read=revisions.read)
    burst(app, n=4)  # nothing known yet about this page: each reaches Django
    calls = site.calls
    burst(app)
    assert site.calls == calls


def test_waiters_give_up_on_a_render_that_hangs_and_go_through_django() -> None:
    revisions, ticking = Revisions(), Ticking()
    site = FakeSite(revisions)
    app = fast(site, read=revisions.read, now=ticking, wait=0.05)
    call(app, "/p/")
    changed(revisions, ticking)()
    site.delay = 0.5
    answers = burst(app, n=4)
    assert all(a.status == 200 and "revision 2" in a.text() for a in answers)
    assert site.calls == 1 + 4


def test_a_render_that_cannot_be_kept_lets_the_waiters_through() -> None:
    revisions, ticking = Revisions(), Ticking()
    site = FakeSite(revisions)
    app = fast(site, read=revisions.read, now=ticking)
    call(app, "/p/")
    changed(revisions, ticking)()
    site.delay, site.extra = 0.2, [("Set-Cookie", "a=b")]
    answers = burst(app, n=4)
    assert all(a.headers["set-cookie"] == "a=b" for a in answers)
    assert site.calls == 1 + 4
    assert len(app.flights) == 0


def test_a_burst_during_a_failed_render_gets_the_previous_page_not_errors() -> None:
    revisions, ticking = Revisions(), Ticking()
    site = FakeSite(revisions)
    app = fast(site, read=revisions.read, now=ticking)
    call(app, "/p/")
    changed(revisions, ticking)()
    site.delay, site.status = 0.2, "500 Internal Server Error"
    answers = burst(app, n=6)
    assert [a.status for a in answers] == [200] * 6
    assert all("revision 1" in a.text() for a in answers)
    assert site.calls == 2

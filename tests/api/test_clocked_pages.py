"""Machine outputs whose content the clock changes (maintenance windows) stay in the page
cache's fast path: they keep the catalogue revision, and move only their ETag."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine

from tests.api.news import News
from tests.caching.wsgi import Counting, call, fast

SUMMARY = "/stad/api/v2/summary.json"


def test_a_page_the_clock_changed_is_answered_from_the_fast_path(news: News) -> None:
    """The upcoming window has started since the last write: the ETag says so, and the
    page is still kept (with a made-up revision it never was)."""
    started = news.upcoming.scheduled_for + timedelta(minutes=5)
    with time_machine.travel(started, tick=False):
        site = Counting()
        app = fast(site)
        first = call(app, SUMMARY)
        again = call(app, SUMMARY)
        assert (first.status, again.status) == (200, 200)
        assert app.stats.hits == 1
        assert site.calls == 1
        windows = json.loads(again.text())["scheduled_maintenances"]
        states = {w["name"]: w["status"] for w in windows}
        assert states["Onderhoud e-loket-upgrade"] == "in_progress"


def test_cache_busters_share_the_statuspage_answer(news: News) -> None:
    site = Counting()
    app = fast(site)
    answers = [call(app, f"{SUMMARY}?_={n}") for n in range(5)]
    assert site.calls == 1
    assert len({a.headers["etag"] for a in answers}) == 1


@pytest.mark.parametrize(
    ("path", "before_says", "after_says"),
    [
        ("/stad/api/v2/scheduled-maintenances/active.json", None, "e-loket-upgrade"),
        # the public overview's banner: "planned" before the window, "now" during it
        ("/stad/", "Gepland onderhoud:", "<strong>Bezig</strong>"),
    ],
)
def test_the_etag_moves_when_the_clock_changes_the_content(
    news: News, path: str, before_says: str | None, after_says: str
) -> None:
    before = news.upcoming.scheduled_for - timedelta(minutes=5)
    after = news.upcoming.scheduled_for + timedelta(minutes=5)
    site = Counting()
    app = fast(site)
    with time_machine.travel(before, tick=False):
        early = call(app, path)
    with time_machine.travel(after, tick=False):
        late = call(app, path)
    assert (early.status, late.status) == (200, 200)
    assert late.headers["etag"] != early.headers["etag"]
    assert after_says not in early.text()
    assert after_says in late.text()
    if before_says:
        assert before_says in early.text()
    assert site.calls == 2  # the early page was not kept past the window's start


def test_native_lists_still_refuse_unknown_parameters_after_caching(news: News) -> None:
    """The native API reads its whole query string: a cache-buster there is an unknown
    parameter, never the cached list."""
    app = fast(Counting())
    path = "/api/v1/organisations/stad/maintenances"
    assert [call(app, path).status for _ in range(2)] == [200, 200]
    assert call(app, f"{path}?_=1").status == 400

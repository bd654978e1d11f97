"""The database stops answering: every page shown before stays up, marked as a copy.

A server renders the pages (and keeps their copies on disk). Then a fresh
server starts — its workers hold nothing in memory — and the database goes
away under it: a PostgreSQL that refuses connections, or a SQLite file that is
gone. Every page rendered before is answered from the copies, with a notice
and its "as of" time; what was never rendered gets a Dutch 503 page with
Retry-After; nothing is a stack page, and a SQLite file is not made anew.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse

from tests.faults.conftest import ORG, Proxy, Site, free_port, serving

SHOWN = [f"/{ORG}/", f"/{ORG}/sporthal/", f"/fr/{ORG}/", f"/{ORG}/incidenten/"]
MACHINE = [f"/{ORG}/api/v2/summary.json", f"/{ORG}/feeds/status.atom"]
NEVER = [f"/{ORG}/reispas/", f"/en/{ORG}/sporthal/"]


@contextmanager
def database_that_can_go(site: Site) -> Iterator[tuple[dict[str, str], object]]:
    """Server settings that reach the database through something the test can cut."""
    if not site.database_url:
        yield {}, None
        return
    url = urlparse(site.database_url)
    proxy = Proxy((url.hostname or "127.0.0.1", url.port or 5432))
    netloc = f"{url.username}@127.0.0.1:{proxy.port}"
    try:
        yield {"DATABASE_URL": url._replace(netloc=netloc).geturl()}, proxy
    finally:
        proxy.cut()


def cut(site: Site, proxy: object) -> None:
    if isinstance(proxy, Proxy):
        proxy.cut()
    else:
        site.sqlite_file.rename(site.sqlite_file.with_suffix(".away"))


def test_pages_shown_before_stay_up_as_marked_copies(site: Site) -> None:
    port = free_port()  # the same address before and after: the copies are kept by it
    with database_that_can_go(site) as (env, proxy), restored(site):
        with serving(site, port=port, **env) as server:
            for path in SHOWN + MACHINE:
                assert server.get(path).status == 200, path
        with serving(site, port=port, **env) as server:
            cut(site, proxy)
            for path in SHOWN * 3:  # every worker, none of which rendered them
                answer = server.get(path)
                assert answer.status == 200, (path, answer.text[:300])
                assert 'class="outage-notice"' in answer.text
                assert answer.headers["cache-control"] == "no-cache"
            french = server.get(f"/fr/{ORG}/").text
            assert "Cette page ne peut pas être mise à jour pour le moment." in french
            for path in MACHINE:
                assert server.get(path).status == 200, path
            for path in NEVER:
                answer = server.get(path)
                assert answer.status == 503, path
                assert answer.headers["retry-after"] == "30"
                assert "Deze pagina is even niet bereikbaar" in answer.text
                assert "Traceback" not in answer.text
            if not site.database_url:
                assert not site.sqlite_file.exists(), "a missing SQLite file is never made anew"


@contextmanager
def restored(site: Site) -> Iterator[None]:
    """Put a SQLite file that was taken away back, for the next test."""
    try:
        yield
    finally:
        away = site.sqlite_file.with_suffix(".away")
        if away.exists():
            away.rename(site.sqlite_file)


def test_without_its_sqlite_file_watwerkt_refuses_to_start(site: Site) -> None:
    if site.database_url:
        return  # PostgreSQL: the server is not the one to make the database
    away = site.sqlite_file.with_suffix(".away")
    site.sqlite_file.rename(away)
    try:
        shown = site.run("status", "show", "sporthal", check=False)
        served = site.run("serve", "--port", "1", check=False)
        assert not site.sqlite_file.exists()
    finally:
        away.rename(site.sqlite_file)
    for done in (shown, served):
        assert done.returncode == 1
        assert "does not exist: create it with `watwerkt migrate`" in done.stderr
        assert "Traceback" not in done.stderr

"""The in-process store never holds more than its budget."""

from __future__ import annotations

from tests.caching.wsgi import FakeSite, Revisions, call, fast
from watwerkt.webcache.lru import BoundedLRU


def sized() -> BoundedLRU[str, bytes]:
    return BoundedLRU(1000, len)


def test_it_evicts_the_least_recently_used_to_stay_within_its_budget() -> None:
    store = sized()
    for name in "abcd":
        assert store.put(name, b"x" * 240)
    assert store.total == 960
    store.get("a")  # a was used last: b is now the oldest
    store.put("e", b"x" * 240)
    assert store.total <= 1000
    assert "b" not in store
    assert all(name in store for name in "acde")
    assert store.evictions == 1


def test_replacing_a_value_counts_only_the_new_one() -> None:
    store = sized()
    store.put("a", b"x" * 200)
    store.put("a", b"x" * 100)
    assert (store.total, len(store)) == (100, 1)


def test_a_value_over_a_quarter_of_the_budget_is_refused_and_its_old_version_dropped() -> None:
    store = sized()
    store.put("a", b"x" * 100)
    assert not store.put("a", b"x" * 251)
    assert "a" not in store
    assert store.total == 0


def test_the_fast_path_stays_within_its_memory_budget_whatever_is_asked() -> None:
    revisions = Revisions()
    site = FakeSite(revisions)
    budget = 64 * 1024
    app = fast(site, read=revisions.read, budget=budget)
    one = None
    for n in range(200):
        call(app, f"/p/?n={n}")
        if one is None:
            one = app.pages.total
    assert one is not None
    assert one > 0
    assert budget - 2 * one < app.pages.total <= budget  # full, and not one byte over
    assert app.pages.evictions == 200 - len(app.pages)
    # The page asked for last is still there; the first has gone.
    calls = site.calls
    call(app, "/p/?n=199")
    assert site.calls == calls
    call(app, "/p/?n=0")
    assert site.calls == calls + 1

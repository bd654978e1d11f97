"""Several instances share their pages through Redis, and render each one once.

Redis runs at 127.0.0.1:6379 in CI (and on the development machines); these
tests skip, saying why, only where it does not.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest
from django.core.cache.backends.redis import RedisCache
from django.core.handlers.wsgi import WSGIHandler

from tests.caching.wsgi import Answer, FakeSite, Revisions, Ticking, call, fast
from tests.factories import TEST_ACTOR, Catalogue
from watwerkt.engine import SystemState
from watwerkt.status.services import SystemChange, set_system
from watwerkt.webcache.fastpath import FastPath
from watwerkt.webcache.shared import SharedPages

REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_cache() -> Iterator[RedisCache]:
    """Django's Redis cache under a prefix of its own, emptied afterwards."""
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis is not reachable at 127.0.0.1:6379 ({exc}); CI runs it there")
    prefix = f"watwerkt-test-{uuid4().hex}"
    yield RedisCache(REDIS, {"KEY_PREFIX": prefix, "OPTIONS": {"socket_timeout": 1}})
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


class Instance:
    """One app instance: its own memory and clock, the shared Redis."""

    def __init__(self, app: Any, revisions: Revisions | None, cache: RedisCache) -> None:
        self.ticking = Ticking()
        read = revisions.read if revisions else None
        self.fast: FastPath = fast(app, read=read, now=self.ticking, shared=SharedPages(cache))

    def get(self, path: str = "/p/") -> Answer:
        return call(self.fast, path)


def test_a_page_rendered_by_one_instance_is_served_by_the_others(redis_cache: RedisCache) -> None:
    revisions = Revisions()
    sites = [FakeSite(revisions), FakeSite(revisions)]
    a, b = (Instance(site, revisions, redis_cache) for site in sites)
    a.get(), b.get()  # each learns what the page varies on
    revisions.bump()
    for instance in (a, b):
        instance.ticking.advance(1)
    assert "revision 2" in a.get().text()
    assert "revision 2" in b.get().text()
    assert [site.calls for site in sites] == [2, 1]
    assert b.fast.stats.shared_hits == 1


def test_a_burst_on_several_instances_renders_the_page_once_between_them(
    redis_cache: RedisCache,
) -> None:
    revisions = Revisions()
    sites = [FakeSite(revisions), FakeSite(revisions)]
    instances = [Instance(site, revisions, redis_cache) for site in sites]
    for instance in instances:
        instance.get()
    revisions.bump()
    for site in sites:
        site.delay = 0.2
    for instance in instances:
        instance.ticking.advance(1)
    answers: list[Answer] = []
    start = threading.Barrier(8)

    def one(instance: Instance) -> None:
        start.wait()
        answers.append(instance.get())

    threads = [threading.Thread(target=one, args=(instances[n % 2],)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(answers) == 8
    assert all("revision 2" in a.text() for a in answers)
    assert sum(site.calls for site in sites) == 2 + 1


def test_the_real_site_shows_a_write_on_every_instance(
    redis_cache: RedisCache, helped: Catalogue
) -> None:
    django = WSGIHandler()
    a, b = Instance(django, None, redis_cache), Instance(django, None, redis_cache)
    a.get("/stad/"), b.get("/stad/")
    set_system(helped.systems["reservatie"], SystemChange(SystemState.DOWN), TEST_ACTOR)
    for instance in (a, b):
        instance.ticking.advance(1)
    assert "Wat werkt niet" in a.get("/stad/").text()
    assert "Wat werkt niet" in b.get("/stad/").text()
    assert (a.fast.stats.renders, b.fast.stats.renders) == (2, 1)
    assert b.fast.stats.shared_hits == 1


def test_a_redis_that_is_down_costs_speed_not_pages() -> None:
    down = RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    revisions = Revisions()
    site = FakeSite(revisions)
    instance = Instance(site, revisions, down)
    instance.get()
    revisions.bump()
    instance.ticking.advance(1)
    assert "revision 2" in instance.get().text()
    assert "revision 2" in instance.get().text()
    assert site.calls == 2


def test_pages_are_shared_only_when_the_cache_is_redis(settings: Any) -> None:
    assert SharedPages.from_settings() is None  # the default: each process its own memory
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS}
    }
    shared = SharedPages.from_settings()
    assert shared is not None
    assert isinstance(shared.cache, RedisCache)

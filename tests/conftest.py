"""Fixtures shared by every test: the three named personas and a small catalogue."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, settings

from tests.factories import Catalogue, build_small_catalogue
from watwerkt.catalogue.models import Organisation
from watwerkt.history import bars, events
from watwerkt.incidents.readmodel import published
from watwerkt.readmodel.machine import cache as api_cache
from watwerkt.readmodel.snapshot import snapshots
from watwerkt.search.services import indexes
from watwerkt.status.graphs import graphs
from watwerkt.status.impact import restorations_cache

pytest_plugins = ["tests.browser"]  # the `browser` fixture

# Property tests run the same examples on every machine (a failure found once
# is found again), and never fail on timing: CI machines are shared and noisy.
settings.register_profile(
    "watwerkt",
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("watwerkt")


def clear_caches() -> None:
    """Empty every in-process cache. Test databases reuse ids, revision
    numbers and (with the clock stopped) moments, which a cache must not
    mistake for the state it was filled from."""
    graphs.forget()
    restorations_cache.clear()
    for cache in (snapshots, published, api_cache, indexes, bars.closed_days,
                  events.service_events):  # fmt: skip
        cache.clear()


@pytest.fixture(autouse=True)
def fresh_caches() -> Iterator[None]:
    clear_caches()
    yield
    clear_caches()


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Start every test in the default language. A request through the test client
    leaves the language it negotiated active in the thread (a server sets it anew
    on every request); a command run in the next test would speak it."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def plain_static_files(settings: Any) -> None:
    """Serve CSS from the source tree: tests do not run collectstatic (``serve`` does)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The Antwerp demo, imported once per test module and rolled back after
    it; each test runs in a savepoint inside, so it may change statuses."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)
    clear_caches()


@pytest.fixture
def demo(demo_loaded: None, db: None) -> Organisation:
    """The Antwerp demo's organisation, ``antwerpen``."""
    return Organisation.objects.get(slug="antwerpen")


@pytest.fixture
def small(db: None) -> Catalogue:
    """Two services behind a reservation platform that runs in a data centre."""
    return build_small_catalogue()

"""Fixtures for search: the Antwerp demo loaded once per module, and empty caches."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from watwerkt.public.snapshot import snapshots
from watwerkt.search.services import indexes
from watwerkt.status.graphs import graphs


@pytest.fixture(autouse=True)
def fresh_caches() -> Iterator[None]:
    """Each test starts without read models, indexes or engine graph: a test's
    writes are rolled back, and the next test reuses their revision numbers."""
    snapshots.clear()
    indexes.clear()
    graphs.forget()
    yield
    snapshots.clear()
    indexes.clear()
    graphs.forget()


@pytest.fixture(autouse=True)
def plain_static_files(settings: Any) -> None:
    """Serve CSS from the source tree: tests do not run collectstatic."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="module")
def loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo, imported once for a module and rolled back after it; each test
    runs in its own savepoint, so a test may change statuses."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)
    graphs.forget()


@pytest.fixture
def demo(loaded: None, db: None) -> None:
    """The Antwerp demo (organisation ``antwerpen``)."""

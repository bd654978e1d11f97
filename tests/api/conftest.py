"""Fixtures for the machine outputs: fresh read-model caches, the Antwerp demo, news."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.api.news import News, add_news
from tests.factories import Catalogue
from tests.public.conftest import helped, plain_static_files  # noqa: F401  (fixtures)
from watwerkt.api.readmodel import cache
from watwerkt.catalogue.models import Organisation, Service, System
from watwerkt.incidents.readmodel import published
from watwerkt.public.snapshot import snapshots


@pytest.fixture(autouse=True)
def fresh_read_models() -> Iterator[None]:
    """Test databases reuse revision numbers: start and end with empty caches."""
    for found in (snapshots, cache, published):
        found.clear()
    yield
    for found in (snapshots, cache, published):
        found.clear()


@pytest.fixture
def demo(db: None) -> Organisation:
    call_command("demo", stdout=StringIO())
    return Organisation.objects.get(slug="antwerpen")


@pytest.fixture
def news(helped: Catalogue) -> News:  # noqa: F811
    public = System.objects.filter(pk=helped.systems["datacenter"].pk)
    internal = System.objects.filter(pk=helped.systems["reservatie"].pk)
    return add_news(
        helped.org,
        [helped.services["sporthal"], helped.services["materiaal"]],
        [*public, *internal],
        timezone.now(),
    )


@pytest.fixture
def demo_news(demo: Organisation) -> News:
    services = list(Service.objects.filter(organisation=demo).order_by("id")[:2])
    return add_news(demo, services, list(System.objects.filter(public=True)[:1]), timezone.now())

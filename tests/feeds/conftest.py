"""Fixtures for the machine outputs: fresh read-model caches, the Antwerp demo, news."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.api.news import News, add_news
from tests.factories import Catalogue
from tests.public.conftest import helped  # noqa: F401  (a fixture)
from watwerkt.catalogue.models import Organisation, Service, System


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

"""The restoration order on the Antwerp demo: systems that are down, sorted by what
restoring each would bring back, counted as the impact preview counts it."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.console.test_board import text
from tests.personas import person, sign_in
from watwerkt.accounts.roles import Role
from watwerkt.catalogue.models import Organisation, System
from watwerkt.engine import SystemState
from watwerkt.status.impact import preview, restorations_cache
from watwerkt.status.services import SystemChange

ORDER = "/console/antwerpen/herstelvolgorde/"


@pytest.fixture
def viewer(demo: Organisation) -> Client:
    return sign_in(Client(), person("vera", {demo: Role.VIEWER}))


def rows(client: Client) -> list[tuple[str, int, int, int]]:
    html = client.get(ORDER).content.decode()
    found = re.findall(
        r'<th scope="row"><a href="/console/antwerpen/systemen/antwerpen/([\w-]+)/">.*?'
        r'<td class="number">(\d+)</td>\s*<td class="number">(\d+)</td>\s*'
        r'<td class="number">(\d+)</td>',
        html,
        re.S,
    )
    return [(slug, int(a), int(b), int(c)) for slug, a, b, c in found]


def test_the_reservation_platform_comes_first_on_the_demo(viewer: Client) -> None:
    found = rows(viewer)
    assert found[0] == ("reservatieplatform", 5, 5, 5)
    assert found[1][0] == "boekhouding"
    down = set(
        System.objects.filter(organisation__slug="antwerpen")
        .exclude(state="up")
        .values_list("slug", flat=True)
    )
    assert {slug for slug, *_ in found} == down  # every system that is down, no other


def test_the_order_is_by_services_then_items_back_then_items_held(viewer: Client) -> None:
    found = rows(viewer)
    keys = [(-services, -items, -held) for _, services, items, held in found]
    assert keys == sorted(keys)


def test_each_count_is_what_the_impact_preview_of_restoring_it_says(viewer: Client) -> None:
    up = SystemChange(SystemState.UP)
    for slug, services, items, _held in rows(viewer):
        impact = preview(System.objects.get(organisation__slug="antwerpen", slug=slug), up)
        assert services == sum(1 for x in impact.of("service") if x.better), slug
        assert items == sum(1 for x in impact.of("item") if x.better), slug


def test_the_page_says_how_impact_is_counted_and_shows_the_plan(viewer: Client) -> None:
    said = text(viewer.get(ORDER))
    assert "Zo wordt geteld: per systeem het aantal diensten en onderdelen" in said
    assert "prioriteit 3 · Sport en Milieu" in said
    assert "Gegevens herstellen uit back-up" in said


def test_the_counts_are_worked_out_once_per_revision(viewer: Client) -> None:
    viewer.get(ORDER)
    computed = restorations_cache.computed
    viewer.get(ORDER)
    assert restorations_cache.computed == computed

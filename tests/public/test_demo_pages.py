"""The public side on the Antwerp demo: every service where it belongs, nothing internal."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from tests.public.helpers import Page, groups, inline_code, line, section, words
from watwerkt.catalogue.models import Domain, FunctionChannel, Service, System
from watwerkt.lib.i18n import pick
from watwerkt.status.models import EffectiveStatus

GROUP = {
    "available": "Wat werkt",
    "limited": "Wat werkt met beperkingen",
    "unavailable": "Wat werkt niet",
    "maintenance": "Wat werkt niet",
    "unknown": "Nog niet bekend",
}


def service_levels() -> dict[int, str]:
    return {
        row.object_id: row.value["level"]
        for row in EffectiveStatus.objects.filter(subject="service")
    }


def internal_names() -> list[str]:
    """Names of systems not marked public, except those a service shares ("Onderwijsdatabank")."""
    public = {s.name["nl"] for s in Service.objects.all()}
    names = [pick(s.name, "nl", "nl").text for s in System.objects.filter(public=False)]
    return [name for name in names if name not in public]


def test_every_service_is_listed_in_its_domain_and_group(demo: None, client: Client) -> None:
    page = Page(client.get("/antwerpen/").content.decode())
    levels = service_levels()
    for domain in Domain.objects.filter(organisation__slug="antwerpen"):
        wanted: dict[str, list[str]] = {}
        for s in Service.objects.filter(domain=domain).order_by("position", "id"):
            wanted.setdefault(GROUP[levels[s.pk]], []).append(s.name["nl"])
        found = groups(section(page, f"d-{domain.slug}"))
        assert {k: sorted(v) for k, v in found.items()} == {
            k: sorted(v) for k, v in wanted.items()
        }, domain.slug


def test_the_seed_article_reads_the_same(demo: None, client: Client) -> None:
    page = Page(client.get("/antwerpen/").content.decode())
    waste = section(page, "d-afval-en-recyclage")
    assert "Sorteerpas opladen" in groups(waste)["Wat werkt niet"]
    assert "onder nul" in line(waste, "Sorteerpas opladen")
    assert "zonder afspraak" in words(waste.text).lower()


def test_every_service_page_renders_without_inline_code_or_internal_names(
    demo: None, client: Client
) -> None:
    hidden = internal_names()
    assert hidden  # the demo has internal systems, or this test proves nothing
    pages = ["/antwerpen/"] + [
        f"/antwerpen/{slug}/" for slug in Service.objects.values_list("slug", flat=True)
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert inline_code(html) == [], path
        assert [name for name in hidden if name in html] == [], path


def test_derived_statuses_are_explained_on_service_pages(demo: None, client: Client) -> None:
    derived = [
        row.object_id
        for row in EffectiveStatus.objects.filter(subject="item")
        if row.value["derived"]
    ]
    assert derived
    service = FunctionChannel.objects.get(pk=derived[0]).function.service
    text = words(
        section(Page(client.get(f"/antwerpen/{service.slug}/").content.decode()), "waarom").text
    )
    assert "hangt af van" in text


@pytest.mark.parametrize("fmt", ["md", "txt", "html"])
def test_the_press_overview_names_every_service(demo: None, fmt: str) -> None:
    out = StringIO()
    call_command("overview", "--format", fmt, stdout=out)
    text = re.sub(r"\s+", " ", out.getvalue().replace("\\", ""))
    if fmt == "html":
        text = text.replace("&#x27;", "'").replace("&amp;", "&").replace("&quot;", '"')
    missing = [s.name["nl"] for s in Service.objects.all() if s.name["nl"] not in text]
    assert missing == []
    assert [name for name in internal_names() if name in text] == []


def test_the_json_overview_has_every_item_at_its_level(demo: None) -> None:
    out = StringIO()
    call_command("overview", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["organisation"]["id"] == "antwerpen"
    assert len(data["items"]) == FunctionChannel.objects.count()
    stored = {
        row.object_id: row.value["level"] for row in EffectiveStatus.objects.filter(subject="item")
    }
    assert sorted(i["level"] for i in data["items"]) == sorted(stored.values())
    assert [name for name in internal_names() if name in out.getvalue()] == []

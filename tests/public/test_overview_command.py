"""`watwerkt overview`: the press overview in Markdown, text, HTML and JSON."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.factories import TEST_ACTOR, Catalogue, domain, org, service
from tests.public.helpers import Page, inline_code, words
from watwerkt.engine import SystemState
from watwerkt.status.services import SystemChange, set_system

SERVICES = ["Reispas", "Sporthal", "Materiaal"]
DASH = "\N{EN DASH}"


def overview(*args: str) -> str:
    out = StringIO()
    call_command("overview", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def outage(helped: Catalogue) -> Catalogue:
    set_system(helped.systems["datacenter"], SystemChange(SystemState.DOWN), TEST_ACTOR)
    return helped


def test_markdown_has_the_shape_of_the_article(outage: Catalogue) -> None:
    text = overview()  # md is the default
    lines = text.splitlines()
    assert lines[0] == "# Wat werkt wel en wat niet bij Stad?"
    assert lines[2].startswith("*Stand van zaken: ")
    headings = [line for line in lines if line.startswith("#")]
    assert headings[1:] == [
        "## Voor iedereen",
        "## Loketten",
        "### Wat werkt met beperkingen?",
        "### Wat werkt niet?",
        "## Sport",
        "### Wat werkt niet?",
    ]
    assert f"- **Reispas {DASH} aanvragen**: met vertraging. Sinds 6 december 2022." in lines
    pick_up = f"- **Reispas {DASH} afhalen**: sinds 6 december 2022, verwacht: maart 2023. "
    assert any(
        line.startswith(f"{pick_up}Wat kun je doen? Afhalen kan in het districtshuis")
        for line in lines
    )
    for name in SERVICES:
        assert f"**{name}" in text


def test_plain_text_lists_every_service_under_upper_case_domains(outage: Catalogue) -> None:
    text = overview("--format", "txt")
    assert (
        f"LOKETTEN\n\nWat werkt met beperkingen?\n\n  • Reispas {DASH} aanvragen: met vertraging."
        in text
    )
    assert "SPORT\n\nWat werkt niet?" in text
    for name in SERVICES:
        assert f"  • {name}" in text
    assert max(len(line) for line in text.splitlines()) <= 78
    assert "(03 338 00 00, sport@stad.be)" not in text  # hours come first
    assert "Bel de sportdienst (weekdagen 9-12 uur, 03 338 00 00, sport@stad.be)" in " ".join(
        line.strip() for line in text.splitlines()
    )


def test_html_is_a_standalone_document_without_styles_or_scripts(outage: Catalogue) -> None:
    html = overview("--format", "html")
    assert html.startswith("<!doctype html>")
    assert inline_code(html) == []
    page = Page(html)
    assert [words(h.text) for h in page.find_all("h3")] == [
        "Wat werkt met beperkingen?",
        "Wat werkt niet?",
        "Wat werkt niet?",
    ]
    listed = [
        words(li.find_all("strong")[0].text) for li in page.find_all("li") if li.find_all("strong")
    ]
    assert listed == [
        f"Reispas {DASH} aanvragen",
        f"Reispas {DASH} afhalen",
        "Sporthal",
        "Materiaal",
    ]


def test_json_lists_every_item_with_its_status_help_and_causes(outage: Catalogue) -> None:
    data = json.loads(overview("--format", "json"))
    assert data["organisation"] == {"id": "stad", "name": "Stad", "language": "nl"}
    assert data["as_of"].startswith("20")
    items = {
        (i["service"]["id"], i["function"]["id"], (i["channel"] or {}).get("id")): i
        for i in data["items"]
    }
    assert set(items) == {
        ("reispas", "aanvragen", "loket"),
        ("reispas", "afhalen", "loket"),
        ("sporthal", "boeken", "online"),
        ("sporthal", "boeken", "telefoon"),
        ("materiaal", "", None),
    }
    apply = items[("reispas", "aanvragen", "loket")]
    assert apply["domain"] == {"id": "loketten", "name": "Loketten"}
    assert apply["level"] == "limited"
    assert [q["code"] for q in apply["qualifiers"]] == ["delays"]
    assert apply["alternatives"] == []
    pick = items[("reispas", "afhalen", "loket")]
    assert [a["text"] for a in pick["alternatives"]] == ["Afhalen kan in het districtshuis"]
    assert pick["expected"] == {
        "kind": "month",
        "value": "2023-03",
        "words": "verwacht: maart 2023",
    }
    online = items[("sporthal", "boeken", "online")]
    assert online["level"] == "unavailable"
    assert online["derived"] is True
    (cause,) = online["causes"]
    assert [link["system"] for link in cause["chain"]] == [None, "Datacenter Noord"]
    assert [link["state"] for link in cause["chain"]] == ["down", "down"]
    assert cause["text"].startswith("hangt af van een intern systeem, dat afhangt van Datacenter")
    assert online["explanation"].startswith("werkt niet: hangt af van een intern systeem")


@pytest.mark.parametrize("fmt", ["md", "txt", "html", "json"])
def test_no_format_names_an_internal_system(outage: Catalogue, fmt: str) -> None:
    text = overview("--format", fmt)
    assert "Geheim" not in text
    assert "Reservatieplatform" not in text


def test_it_writes_to_a_file(outage: Catalogue, tmp_path: Path) -> None:
    target = tmp_path / "overzicht.md"
    assert overview("-o", str(target)) == ""
    assert target.read_text(encoding="utf-8").startswith("# Wat werkt wel en wat niet bij Stad?")


def test_other_languages_fall_back_to_the_organisations_texts(outage: Catalogue) -> None:
    data = json.loads(overview("--format", "json", "--lang", "fr"))
    assert data["language"] == "fr"
    assert data["items"][0]["service"]["name"] == "Reispas"  # no French name: Dutch
    assert data["items"][0]["service"]["path"] == "/fr/stad/reispas/"


def test_several_organisations_need_org(outage: Catalogue) -> None:
    other = org("politie", "Politie")
    service(domain(other, "meldingen"), "aangifte")
    with pytest.raises(CommandError, match=r"choose one with --org: (stad, politie|politie, stad)"):
        overview()
    assert overview("--org", "politie").startswith("# Wat werkt wel en wat niet bij Politie?")


def test_an_unknown_organisation_is_an_error(outage: Catalogue) -> None:
    with pytest.raises(CommandError, match="unknown organisation 'nergens'; known: stad"):
        overview("--org", "nergens")


def test_an_empty_installation_is_an_error(db: None) -> None:
    with pytest.raises(CommandError, match="no organisations yet"):
        overview()


def test_markdown_special_characters_are_escaped(outage: Catalogue) -> None:
    outage.services["materiaal"].name = {"nl": "Materiaal *gratis* [tijdelijk]"}
    outage.services["materiaal"].save()
    from watwerkt.status.services import recompute

    recompute(TEST_ACTOR)
    assert r"**Materiaal \*gratis\* \[tijdelijk\]**" in overview()

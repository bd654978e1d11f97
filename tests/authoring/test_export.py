"""Exporting: canonical text that imports back without a change."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine

from tests.authoring.helpers import FILES, check, load, text
from tests.factories import build_small_catalogue
from watwerkt.authoring.exporter import UnknownOrganisation, export_catalogue
from watwerkt.authoring.yamlio import load_yaml
from watwerkt.catalogue.models import FunctionChannel
from watwerkt.engine import Level
from watwerkt.status.models import StatusEvent
from watwerkt.status.revision import current_revision
from watwerkt.status.services import set_status
from watwerkt.status.values import ManualStatus
from watwerkt.status.writing import Actor

pytestmark = pytest.mark.django_db

IMPORTED_AT = datetime(2023, 2, 3, 9, 0, tzinfo=UTC)


def parsed(exported: str) -> Any:
    document, problems = load_yaml(exported, "export")
    assert problems == []
    return document.data


@pytest.fixture
def imported() -> None:
    with time_machine.travel(IMPORTED_AT, tick=False):
        load(text("valid.yaml"))


def test_it_writes_the_canonical_form_of_a_catalogue(imported: None) -> None:
    # The expected text is a file so that the canonical form can be read, and
    # a change to it is reviewed like any other change.
    assert export_catalogue() == text("valid-export.yaml")


def test_exporting_twice_gives_the_same_text(imported: None) -> None:
    assert export_catalogue() == export_catalogue()


def test_an_exported_catalogue_imports_without_any_change(imported: None) -> None:
    exported = export_catalogue()
    revision, events = current_revision(), StatusEvent.objects.count()
    report = load(exported)
    assert not report.changed
    assert (current_revision(), StatusEvent.objects.count()) == (revision, events)
    assert export_catalogue() == exported


def test_statuses_are_written_where_everything_below_agrees(imported: None) -> None:
    stad = parsed(export_catalogue())["organisations"][1]
    reispas, attest = stad["domains"][0]["services"]
    assert "status" not in reispas  # its functions differ
    apply_, pick_up = reispas["functions"]
    assert apply_["status"]["level"] == "available"  # one channel: the function says it
    assert "status" not in pick_up  # counter and online differ: each entry says its own
    assert [e["status"]["level"] for e in pick_up["channels"]] == ["available", "unavailable"]
    assert attest["status"]["level"] == "limited"  # both channels agree: the service says it
    assert attest["channels"] == ["e-loket", "telefoon"]


def test_a_status_set_since_the_import_is_exported_with_its_since(imported: None) -> None:
    item = FunctionChannel.objects.get(function__service__slug="sporthal")
    with time_machine.travel(datetime(2023, 2, 4, 14, 5, 30, tzinfo=UTC), tick=False):
        set_status([item], ManualStatus(Level.UNAVAILABLE), Actor("comms", "console"))
    hall = parsed(export_catalogue())["organisations"][1]["domains"][1]["services"][0]
    assert hall["status"] == {"level": "unavailable", "since": "2023-02-04T15:05:30+01:00"}


def test_it_exports_only_the_organisations_asked_for(imported: None) -> None:
    exported = parsed(export_catalogue(["stad"]))
    assert [o["id"] for o in exported["organisations"]] == ["stad"]
    with pytest.raises(UnknownOrganisation, match="unknown organisation: nergens"):
        export_catalogue(["stad", "nergens"])


def test_the_export_of_one_organisation_is_valid_on_its_own(imported: None) -> None:
    # stad names provider's systems; the database still knows them.
    assert load(export_catalogue(["stad"])).changed is False


def test_a_catalogue_built_without_the_import_exports_and_reimports_unchanged() -> None:
    build_small_catalogue()  # every position 0: an import numbers them, nothing else
    exported = export_catalogue()
    report = load(exported)
    assert report.statuses == []
    assert all(not c.created and not c.removed for c in report.changes.values())
    assert export_catalogue() == exported
    assert not load(exported).changed


def test_an_empty_database_exports_an_empty_catalogue() -> None:
    assert export_catalogue().endswith("watwerkt: 1\norganisations: []\n")
    assert not load(export_catalogue()).changed


def test_the_golden_file_is_itself_a_valid_catalogue() -> None:
    check((FILES / "valid-export.yaml").read_bytes())

"""`watwerkt demo --synthetic N`: a generated catalogue through the real import."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from watwerkt.authoring.validation import validate_catalogue
from watwerkt.catalogue.models import Dependency, FunctionChannel, Organisation, System
from watwerkt.status.models import StatusEvent
from watwerkt.status.revision import current_revision


def run(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def synthetic_dependencies() -> int:
    return Dependency.objects.filter(system__organisation__slug="synthetic").count()


@pytest.mark.django_db
def test_it_imports_the_requested_sizes_as_organisation_synthetic() -> None:
    output = run("--synthetic", "30", "--synthetic-systems", "12")
    org = Organisation.objects.get(slug="synthetic")
    assert org.services.count() == 30
    assert FunctionChannel.objects.filter(function__service__organisation=org).count() == 60
    assert System.objects.filter(organisation=org).count() == 12
    assert synthetic_dependencies() == 120
    assert "Generated 30 services" in output
    assert "Loaded the synthetic catalogue in" in output


@pytest.mark.django_db
def test_it_lives_next_to_the_demo_and_leaves_it_alone() -> None:
    run()
    antwerp_events = StatusEvent.objects.filter(organisation__slug="antwerpen").count()
    run("--synthetic", "20", "--synthetic-dependencies", "70")
    assert StatusEvent.objects.filter(organisation__slug="antwerpen").count() == antwerp_events
    assert Organisation.objects.filter(slug__in=["antwerpen", "synthetic"]).count() == 2
    assert synthetic_dependencies() == 70


@pytest.mark.django_db
def test_the_same_seed_twice_changes_nothing() -> None:
    run("--synthetic", "25")
    revision, events = current_revision(), StatusEvent.objects.count()
    assert "nothing changed" in run("--synthetic", "25")
    assert (current_revision(), StatusEvent.objects.count()) == (revision, events)


@pytest.mark.django_db
def test_write_produces_a_file_the_validator_accepts_and_imports_nothing(tmp_path: Path) -> None:
    target = tmp_path / "synthetic.yaml"
    run("--synthetic", "15", "--write", str(target))
    spec = validate_catalogue(target.read_text(), filename=str(target))
    assert [o.slug for o in spec.organisations] == ["synthetic"]
    assert not Organisation.objects.filter(slug="synthetic").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--write", "x.yaml"], "--write needs --synthetic N"),
        (["--synthetic-systems", "5"], "--synthetic-systems needs --synthetic N"),
        (["--synthetic", "0"], "at least one service"),
    ],
)
def test_it_refuses_options_that_make_no_sense(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)

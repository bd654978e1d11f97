"""`watwerkt status ...` and `watwerkt system ...`, through their real interfaces."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.factories import Catalogue
from watwerkt.catalogue.models import FunctionChannel, System
from watwerkt.status.models import StatusEvent
from watwerkt.status.revision import current_revision


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_status_set_changes_every_channel_of_a_function(small: Catalogue) -> None:
    output = run(
        "status",
        "set",
        "sporthal/boeken",
        "limited",
        "-q",
        "delays",
        "--note",
        "lange wachttijden",
        "--expected",
        "weeks",
    )
    items = FunctionChannel.objects.filter(function__service__slug="sporthal")
    assert [(i.level, i.expected) for i in items] == [("limited", {"kind": "weeks"})] * 2
    assert "service       stad/sporthal: available -> limited" in output


def test_the_note_stays_internal_and_the_public_note_is_kept_with_the_status(
    small: Catalogue,
) -> None:
    run(
        "status",
        "set",
        "materiaal",
        "unavailable",
        "--note",
        "LockBit op server X",
        "--public-note",
        "Reserveren kan weer in maart.",
    )
    item = FunctionChannel.objects.get(pk=small.items["mat"].pk)
    assert item.note == {"nl": "Reserveren kan weer in maart."}
    event = StatusEvent.objects.filter(subject="item", layer="manual").last()
    assert event is not None
    assert event.note == "LockBit op server X"
    assert "LockBit" not in str(event.new)


def test_status_set_one_channel_with_a_qualifier_text(small: Catalogue) -> None:
    run("status", "set", "sporthal/boeken/telefoon", "limited", "-q", "except=zaal Noord")
    item = FunctionChannel.objects.get(pk=small.items["hal_phone"].pk)
    assert item.qualifiers == [{"code": "except", "text": {"nl": "zaal Noord"}}]
    assert FunctionChannel.objects.get(pk=small.items["hal_online"].pk).level == "available"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sporthall", "limited"], "unknown service 'sporthall' (did you mean 'sporthal'?)"),
        (["sporthal/boek", "limited"], "unknown function of sporthal 'boek'"),
        (["sporthal/boeken/fax", "limited"], "unknown channel of 'sporthal/boeken' 'fax'"),
        (["sporthal", "werkt"], "unknown status level 'werkt'"),
        (["sporthal", "limited", "-q", "slow"], "unknown qualifier 'slow'"),
        (["sporthal", "limited", "-q", "started_before"], "needs a date"),
        (["sporthal", "limited", "--expected", "2023-02-30"], "impossible date '2023-02-30'"),
        (["sporthal", "limited", "--expected", "2023-13"], "impossible month '2023-13'"),
        (["sporthal", "limited", "--expected", "0000-05"], "the year 0 is out of range"),
        (["sporthal", "limited", "--expected", "9999-12-31"], "the year 9999 is out of range"),
        (["sporthal", "limited", "--since", "0001-01-01T00:00"], "the year 1 is out of range"),
        (["sporthal", "limited", "--since", "gisteren"], "is not a date and time"),
    ],
)
def test_status_set_refuses_bad_input_and_writes_nothing(
    small: Catalogue, args: list[str], message: str
) -> None:
    before = (current_revision(), StatusEvent.objects.count())
    with pytest.raises(CommandError, match=re.escape(message)):
        run("status", "set", *args)
    assert (current_revision(), StatusEvent.objects.count()) == before


def test_status_show_explains_a_derived_status(small: Catalogue) -> None:
    run("system", "set", "datacenter", "down", "--since", "2022-12-06T09:10")
    output = run("status", "show", "materiaal")
    assert output.startswith("materiaal/-/-: werkt niet: hangt af van Reservatie, ")
    assert "dat afhangt van Datacenter, buiten werking sinds 6 december 2022 09:10" in output
    data = json.loads(run("status", "show", "materiaal", "--json"))
    assert data[0]["status"]["level"] == "unavailable"


def test_system_set_dry_run_prints_every_public_change_and_writes_nothing(
    small: Catalogue,
) -> None:
    before = (current_revision(), StatusEvent.objects.count())
    output = run("system", "set", "reservatie", "down", "--dry-run")
    assert (current_revision(), StatusEvent.objects.count()) == before
    assert System.objects.get(slug="reservatie").state == "up"
    lines = output.splitlines()
    assert lines[0] == "dry run: stad/reservatie -> down"
    assert "item          stad/sporthal/boeken/online: available -> unavailable" in lines
    assert "service       stad/materiaal: available -> unavailable" in lines
    assert "organisation  stad: available -> limited" in lines
    assert not any("reispas" in line or line.startswith("system") for line in lines)


def test_system_set_applies_and_lists(small: Catalogue) -> None:
    run("system", "set", "reservatie", "down", "--note", "ransomware", "--expected", "2023-03")
    event = StatusEvent.objects.filter(subject="system", layer="manual").last()
    assert event is not None
    assert (event.new["state"], event.note, event.source) == ("down", "ransomware", "cli")
    assert "reservatie               down" in run("system", "list")


def test_system_set_names_an_unknown_system(small: Catalogue) -> None:
    with pytest.raises(CommandError, match="unknown system of stad 'reservatei'"):
        run("system", "set", "reservatei", "down")


def test_the_watwerkt_console_script_runs_the_commands(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "WATWERKT_VAR_DIR": str(tmp_path),
    }
    script = Path(sys.executable).parent / "watwerkt"
    subprocess.run([script, "migrate", "-v0"], env=env, check=True)
    result = subprocess.run(
        [script, "status", "set", "x", "available"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "there are no organisations yet" in result.stderr
    assert "Traceback" not in result.stderr

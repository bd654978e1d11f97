"""``watwerkt catalog``: validate, import, export, schema; bad input never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.authoring.helpers import FILES, text
from watwerkt.authoring.schemacheck import schema_text
from watwerkt.catalogue.models import Service
from watwerkt.status.revision import current_revision

WATWERKT = Path(sys.executable).parent / "watwerkt"


def catalog(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("catalog", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def failing(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("catalog", *args, stdout=out, stderr=err)
    assert caught.value.returncode == 1
    return str(caught.value), err.getvalue()


@pytest.mark.django_db
def test_validate_says_a_good_file_is_valid() -> None:
    out, err = catalog("validate", str(FILES / "valid.yaml"))
    assert out == (
        f"{FILES / 'valid.yaml'}: valid (2 organisations, 4 systems, 2 domains, 3 services,"
        " 6 function x channels)\n"
    )
    assert err == ""


@pytest.mark.django_db
def test_validate_lists_every_error_on_stderr_and_fails() -> None:
    path = str(FILES / "qualifiers.yaml")
    summary, err = failing("validate", str(FILES / "valid.yaml"), path, "/nowhere.yaml")
    assert summary == "2 of 3 files invalid"
    assert err.splitlines() == [
        f"{path}:14:19: organisations[0].domains[0].services[0].status.qualifiers[0]: qualifier"
        " 'started_before' needs a date",
        f"{path}:15:19: organisations[0].domains[0].services[0].status.qualifiers[1]: qualifier"
        " 'except' needs a text saying who, where or what",
        f"{path}:16:19: organisations[0].domains[0].services[0].status.qualifiers[2]: qualifier"
        " 'audience_only' needs a text saying who, where or what",
        "3 errors",
        "/nowhere.yaml: cannot read: No such file or directory",
        "1 error",
    ]


@pytest.mark.django_db
def test_import_prints_what_changed_and_a_dry_run_writes_nothing() -> None:
    path = str(FILES / "valid.yaml")
    out, _ = catalog("import", path, "--dry-run")
    assert out.startswith(f"{path}: would change\n  organisations: 2 created\n")
    assert (Service.objects.count(), current_revision()) == (0, 0)
    out, _ = catalog("import", path)
    assert out.startswith(f"{path}: changed (revision 1)\n")
    assert Service.objects.count() == 3
    out, _ = catalog("import", path)
    assert out == f"{path}: nothing to change (revision 1)\n"


@pytest.mark.django_db
def test_an_invalid_import_writes_nothing_and_says_so() -> None:
    path = str(FILES / "cycle.yaml")
    summary, err = failing("import", path)
    assert summary == f"{path}: not imported, nothing written"
    assert "dependency cycle: boekhouding -> facturatie -> boekhouding" in err
    assert current_revision() == 0


@pytest.mark.django_db
def test_export_writes_to_stdout_or_to_a_file(tmp_path: Path) -> None:
    catalog("import", str(FILES / "valid.yaml"))
    out, _ = catalog("export", "--org", "provider")
    assert "- id: provider\n" in out
    assert "- id: stad\n" not in out
    target = tmp_path / "catalogue.yaml"
    assert catalog("export", "-o", str(target)) == ("", "")
    assert target.read_text(encoding="utf-8") == catalog("export")[0]
    assert failing("export", "--org", "nergens")[0] == "unknown organisation: nergens"
    assert failing("export", "-o", str(tmp_path / "no" / "such" / "dir.yaml"))[0].endswith(
        "cannot write: No such file or directory"
    )


def test_schema_prints_the_shipped_schema() -> None:
    out, _ = catalog("schema")
    assert out == schema_text()
    assert json.loads(out)["title"] == "watwerkt catalogue"


def run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """The real console script, on a database of its own (an empty SQLite file)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["WATWERKT_VAR_DIR"] = str(tmp_path)
    return subprocess.run(
        [str(WATWERKT), "catalog", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_the_console_script_validates_without_a_database_and_never_shows_a_traceback(
    tmp_path: Path,
) -> None:
    (tmp_path / "latin1.yaml").write_bytes(b"watwerkt: 1\nname: caf\xe9\n")
    broken = FILES / "many-errors.yaml"
    done = run(
        "validate",
        str(FILES / "valid.yaml"),
        str(broken),
        str(tmp_path / "latin1.yaml"),
        str(tmp_path),
        tmp_path=tmp_path,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert lines[0] == (
        f"{broken}:5:16: organisations[0].time_zone: unknown time zone 'Europe/Antwerpen'"
        " (did you mean 'Europe/Athens'?)"
    )
    assert len([line for line in lines if line.startswith(f"{broken}:")]) == 12
    assert f"{tmp_path / 'latin1.yaml'}:2:10: not UTF-8 text (byte 0xe9); save it as UTF-8" in lines
    assert f"{tmp_path}: cannot read: Is a directory" in lines
    assert lines[-1] == "CommandError: 3 of 4 files invalid"
    assert done.stdout.startswith(f"{FILES / 'valid.yaml'}: valid (")


def test_the_console_script_reads_standard_input(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["WATWERKT_VAR_DIR"] = str(tmp_path)
    done = subprocess.run(
        [str(WATWERKT), "catalog", "validate", "-"],
        input=text("valid.yaml"),
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("-: valid (2 organisations")

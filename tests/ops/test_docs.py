"""Documentation is part of the product: every setting and command is described."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "src" / "watwerkt" / "settings.py"


def test_every_environment_variable_is_documented() -> None:
    read = set(re.findall(r'env_[a-z]+\(\s*"([A-Z0-9_]+)"', SETTINGS.read_text()))
    documented = set(
        re.findall(r"^\| `([A-Z0-9_]+)` \|", (ROOT / "docs/configuration.md").read_text(), re.M)
    )
    assert read, "no settings found: the pattern no longer matches settings.py"
    assert read == documented


@pytest.mark.parametrize(
    "command",
    sorted(name for name, app in get_commands().items() if app.startswith("watwerkt")),
)
def test_every_watwerkt_command_is_in_the_cli_reference(command: str) -> None:
    assert f"`watwerkt {command}" in (ROOT / "docs/cli.md").read_text()


def test_every_dependency_has_a_reason() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    names = re.findall(r'^\s+"([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?[<>=]', pyproject, re.M)
    reasons = (ROOT / "docs/dependencies.md").read_text().lower()
    missing = [n for n in names if f"**{n.lower()}**" not in reasons]
    assert names
    assert missing == []


def test_the_cli_reference_is_generated_from_the_current_help() -> None:
    from watwerkt.ops.clidoc import END, START, reference

    text = (ROOT / "docs/cli.md").read_text()
    assert text.split(START)[1].strip() == f"{reference()}\n{END}".strip()

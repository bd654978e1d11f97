"""The page cache's settings refuse values that would break the product's promises."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def check(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "WATWERKT_VAR_DIR": str(tmp_path), **env}
    return subprocess.run(
        [sys.executable, "-m", "watwerkt", "check"],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_revision_check_slower_than_a_second_is_refused(tmp_path: Path) -> None:
    result = check(tmp_path, WATWERKT_REVISION_CHECK_MS="1500")
    assert result.returncode != 0
    assert "WATWERKT_REVISION_CHECK_MS=1500: must be at most 1000" in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("WATWERKT_PAGE_CACHE_MB", "-1", "must be at least 0"),
        ("WATWERKT_CACHE_MAX_AGE", "soon", "expected a whole number"),
        ("WATWERKT_CACHE_STALE_WHILE_REVALIDATE", "-5", "must be at least 0"),
    ],
)
def test_nonsense_in_the_cache_settings_stops_the_process(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    result = check(tmp_path, **{name: value})
    assert result.returncode != 0
    assert f"{name}={value!r}: {message}" in result.stderr

"""Settings refuse nonsense at start-up; deployment checks catch the dangerous rest."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from watwerkt.lib.env import SettingError, env_bool, env_int, env_list
from watwerkt.ops.checks import check_production_settings, check_time_zone, deployment_problems


@pytest.mark.parametrize("raw", ["maybe", "2", "tru"])
def test_a_boolean_that_is_neither_true_nor_false_is_refused(raw: str) -> None:
    with pytest.raises(SettingError, match=f"X={raw!r}: expected true or false"):
        env_bool("X", False, {"X": raw})


def test_numbers_and_minimums_are_checked() -> None:
    with pytest.raises(SettingError, match="expected a whole number"):
        env_int("PORT", 1, environ={"PORT": "eighty"})
    with pytest.raises(SettingError, match="must be at least 0"):
        env_int("N", 1, minimum=0, environ={"N": "-1"})
    assert env_int("N", 1, environ={}) == 1


def test_lists_are_split_on_commas() -> None:
    assert env_list("H", ["a"], {"H": " x.org, y.org ,"}) == ["x.org", "y.org"]
    assert env_list("H", ["a"], {"H": " "}) == ["a"]


def start(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "WATWERKT_VAR_DIR": str(tmp_path), **env}
    return subprocess.run(
        [sys.executable, "-m", "watwerkt", "check"],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_process_refuses_to_start_with_an_unsupported_database(tmp_path: Path) -> None:
    result = start(tmp_path, DATABASE_URL="mysql://root@127.0.0.1/x")
    assert result.returncode != 0
    assert "DATABASE_URL: django.db.backends.mysql is not supported" in result.stderr


def test_a_short_secret_key_is_refused(tmp_path: Path) -> None:
    result = start(tmp_path, SECRET_KEY="short")
    assert "SECRET_KEY: must be at least 32 characters long" in result.stderr


def test_without_a_secret_key_one_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    assert start(tmp_path).returncode == 0
    key_file = tmp_path / "secret.key"
    first = key_file.read_text()
    assert start(tmp_path).returncode == 0
    assert key_file.read_text() == first
    assert len(first) >= 50
    assert key_file.stat().st_mode & 0o077 == 0


def test_deploy_checks_refuse_debug_and_warn_about_plain_cookies() -> None:
    with override_settings(DEBUG=True, SECURE_COOKIES=False):
        ids = {p.id for p in check_production_settings()}
    assert {"watwerkt.E001", "watwerkt.W001"} <= ids


def test_the_defaults_are_the_secure_choices() -> None:
    from django.conf import settings

    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_SECURE
    assert settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.X_FRAME_OPTIONS == "DENY"


@pytest.mark.parametrize(
    ("engine", "redis_url", "ids"),
    [
        ("django.db.backends.postgresql", "", ["watwerkt.W002"]),
        ("django.db.backends.postgresql", "redis://127.0.0.1:6379/0", []),
        ("django.db.backends.sqlite3", "", []),
    ],
)
def test_postgres_without_redis_is_a_warning(engine: str, redis_url: str, ids: list[str]) -> None:
    problems = deployment_problems(False, True, engine, redis_url)
    assert [p.id for p in problems] == ids


def test_an_unknown_time_zone_is_an_error() -> None:
    with override_settings(TIME_ZONE="Europe/Antwerpen"):
        assert [p.id for p in check_time_zone()] == ["watwerkt.E002"]

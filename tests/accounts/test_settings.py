"""The console's security settings: sensible defaults, and nonsense refused at start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings


def check(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "WATWERKT_VAR_DIR": str(tmp_path), **env}
    return subprocess.run(
        [sys.executable, "-m", "watwerkt", "check"],
        env=environ, capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_the_defaults_lock_out_a_user_from_an_address_for_a_while() -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.CONSOLE_IDLE_MINUTES == 30
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_sign_in_middleware_runs_in_the_right_order() -> None:
    chain = settings.MIDDLEWARE
    auth = chain.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    assert chain.index("django_otp.middleware.OTPMiddleware") == auth + 1
    assert chain[-1] == "axes.middleware.AxesMiddleware"
    assert "django.contrib.admin" not in settings.INSTALLED_APPS


def test_cookies_are_http_only_and_same_site() -> None:
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_SAMESITE == "Lax"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("WATWERKT_LOGIN_LOCKOUT_BY", "nobody", "expected one of user-and-address, user"),
        ("WATWERKT_CONSOLE_IDLE_MINUTES", "0", "must be at least 1"),
        ("WATWERKT_LOGIN_FAILURE_LIMIT", "many", "expected a whole number"),
    ],
)
def test_nonsense_stops_the_process_naming_the_variable(
    tmp_path: Path, variable: str, value: str, message: str
) -> None:
    result = check(tmp_path, **{variable: value})
    assert result.returncode != 0
    assert f"{variable}={value!r}: {message}" in result.stderr


def test_the_lockout_can_count_user_names_alone(tmp_path: Path) -> None:
    code = "from django.conf import settings; print(settings.AXES_LOCKOUT_PARAMETERS)"
    environ = {**os.environ, "WATWERKT_VAR_DIR": str(tmp_path), "WATWERKT_LOGIN_LOCKOUT_BY": "user",
               "DJANGO_SETTINGS_MODULE": "watwerkt.settings"}  # fmt: skip
    result = subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True,
                            text=True, check=True)  # fmt: skip
    assert result.stdout.strip() == "['username']"

"""Django system checks for deployment mistakes that would otherwise surface late.

Run by every management command and by ``watwerkt check --deploy``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_production_settings(**kwargs: Any) -> list[Error | Warning]:
    return deployment_problems(
        debug=settings.DEBUG,
        secure_cookies=settings.SECURE_COOKIES,
        engine=str(settings.DATABASES["default"]["ENGINE"]),
        redis_url=settings.REDIS_URL,
    )


def deployment_problems(
    debug: bool, secure_cookies: bool, engine: str, redis_url: str
) -> list[Error | Warning]:
    problems: list[Error | Warning] = []
    if debug:
        hint = "Never run a public site in debug mode: it shows tracebacks and settings."
        problems.append(Error("WATWERKT_DEBUG is on", hint=hint, id="watwerkt.E001"))
    if not secure_cookies:
        hint = "Cookies will be sent over plain HTTP. Serve over HTTPS and turn it on."
        problems.append(Warning("WATWERKT_SECURE_COOKIES is off", hint=hint, id="watwerkt.W001"))
    if engine.endswith("postgresql") and not redis_url:
        hint = "Several app instances share a database; set REDIS_URL so they share a cache."
        problems.append(Warning("PostgreSQL without REDIS_URL", hint=hint, id="watwerkt.W002"))
    return problems


@register(Tags.compatibility)
def check_time_zone(**kwargs: Any) -> list[Error]:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        message = f"WATWERKT_TIME_ZONE={settings.TIME_ZONE!r} is not a known time zone"
        hint = "Use an IANA name such as Europe/Brussels."
        return [Error(message, hint=hint, id="watwerkt.E002")]
    return []

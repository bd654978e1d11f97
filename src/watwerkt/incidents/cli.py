"""What ``watwerkt incident`` and ``watwerkt maintenance`` share: finding
things by id, reading texts from arguments, and printing previews.

The commands stay thin: they turn arguments into the values the services
take, and the services decide everything else.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from watwerkt.catalogue.models import Organisation, Service, System
from watwerkt.lib.i18n import LANGUAGES
from watwerkt.status import targets
from watwerkt.status.values import parse_datetime
from watwerkt.status.writing import Actor

from .models import Incident, Maintenance

ACTOR = Actor("cli", "cli")


def unknown(what: str, name: str, known: Iterable[str]) -> targets.TargetError:
    names = sorted(known)
    close = difflib.get_close_matches(name, names, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    listing = ", ".join(names[:20]) + (", ..." if len(names) > 20 else "")
    return targets.TargetError(f"unknown {what} '{name}'{hint}; known: {listing or 'none'}")


def incident(org: Organisation, slug: str) -> Incident:
    found = Incident.objects.filter(organisation=org, slug=slug).first()
    if found is None:
        slugs = Incident.objects.filter(organisation=org).values_list("slug", flat=True)
        raise unknown(f"incident of {org.slug}", slug, slugs)
    return found


def maintenance(org: Organisation, slug: str) -> Maintenance:
    found = Maintenance.objects.filter(organisation=org, slug=slug).first()
    if found is None:
        slugs = Maintenance.objects.filter(organisation=org).values_list("slug", flat=True)
        raise unknown(f"maintenance window of {org.slug}", slug, slugs)
    return found


def services(org: Organisation, listed: str | None) -> list[Service] | None:
    """``a,b`` as services of ``org``; "" for none; None when not given."""
    if listed is None:
        return None
    found = []
    for slug in filter(None, (s.strip() for s in listed.split(","))):
        service = Service.objects.filter(organisation=org, slug=slug).first()
        if service is None:
            raise unknown("service", slug, org.services.values_list("slug", flat=True))
        found.append(service)
    return found


def systems(org: Organisation, listed: str | None) -> list[System] | None:
    """``x,y`` (``SYSTEM`` or ``ORGANISATION/SYSTEM``); "" for none; None when not given."""
    if listed is None:
        return None
    return [targets.system(org, s.strip()) for s in listed.split(",") if s.strip()]


def text(value: str) -> str:
    """An argument's text; ``-`` reads it from standard input."""
    return sys.stdin.read() if value == "-" else value


def add_language_options(parser: CommandParser, what: str) -> None:
    for code in LANGUAGES:
        parser.add_argument(f"--{code}", metavar="TEXT", help=f"the {what} in {code}")


def translations(org: Organisation, main: str | None, options: Mapping[str, Any]) -> dict[str, str]:
    """The positional text (in the organisation's language) and ``--nl/--fr/--en/--de``."""
    found = {org.language: text(main)} if main is not None else {}
    for code in LANGUAGES:
        if options.get(code) is not None:
            found[code] = text(options[code])
    return found


def moment(org: Organisation, raw: str | None) -> datetime | None:
    """A date and time as people type it, read in the organisation's time zone."""
    return None if raw is None else required_moment(org, raw)


def required_moment(org: Organisation, raw: str) -> datetime:
    with timezone.override(org.time_zone):
        return parse_datetime(raw)


def preview_lines(title: str, rendered: Mapping[str, str]) -> str:
    lines = [title]
    for language, html in rendered.items():
        lines += [f"[{language}]", html or "(empty)"]
    return "\n".join(lines)


def when(value: datetime | None, org: Organisation) -> str:
    if value is None:
        return "-"
    with timezone.override(org.time_zone):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"

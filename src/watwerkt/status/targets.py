"""Find what a command, a form or an API call addresses.

``SERVICE[/FUNCTION[/CHANNEL]]`` addresses function x channel items the same
way everywhere: ``reispas`` is every item of the service, ``reispas/afhalen``
every channel of one function, ``reispas/afhalen/stadsloket`` one item, and
``*`` means every function or every channel (``sporthal/*/telefoon``), and
``-`` the unnamed one: a service's implicit function, or the "any channel"
entry of a function listed without channels (``materiaal/-/-``), as event
paths write them. A system is ``SYSTEM`` or ``ORGANISATION/SYSTEM``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from watwerkt.catalogue.models import FunctionChannel, Organisation, Service, System


class TargetError(ValueError):
    """An address that names nothing; the message says what exists instead."""


def _unknown(what: str, name: str, known: Iterable[str]) -> TargetError:
    names = sorted(known)
    close = difflib.get_close_matches(name, names, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    listing = ", ".join(names[:20]) + (", ..." if len(names) > 20 else "")
    return TargetError(f"unknown {what} '{name}'{hint}; known: {listing or 'none'}")


def organisation(slug: str | None) -> Organisation:
    """The organisation named, or the only one when there is exactly one."""
    if slug:
        found = Organisation.objects.filter(slug=slug).first()
        if found is None:
            raise _unknown(
                "organisation", slug, Organisation.objects.values_list("slug", flat=True)
            )
        return found
    orgs = list(Organisation.objects.all()[:2])
    if len(orgs) == 1:
        return orgs[0]
    if not orgs:
        raise TargetError("there are no organisations yet; import a catalogue first")
    slugs = ", ".join(Organisation.objects.values_list("slug", flat=True))
    raise TargetError(f"several organisations ({slugs}); say which one with --org")


def items(org: Organisation, address: str) -> list[FunctionChannel]:
    """Every function x channel of ``org`` that ``address`` names (never empty)."""
    parts = address.strip("/").split("/")
    if len(parts) > 3 or not parts[0]:
        raise TargetError(f"'{address}': expected SERVICE[/FUNCTION[/CHANNEL]]")
    service_slug = parts[0]
    function_slug = parts[1] if len(parts) > 1 else "*"
    channel_slug = parts[2] if len(parts) > 2 else "*"
    service = Service.objects.filter(organisation=org, slug=service_slug).first()
    if service is None:
        raise _unknown("service", service_slug, org.services.values_list("slug", flat=True))
    found = FunctionChannel.objects.filter(function__service=service).select_related(
        "function", "channel"
    )
    if function_slug not in ("*", "-"):
        if not service.functions.filter(slug=function_slug).exists():
            functions = service.functions.exclude(slug="").values_list("slug", flat=True)
            raise _unknown(f"function of {service_slug}", function_slug, functions)
        found = found.filter(function__slug=function_slug)
    elif function_slug == "-":
        found = found.filter(function__slug="")
    if channel_slug == "-":
        found = found.filter(channel=None)
    elif channel_slug != "*":
        known = {fc.channel.slug for fc in found if fc.channel}
        if channel_slug not in known:
            raise _unknown(f"channel of '{address.rsplit('/', 1)[0]}'", channel_slug, known)
        found = found.filter(channel__slug=channel_slug)
    result = list(found)
    if not result:
        raise TargetError(f"'{address}' names no function x channel")
    return result


def system(org: Organisation | None, address: str) -> System:
    """``SYSTEM`` of ``org`` (or of the only organisation), or ``ORGANISATION/SYSTEM``."""
    owner_slug, _, slug = address.rpartition("/")
    owner = organisation(owner_slug) if owner_slug else (org or organisation(None))
    found = System.objects.filter(organisation=owner, slug=slug).first()
    if found is None:
        raise _unknown(
            f"system of {owner.slug}", slug, owner.systems.values_list("slug", flat=True)
        )
    return found

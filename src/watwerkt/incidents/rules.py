"""Checks every incident and maintenance write shares, and the error they raise.

Each check either returns the clean value or raises :class:`IncidentError`
naming the field, before anything is written: a rejected write changes
nothing, and the person gets a message saying which field to fix and how.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from watwerkt.catalogue.models import Organisation, Service, System
from watwerkt.lib.i18n import LANGUAGES

from .models import IMPACTS, PHASES, Incident, Maintenance

TITLE_LIMIT = 200
TEXT_LIMIT = 20_000  # per language: a long update is a few thousand characters
SLUG_LIMIT = 64
SLUG = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?")
Texts = Mapping[str, str]


class IncidentError(ValueError):
    """A write refused: ``field`` names what to fix, the message says how."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class MaintenanceError(IncidentError):
    """A maintenance window write refused."""


def texts(
    field: str,
    given: Texts | None,
    organisation: Organisation,
    *,
    old: Texts | None = None,
    required: bool = False,
    limit: int = TEXT_LIMIT,
) -> dict[str, str]:
    """``given`` merged into ``old``, language by language: a language given
    with an empty text is removed. ``required``: the organisation's own
    language must have text (the fallback for every other language)."""
    merged = dict(old or {})
    for language, text in (given or {}).items():
        if language not in LANGUAGES:
            raise IncidentError(
                field, f"unknown language {language!r}; use one of {', '.join(LANGUAGES)}"
            )
        if not isinstance(text, str):
            raise IncidentError(field, f"the {language} text must be text")
        text = text.strip()
        if len(text) > limit:
            raise IncidentError(field, f"the {language} text is longer than {limit} characters")
        if text:
            merged[language] = text
        else:
            merged.pop(language, None)
    if required and not merged.get(organisation.language):
        raise IncidentError(
            field, f"text in {organisation.language} (the organisation's language) is required"
        )
    return merged


def choice(field: str, value: str, allowed: Iterable[str]) -> str:
    options = list(allowed)
    if value not in options:
        raise IncidentError(field, f"unknown value {value!r}; use one of {', '.join(options)}")
    return value


def impact(value: str) -> str:
    return choice("impact", value, IMPACTS)


def phase(value: str) -> str:
    return choice("phase", value, PHASES)


def slug(field: str, value: str) -> str:
    if len(value) > SLUG_LIMIT or not SLUG.fullmatch(value):
        raise IncidentError(
            field,
            f"{value!r} is not an id: lowercase letters, digits and hyphens, "
            f"at most {SLUG_LIMIT} characters",
        )
    return value


def new_slug(field: str, given: str | None, title: Texts, taken: set[str], language: str) -> str:
    """``given`` if free, else an id made from the title (``-2``, ``-3`` when taken)."""
    if given:
        slug(field, given)
        if given in taken:
            raise IncidentError(field, f"{given!r} is already used in this organisation")
        return given
    base = slugify(title.get(language) or next(iter(title.values()), ""))[: SLUG_LIMIT - 4]
    base = base.strip("-") or "melding"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def moment(field: str, value: datetime, *, not_after: datetime | None = None) -> datetime:
    if not isinstance(value, datetime):
        raise IncidentError(field, "must be a date and time")
    if timezone.is_naive(value):
        raise IncidentError(field, "needs a time zone")
    if not_after is not None and value > not_after:
        raise IncidentError(field, "cannot be in the future")
    return value


def day(field: str, value: date | None) -> date | None:
    if value is not None and (isinstance(value, datetime) or not isinstance(value, date)):
        raise IncidentError(field, "must be a date")
    return value


def services(field: str, given: Iterable[Service], organisation: Organisation) -> list[Service]:
    found = list(dict.fromkeys(given))
    foreign = [s.slug for s in found if s.organisation_id != organisation.pk]
    if foreign:
        raise IncidentError(
            field, f"not services of {organisation.slug}: {', '.join(sorted(foreign))}"
        )
    return found


def usable_systems(organisation: Organisation) -> Q:
    """Systems an organisation may name: its own, and shared ones it depends on."""
    org = organisation.pk
    return (
        Q(organisation_id=org)
        | Q(dependents__service__organisation_id=org)
        | Q(dependents__function__service__organisation_id=org)
        | Q(dependents__function_channel__function__service__organisation_id=org)
        | Q(dependents__dependent_system__organisation_id=org)
    )


def systems(field: str, given: Iterable[System], organisation: Organisation) -> list[System]:
    found = list(dict.fromkeys(given))
    if not found:
        return found
    usable = set(
        System.objects.filter(usable_systems(organisation), pk__in=[s.pk for s in found])
        .values_list("pk", flat=True)
        .distinct()
    )
    foreign = [s.slug for s in found if s.pk not in usable]
    if foreign:
        raise IncidentError(
            field,
            f"{organisation.slug} neither owns nor depends on: {', '.join(sorted(foreign))}",
        )
    return found


def label(incident: Incident | Any) -> str:
    """How the audit trail names an incident or a maintenance window: ``org/slug``."""
    return f"{incident.organisation.slug}/{incident.slug}"


def save_new(instance: Incident | Maintenance) -> None:
    """Insert ``instance``; an id taken meanwhile by a concurrent write is refused
    like any taken id (the transaction is rolled back as the error leaves it)."""
    try:
        instance.save(force_insert=True)
    except IntegrityError:
        raise IncidentError("slug", f"{instance.slug!r} is already used") from None


def as_json(value: Any) -> Any:
    """A value for the audit trail: dates as ISO text, models by their id."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Service | System):
        return value.slug
    if isinstance(value, list | tuple):
        return [as_json(v) for v in value]
    if isinstance(value, Mapping):
        return {k: as_json(v) for k, v in value.items()}
    return value


def difference(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict[str, Any], ...]:
    """Only the fields that changed, before and after, for the audit trail."""
    keys = [k for k in after if as_json(before.get(k)) != as_json(after[k])]
    return {k: as_json(before.get(k)) for k in keys}, {k: as_json(after[k]) for k in keys}


PHASE_ORDER = {p: i for i, p in enumerate(PHASES)}


def transition(current: str, wanted: str, reopen: bool) -> None:
    """Phases go forward (investigating, identified, monitoring, resolved,
    postmortem); going back is reopening, which must be asked for."""
    phase(wanted)
    if wanted == "postmortem" and current not in ("resolved", "postmortem"):
        raise IncidentError("phase", "a postmortem follows a resolved incident; resolve it first")
    if PHASE_ORDER[wanted] < PHASE_ORDER[current] and not reopen:
        raise IncidentError(
            "phase",
            f"cannot go back from {current} to {wanted}; reopen the incident to do that",
        )

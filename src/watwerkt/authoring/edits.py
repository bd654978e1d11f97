"""Change catalogue content from the console, the API or the CLI: a service's help
(alternatives, instructions, measures) and a system's recovery plan.

Each function

- checks everything first and raises :class:`CatalogueError` (a ``ValueError``
  naming the field, with a ``code`` an interface can word in its own
  language) before anything is written;
- writes in one transaction that takes the next catalogue revision (through
  :func:`watwerkt.status.writing.revising`), so every public page built from
  the catalogue changes its ETag and shows the new help at once;
- records an audit entry with the values before and after;
- writes nothing at all, not even a revision, when nothing would change.

Help is *replaced* as a whole list: what a person sees in a form is what the
service gets, in that order, like the catalogue's YAML (which matches help by
position, see docs/catalogue.md). Texts are kept per language; an interface
that edits one language passes the others on unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from watwerkt.audit.services import record
from watwerkt.catalogue.models import (
    Alternative,
    Channel,
    Function,
    FunctionChannel,
    Instruction,
    Measure,
    Service,
    System,
)
from watwerkt.lib.i18n import LANGUAGES
from watwerkt.status.writing import Actor, Outcome, revising

TEXT_LIMIT = 2000  # per language: help is a few sentences, not a page
HELP_LIMIT = 50  # entries of one kind per service
PHONE = re.compile(r"[0-9+()./ -]{3,40}")
STEP_LIMIT = 500  # characters per recovery step
STEPS_LIMIT = 30
OWNER_LIMIT = 200
PRIORITY_LIMIT = 1000

Texts = Mapping[str, str]
HelpModel = type[Alternative] | type[Instruction] | type[Measure]


class CatalogueError(ValueError):
    """A catalogue write refused before anything was written.

    ``field`` names what to fix (``alternatives[2].email``), ``index`` the
    entry of a list (or None), ``code`` the kind of mistake (``required``,
    ``unknown``, ``invalid``, ``too_long``, ``too_many``, ``not_allowed``) so
    that an interface can say it in its own words; the message says it in
    English for the command line and the API.
    """

    def __init__(self, field: str, code: str, message: str, index: int | None = None) -> None:
        where = field if index is None else f"{field}[{index}]"
        super().__init__(f"{where}: {message}")
        self.field = field
        self.code = code
        self.message = message
        self.index = index


@dataclass(frozen=True)
class HelpEntry:
    """One alternative, instruction or measure as an interface gives it.

    ``scope`` narrows it within the service the way addresses do
    (:mod:`watwerkt.status.targets`): ``""`` the whole service, ``FUNCTION``
    one function, ``FUNCTION/CHANNEL`` one function x channel (``-`` for the
    implicit function or the "any channel" entry). Only alternatives may be
    narrowed, as in the catalogue's YAML. ``channel`` (a channel's id in the
    organisation), ``url``, ``phone``, ``email`` and ``hours`` are for
    alternatives only.
    """

    kind: str
    text: Texts
    scope: str = ""
    channel: str = ""
    url: str = ""
    phone: str = ""
    email: str = ""
    hours: Texts = field(default_factory=dict)


@dataclass(frozen=True)
class RecoveryPlan:
    """How a system comes back: ``priority`` 1 first, who owns it, by when, the steps."""

    priority: int | None = None
    owner: str = ""
    target: date | None = None
    steps: tuple[str, ...] = ()


# -- checks ----------------------------------------------------------------------------


def clean_texts(
    name: str, texts: Texts | None, language: str, *, required: bool, index: int | None = None
) -> dict[str, str]:
    """Texts per known language, stripped, empty ones dropped; ``required``: the
    organisation's own language must have one (the fallback for the others)."""
    cleaned: dict[str, str] = {}
    for code, text in (texts or {}).items():
        if code not in LANGUAGES:
            raise CatalogueError(
                name, "unknown", f"unknown language {code!r}; use {', '.join(LANGUAGES)}", index
            )
        if not isinstance(text, str):
            raise CatalogueError(name, "invalid", f"the {code} text must be text", index)
        text = text.strip()
        if len(text) > TEXT_LIMIT:
            raise CatalogueError(
                name, "too_long", f"the {code} text is longer than {TEXT_LIMIT} characters", index
            )
        if text:
            cleaned[code] = text
    if required and not cleaned.get(language):
        raise CatalogueError(
            name, "required", f"a text in {language} (the organisation's language) is needed", index
        )
    return cleaned


def _scope(
    service: Service, scope: str, index: int, field_name: str
) -> tuple[Function | None, FunctionChannel | None]:
    """The function and item ``scope`` names within ``service``."""
    if not scope:
        return None, None
    parts = scope.strip("/").split("/")
    if len(parts) > 2 or not parts[0]:
        raise CatalogueError(
            field_name, "invalid", f"{scope!r}: expected FUNCTION or FUNCTION/CHANNEL", index
        )
    function = service.functions.filter(slug="" if parts[0] == "-" else parts[0]).first()
    if function is None:
        raise CatalogueError(
            field_name, "unknown", f"{service.slug} has no function {parts[0]!r}", index
        )
    if len(parts) == 1:
        return function, None
    items = function.channels.select_related("channel")
    item = (
        items.filter(channel=None).first()
        if parts[1] == "-"
        else items.filter(channel__slug=parts[1]).first()
    )
    if item is None:
        raise CatalogueError(
            field_name, "unknown", f"{scope!r}: the function has no channel {parts[1]!r}", index
        )
    return function, item


def _contact(entry: HelpEntry, index: int) -> dict[str, str]:
    url, phone, email = entry.url.strip(), entry.phone.strip(), entry.email.strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise CatalogueError("url", "invalid", f"{url!r} is not a web address", index) from None
    if phone and not PHONE.fullmatch(phone):
        raise CatalogueError(
            "phone",
            "invalid",
            f"{phone!r} is not a phone number (digits, spaces, + . / - ( ))",
            index,
        )
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise CatalogueError(
                "email", "invalid", f"{email!r} is not an e-mail address", index
            ) from None
    return {"url": url, "phone": phone, "email": email}


def _alternative(service: Service, entry: HelpEntry, index: int) -> Alternative:
    org = service.organisation
    kind = _kind("kind", entry.kind, Alternative.KINDS, index)
    function, item = _scope(service, entry.scope, index, "scope")
    channel = None
    if entry.channel:
        channel = Channel.objects.filter(organisation=org, slug=entry.channel).first()
        if channel is None:
            raise CatalogueError(
                "channel", "unknown", f"{org.slug} has no channel {entry.channel!r}", index
            )
    return Alternative(
        organisation=org,
        service=service,
        function=function,
        function_channel=item,
        kind=kind,
        text=clean_texts("text", entry.text, org.language, required=True, index=index),
        channel=channel,
        hours=clean_texts("hours", entry.hours, org.language, required=False, index=index),
        position=index,
        **_contact(entry, index),
    )


def _note(model: HelpModel, service: Service, entry: HelpEntry, index: int) -> Any:
    if entry.scope:
        raise CatalogueError(
            "scope", "not_allowed", "instructions and measures concern the whole service", index
        )
    extras = [name for name in ("channel", "url", "phone", "email") if getattr(entry, name)]
    if extras or entry.hours:
        what = extras[0] if extras else "hours"
        raise CatalogueError(what, "not_allowed", "only alternatives have contact details", index)
    org = service.organisation
    return model(
        organisation=org,
        service=service,
        kind=_kind("kind", entry.kind, model.KINDS, index),
        text=clean_texts("text", entry.text, org.language, required=True, index=index),
        position=index,
    )


def _kind(name: str, kind: str, allowed: Sequence[str], index: int | None = None) -> str:
    if kind not in allowed:
        raise CatalogueError(
            name, "unknown", f"unknown kind {kind!r}; use one of {', '.join(allowed)}", index
        )
    return kind


# -- what the audit trail keeps ---------------------------------------------------------


def _scope_of(row: Any) -> str:
    if row.function_channel_id:
        item = row.function_channel
        channel = item.channel.slug if item.channel_id else "-"
        return f"{item.function.slug or '-'}/{channel}"
    if row.function_id:
        return row.function.slug or "-"
    return ""


def describe_help(row: Any) -> dict[str, Any]:
    """One help row as plain values: what the audit trail and the API show."""
    described: dict[str, Any] = {"kind": row.kind, "text": dict(row.text)}
    scope = _scope_of(row)
    if scope:
        described["scope"] = scope
    if isinstance(row, Alternative):
        if row.channel is not None:
            described["channel"] = row.channel.slug
        for name in ("url", "phone", "email"):
            if getattr(row, name):
                described[name] = getattr(row, name)
        if row.hours:
            described["hours"] = dict(row.hours)
    return described


def help_rows(model: HelpModel, service: Service) -> list[Any]:
    """The help of one kind attached to ``service`` (whole service or narrowed), in order."""
    rows: Any = model._default_manager.filter(service=service).order_by("position", "id")
    if model is Alternative:
        rows = rows.select_related(
            "channel", "function", "function_channel__function", "function_channel__channel"
        )
    else:
        rows = rows.select_related(
            "function", "function_channel__function", "function_channel__channel"
        )
    return list(rows)


# -- the writes -------------------------------------------------------------------------


def replace_alternatives(
    service: Service, entries: Sequence[HelpEntry], actor: Actor, note: str = ""
) -> bool:
    """Make ``entries`` the alternatives of ``service``; False when they already were."""
    return _replace(Alternative, "alternatives", service, entries, actor, note)


def replace_instructions(
    service: Service, entries: Sequence[HelpEntry], actor: Actor, note: str = ""
) -> bool:
    """Make ``entries`` the instructions of ``service``; False when they already were."""
    return _replace(Instruction, "instructions", service, entries, actor, note)


def replace_measures(
    service: Service, entries: Sequence[HelpEntry], actor: Actor, note: str = ""
) -> bool:
    """Make ``entries`` the measures of ``service``; False when they already were."""
    return _replace(Measure, "measures", service, entries, actor, note)


def _replace(
    model: HelpModel,
    name: str,
    service: Service,
    entries: Sequence[HelpEntry],
    actor: Actor,
    note: str,
) -> bool:
    if len(entries) > HELP_LIMIT:
        raise CatalogueError(name, "too_many", f"at most {HELP_LIMIT} per service")
    rows: list[Any]
    if model is Alternative:
        rows = [_alternative(service, e, i) for i, e in enumerate(entries)]
    else:
        rows = [_note(model, service, e, i) for i, e in enumerate(entries)]
    after = [describe_help(row) for row in rows]
    with revising(actor, note) as write:
        before = [describe_help(row) for row in help_rows(model, service)]
        write.touched = before != after  # nothing to change: no revision, no entry
        if write.touched:
            model._default_manager.filter(service=service).delete()
            model._default_manager.bulk_create(rows)
            record(
                actor,
                f"service.{name}",
                organisation=service.organisation,
                target=service,
                label=f"{service.organisation.slug}/{service.slug}",
                before=before,
                after=after,
                note=note,
            )
    return write.touched


def describe_plan(system: System) -> dict[str, Any]:
    return {
        "priority": system.recovery_priority,
        "owner": system.recovery_owner,
        "target": system.recovery_target.isoformat() if system.recovery_target else None,
        "steps": list(system.recovery_steps or ()),
    }


def clean_plan(plan: RecoveryPlan) -> RecoveryPlan:
    """``plan`` checked, with texts stripped and empty steps dropped."""
    if plan.priority is not None and not 1 <= plan.priority <= PRIORITY_LIMIT:
        raise CatalogueError(
            "priority", "invalid", f"a priority lies between 1 (first) and {PRIORITY_LIMIT}"
        )
    owner = plan.owner.strip()
    if len(owner) > OWNER_LIMIT:
        raise CatalogueError("owner", "too_long", f"at most {OWNER_LIMIT} characters")
    steps = tuple(s.strip() for s in plan.steps if s.strip())
    if len(steps) > STEPS_LIMIT:
        raise CatalogueError("steps", "too_many", f"at most {STEPS_LIMIT} steps")
    for i, step in enumerate(steps):
        if len(step) > STEP_LIMIT:
            raise CatalogueError("steps", "too_long", f"at most {STEP_LIMIT} characters", i)
    return RecoveryPlan(plan.priority, owner, plan.target, steps)


def set_recovery_plan(
    system: System,
    plan: RecoveryPlan,
    actor: Actor,
    note: str = "",
    *,
    expected: Collection[int] | None = None,
) -> Outcome:
    """Store ``plan`` as ``system``'s recovery plan (``changed`` False when it already was).

    Who may (editors of the organisation that owns the system) is decided by
    :func:`watwerkt.accounts.permissions.can_change_system`, before calling.
    """
    clean = clean_plan(plan)
    # Not structural: neither the engine nor the public snapshot reads recovery
    # plans (the snapshot takes a system's name and public flag only).
    with revising(actor, note, structural=False, expected=expected) as write:
        system.refresh_from_db()
        before = describe_plan(system)
        system.recovery_priority = clean.priority
        system.recovery_owner = clean.owner
        system.recovery_target = clean.target
        system.recovery_steps = list(clean.steps)
        after = describe_plan(system)
        write.touched = before != after
        if write.touched:
            system.save(
                update_fields=[
                    "recovery_priority",
                    "recovery_owner",
                    "recovery_target",
                    "recovery_steps",
                ]
            )
            record(
                actor,
                "system.recovery",
                organisation=system.organisation,
                target=system,
                label=f"{system.organisation.slug}/{system.slug}",
                before=before,
                after=after,
                note=note,
            )
    assert write.outcome is not None
    return write.outcome

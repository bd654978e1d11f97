"""Bodies of the API's writes, turned into the values the domain services take.

Words, dates and expected returns go through :mod:`watwerkt.status.values`,
the parsers the catalogue import and the CLI use, so a status word or an
impossible date is refused with the same words everywhere; this module adds
only what JSON needs (types, field names) and the checks the import makes
too (a ``since`` in the future, an expected return before ``since``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from watwerkt.authoring.edits import RecoveryPlan
from watwerkt.catalogue.models import Organisation
from watwerkt.engine import LEVEL_WORDS, SYSTEM_WORDS, Expected, Level, SystemState
from watwerkt.engine.levels import UnknownWordError
from watwerkt.incidents.models import PHASES
from watwerkt.incidents.rules import TEXT_LIMIT
from watwerkt.readmodel.machine import zone
from watwerkt.status.services import SystemChange
from watwerkt.status.values import (
    EXPECTED_HELP,
    ManualStatus,
    QualifierValue,
    expected_ends_before,
    parse_date,
    parse_datetime,
    parse_expected,
    parse_qualifier,
)

from .body import MAX_NOTE, Fields, invalid_field, invalid_value

MAX_QUALIFIERS = 16

# Clocks differ a little: a since this much ahead of ours is still taken as now-ish.
CLOCK_SKEW = timedelta(minutes=1)

STATUS_FIELDS = ("level", "qualifiers", "since", "expected", "pinned", "public_note", "note")
SYSTEM_FIELDS = ("state", "since", "expected", "note")
UPDATE_FIELDS = ("body", "phase", "publish", "reopen")
PLAN_FIELDS = ("priority", "owner", "target", "steps")
QUALIFIER_FIELDS = ("code", "text", "date")


@dataclass(frozen=True)
class StatusInput:
    status: ManualStatus
    note: str  # why, for the history and the audit trail; never public


@dataclass(frozen=True)
class SystemInput:
    change: SystemChange
    note: str


@dataclass(frozen=True)
class PlanInput:
    plan: RecoveryPlan
    note: str = ""


@dataclass(frozen=True)
class UpdateInput:
    body: dict[str, str]
    phase: str | None
    publish: bool
    reopen: bool


def _word(fields: Fields, name: str, what: str, words: list[str]) -> str:
    """One of ``words``, exactly as written there (the document lists them so)."""
    raw: str = fields.get(name, str, required=True)
    if raw not in words:
        raise invalid_value(fields.name(name), str(UnknownWordError(what, raw, words)))
    return raw


def _since(fields: Fields, organisation: Organisation) -> datetime | None:
    raw = fields.get("since", str)
    if raw is None:
        return None
    try:
        with timezone.override(zone(organisation.time_zone)):
            since = parse_datetime(raw)
    except ValueError as exc:
        raise invalid_value("since", str(exc)) from None
    if since > timezone.now() + CLOCK_SKEW:
        raise invalid_value("since", f"{raw!r} lies in the future")
    return since


def _expected(fields: Fields, since: datetime | None) -> Expected | None:
    raw = fields.get("expected", str)
    if raw is None:
        return None
    try:
        expected = parse_expected(raw)
    except ValueError as exc:
        raise invalid_value("expected", f"{exc}") from None
    if expected_ends_before(expected, since):
        raise invalid_value("expected", f"{raw!r} lies before since; use {EXPECTED_HELP}")
    return expected


def _qualifier(raw: Any, where: str, language: str) -> QualifierValue:
    """``"delays"``, or ``{"code": "except", "text": ..., "date": ...}``."""
    if isinstance(raw, str):
        raw = {"code": raw}
    if not isinstance(raw, dict):
        raise invalid_value(where, "a qualifier is a code or an object with a code")
    fields = Fields(raw, QUALIFIER_FIELDS, where)
    code = fields.get("code", str, required=True)
    texts = fields.texts("text", language)
    day = fields.get("date", str)
    if day is not None:
        try:
            day = parse_date(day).isoformat()
        except ValueError as exc:
            raise invalid_value(fields.name("date"), str(exc)) from None
    try:
        return parse_qualifier({"code": code, "text": texts or None, "date": day}, language)
    except ValueError as exc:
        raise invalid_value(where, str(exc)) from None


def _qualifiers(fields: Fields, language: str) -> tuple[QualifierValue, ...]:
    given = fields.get("qualifiers", list) or []
    if len(given) > MAX_QUALIFIERS:
        raise invalid_value("qualifiers", f"at most {MAX_QUALIFIERS} qualifiers")
    found: list[QualifierValue] = []
    for n, raw in enumerate(given):
        qualifier = _qualifier(raw, f"qualifiers[{n}]", language)
        if any(q.code == qualifier.code for q in found):
            raise invalid_value(f"qualifiers[{n}]", f"{qualifier.code.value!r} is given twice")
        found.append(qualifier)
    return tuple(found)


def status(data: dict[str, Any], organisation: Organisation) -> StatusInput:
    """A manual status as ``PUT .../status`` sends it; the whole status, so
    sending the same body again changes nothing."""
    fields = Fields(data, STATUS_FIELDS)
    level = Level.parse(_word(fields, "level", "status level", LEVEL_WORDS))
    qualifiers = _qualifiers(fields, organisation.language)
    since = _since(fields, organisation)
    manual = ManualStatus(
        level=level,
        qualifiers=qualifiers,
        since=since,
        expected=_expected(fields, since),
        pinned=fields.flag("pinned"),
        note=fields.texts("public_note", organisation.language),
    )
    return StatusInput(manual, fields.text("note", MAX_NOTE))


def system(data: dict[str, Any], owner: Organisation) -> SystemInput:
    """A system's own state as ``PUT .../state`` sends it. ``note`` is kept with
    the system and its event, in the owner's language, as ``watwerkt system set`` does."""
    fields = Fields(data, SYSTEM_FIELDS)
    state = SystemState.parse(_word(fields, "state", "system state", SYSTEM_WORDS))
    since = _since(fields, owner)
    note = fields.text("note", MAX_NOTE)
    change = SystemChange(
        state,
        since=since,
        expected=_expected(fields, since),
        note={owner.language: note} if note else {},
    )
    return SystemInput(change, note)


def update(data: dict[str, Any], organisation: Organisation) -> UpdateInput:
    """An incident update as ``POST .../updates`` sends it."""
    fields = Fields(data, UPDATE_FIELDS)
    fields.get("body", (str, dict), required=True)
    body = fields.texts("body", organisation.language, TEXT_LIMIT)
    phase = _word(fields, "phase", "phase", PHASES) if data.get("phase") is not None else None
    return UpdateInput(body, phase, fields.flag("publish"), fields.flag("reopen"))


def plan(data: dict[str, Any]) -> PlanInput:
    """A system's recovery plan as ``PUT .../recovery-plan`` sends it: the whole plan.
    Limits are checked by :func:`watwerkt.authoring.edits.clean_plan`."""
    fields = Fields(data, PLAN_FIELDS)
    target = fields.get("target", str)
    if target is not None:
        try:
            target = parse_date(target)
        except ValueError as exc:
            raise invalid_value("target", str(exc)) from None
    steps = fields.get("steps", list) or []
    for n, step in enumerate(steps):
        if not isinstance(step, str):
            raise invalid_field(f"steps[{n}]", f"'steps[{n}]' must be a string")
    owner = fields.get("owner", str) or ""
    return PlanInput(RecoveryPlan(fields.integer("priority"), owner, target, tuple(steps)))

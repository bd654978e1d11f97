"""Recovery targets: promises with a date ("reservations work again by 31 March").

Written through the same kind of functions as the incident itself (see
:mod:`.services`, which re-exports them): checked first, one write that takes
a revision, an audit entry with before and after. Not structural: the public
snapshot does not read targets, nor the incident's ``updated_at`` they move.
"""

from __future__ import annotations

from datetime import date, datetime
from types import EllipsisType
from typing import Any

from django.utils import timezone

from watwerkt.audit.services import record
from watwerkt.catalogue.models import Organisation, Service, System
from watwerkt.status.writing import Actor, revising

from . import rules
from .models import Incident, RecoveryTarget
from .rules import Texts


def _target_json(target: RecoveryTarget) -> dict[str, Any]:
    return rules.as_json(  # type: ignore[no-any-return]
        {
            "text": target.text,
            "target": target.target,
            "reached_at": target.reached_at,
            "service": target.service,
            "system": target.system,
        }
    )


def _target_links(
    organisation: Organisation, service: Service | None, system: System | None
) -> None:
    rules.services("service", [service] if service else [], organisation)
    rules.systems("system", [system] if system else [], organisation)


def add_target(
    incident: Incident,
    text: Texts,
    actor: Actor,
    *,
    target: date | None = None,
    service: Service | None = None,
    system: System | None = None,
) -> RecoveryTarget:
    """A promise with a date ("reservations work again by 31 March"), optionally
    about one service or system; ``target`` None: no date yet."""
    org = incident.organisation
    clean = rules.texts("text", text, org, required=True, limit=rules.TITLE_LIMIT * 2)
    rules.day("target", target)
    _target_links(org, service, system)
    with revising(actor, structural=False) as write:
        position = incident.targets.count()
        found = RecoveryTarget.objects.create(
            incident=incident,
            text=clean,
            target=target,
            service=service,
            system=system,
            position=position,
        )
        _touch(incident, write.now)
        record(
            actor,
            "incident.target.add",
            organisation=org,
            target=found,
            label=rules.label(incident),
            after=_target_json(found),
        )
    return found


def edit_target(
    target: RecoveryTarget,
    actor: Actor,
    *,
    text: Texts | None = None,
    due: date | EllipsisType | None = ...,
    service: Service | EllipsisType | None = ...,
    system: System | EllipsisType | None = ...,
    reached_at: datetime | EllipsisType | None = ...,
) -> RecoveryTarget:
    """Change what is given, in one write; ``None`` clears the date, the
    service, the system or the time it was reached (not reached after all)."""
    org = target.incident.organisation
    values: dict[str, Any] = {}
    if text is not None:
        _text(target, text)  # refuse a bad text before writing; merged again under the write
    if not isinstance(due, EllipsisType):
        values["target"] = rules.day("target", due)
    if not isinstance(service, EllipsisType):
        values["service"] = service
    if not isinstance(system, EllipsisType):
        values["system"] = system
    if not isinstance(reached_at, EllipsisType):
        values["reached_at"] = reached_at and rules.moment(
            "reached_at", reached_at, not_after=timezone.now()
        )
    _target_links(org, values.get("service"), values.get("system"))
    only_reached = text is None and set(values) == {"reached_at"}
    action = "incident.target.reach" if only_reached else "incident.target.edit"
    return _change_target(target, actor, action, values, text)


def _text(target: RecoveryTarget, text: Texts) -> dict[str, str]:
    org = target.incident.organisation
    return rules.texts(
        "text", text, org, old=target.text, required=True, limit=rules.TITLE_LIMIT * 2
    )


def reach_target(
    target: RecoveryTarget, actor: Actor, *, at: datetime | None = None, reached: bool = True
) -> RecoveryTarget:
    """Mark a target reached (now unless ``at``), or not reached after all."""
    return edit_target(target, actor, reached_at=(at or timezone.now()) if reached else None)


def _change_target(
    target: RecoveryTarget,
    actor: Actor,
    action: str,
    values: dict[str, Any],
    text: Texts | None = None,
) -> RecoveryTarget:
    incident = target.incident
    with revising(actor, structural=False) as write:
        target.refresh_from_db()
        before = _target_json(target)
        if text is not None:
            values = {**values, "text": _text(target, text)}
        for name, value in values.items():
            setattr(target, name, value)
        old, new = rules.difference(before, _target_json(target))
        if not new:
            write.touched = False  # nothing changed: no revision, no entry
            return target
        target.save()
        _touch(incident, write.now)
        record(
            actor,
            action,
            organisation=incident.organisation,
            target=target,
            label=rules.label(incident),
            before=old,
            after=new,
        )
    return target


def _touch(incident: Incident, now: datetime) -> None:
    """A target is part of the incident: its ``updated_at`` (Statuspage's) moves too."""
    Incident.objects.filter(pk=incident.pk).update(updated_at=now)
    incident.updated_at = now

"""Every incident write goes through here: console, CLI and API alike.

An incident starts as a draft. Posting an update stores a draft update;
publishing it makes it public, moves the incident to the update's phase and,
the first time, publishes the incident itself. Drafts are never public.

Each write

- checks its input first and raises :class:`IncidentError` (a ``ValueError``
  naming the field) before anything is written;
- runs in one transaction that takes the next catalogue revision (so every
  public page's ETag changes) and checks the stored state again under it
  (two people publishing at once cannot both pass);
- records an audit entry with the values before and after.

A write that would change nothing writes nothing, not even a revision.
None is structural (``revising(structural=False)``): the public snapshot reads
no incident, only when the latest update was published (its "changed since"),
which following it reads again at every revision.
Recovery targets (:mod:`.recovery`) and maintenance windows
(:mod:`.maintenance`) have the same kind of functions, re-exported here so
callers need one import.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.safestring import SafeString

from watwerkt.audit.services import record
from watwerkt.catalogue.models import Organisation, Service, System
from watwerkt.status.writing import Actor, Write, revising

from . import rules
from .maintenance import (
    cancel_maintenance,
    create_maintenance,
    edit_maintenance,
    publish_maintenance,
    set_maintenance_state,
    state_at,
)
from .markdown import to_html
from .models import OPEN_PHASES, Incident, IncidentUpdate
from .recovery import add_target, edit_target, reach_target
from .rules import IncidentError, MaintenanceError, Texts

__all__ = [
    "Edited",
    "IncidentError",
    "MaintenanceError",
    "add_target",
    "cancel_maintenance",
    "create_incident",
    "create_maintenance",
    "discard_update",
    "edit_incident",
    "edit_maintenance",
    "edit_target",
    "edit_update",
    "post_update",
    "postmortem",
    "preview",
    "preview_edit",
    "publish_maintenance",
    "publish_update",
    "reach_target",
    "resolve",
    "set_maintenance_state",
    "state_at",
]

SECTIONS = ("known", "unknown", "to_do", "data_protection")


def _describe(incident: Incident) -> dict[str, Any]:
    """The incident as the audit trail keeps it."""
    described: dict[str, Any] = {
        "title": incident.title,
        "impact": incident.impact,
        "phase": incident.phase,
        "started_at": incident.started_at,
        "resolved_at": incident.resolved_at,
        "published_at": incident.published_at,
    }
    described.update({name: getattr(incident, name) for name in SECTIONS})
    if incident.pk:
        described["services"] = sorted(incident.affected_services.values_list("slug", flat=True))
        described["systems"] = sorted(incident.affected_systems.values_list("slug", flat=True))
    return rules.as_json(described)  # type: ignore[no-any-return]


def _phase_fields(
    incident: Incident, phase: str, now: datetime, at: datetime | None = None
) -> dict[str, Any]:
    """The fields entering ``phase`` sets: resolving stamps the end, reopening clears it.
    Returned, not set, so a write checks every new value before it changes the
    caller's object: a refused write leaves it as stored (the console shows it)."""
    if phase in OPEN_PHASES:
        return {"phase": phase, "resolved_at": None}
    return {"phase": phase, "resolved_at": incident.resolved_at or at or now}


def _set(row: Any, fields: Mapping[str, Any]) -> None:
    for name, value in fields.items():
        setattr(row, name, value)


# -- the incident ------------------------------------------------------------------------


def create_incident(
    organisation: Organisation,
    title: Texts,
    actor: Actor,
    *,
    slug: str | None = None,
    impact: str = "major",
    phase: str = "investigating",
    started_at: datetime | None = None,
    sections: Mapping[str, Texts] | None = None,
    services: Iterable[Service] = (),
    systems: Iterable[System] = (),
) -> Incident:
    """A new draft incident; ``sections`` maps known/unknown/to_do/data_protection to texts."""
    now = timezone.now()
    clean_title = rules.texts("title", title, organisation, required=True, limit=rules.TITLE_LIMIT)
    rules.impact(impact)
    if rules.phase(phase) not in OPEN_PHASES:
        raise IncidentError("phase", f"a new incident is open: use one of {', '.join(OPEN_PHASES)}")
    started = rules.moment("started_at", started_at or now, not_after=now)
    clean_sections = _sections(sections or {}, organisation, Incident())
    affected = rules.services("services", services, organisation)
    used = rules.systems("systems", systems, organisation)
    with revising(actor, structural=False) as write:
        taken = set(
            Incident.objects.filter(organisation=organisation).values_list("slug", flat=True)
        )
        incident = Incident(
            organisation=organisation,
            slug=rules.new_slug("slug", slug, clean_title, taken, organisation.language),
            title=clean_title,
            phase=phase,
            impact=impact,
            started_at=started,
            created_at=write.now,
            updated_at=write.now,
            **clean_sections,
        )
        rules.save_new(incident)
        incident.affected_services.set(affected)
        incident.affected_systems.set(used)
        record(
            actor,
            "incident.create",
            organisation=organisation,
            target=incident,
            label=rules.label(incident),
            after=_describe(incident),
        )
    return incident


def _sections(
    given: Mapping[str, Texts], organisation: Organisation, old: Incident
) -> dict[str, Any]:
    unknown = sorted(set(given) - set(SECTIONS))
    if unknown:
        raise IncidentError(
            "sections", f"unknown section {unknown[0]!r}; use one of {', '.join(SECTIONS)}"
        )
    return {
        name: rules.texts(name, text, organisation, old=getattr(old, name))
        for name, text in given.items()
    }


def edit_incident(
    incident: Incident,
    actor: Actor,
    *,
    title: Texts | None = None,
    impact: str | None = None,
    phase: str | None = None,
    reopen: bool = False,
    started_at: datetime | None = None,
    sections: Mapping[str, Texts] | None = None,
    services: Iterable[Service] | None = None,
    systems: Iterable[System] | None = None,
) -> Incident:
    """Change what is given; texts merge per language (an empty text removes one).

    ``phase`` only goes forward unless ``reopen``; see :func:`rules.transition`.
    """
    org = incident.organisation
    changes = _facts(impact, started_at)
    if phase is not None:
        rules.phase(phase)
    _merged(incident, title, sections)  # refuse bad texts before writing
    affected = rules.services("services", services, org) if services is not None else None
    used = rules.systems("systems", systems, org) if systems is not None else None
    with revising(actor, structural=False) as write:
        incident.refresh_from_db()
        changes.update(_merged(incident, title, sections))  # onto the stored texts
        if phase is not None and phase != incident.phase:
            rules.transition(incident.phase, phase, reopen)
            changes.update(_phase_fields(incident, phase, write.now))
        _check_dates({**_dates(incident), **changes})
        before = _describe(incident)
        _set(incident, changes)
        incident.save()
        if affected is not None:
            incident.affected_services.set(affected)
        if used is not None:
            incident.affected_systems.set(used)
        old, new = rules.difference(before, _describe(incident))
        if not new:
            write.touched = False  # nothing changed: no revision, no entry
            return incident
        incident.updated_at = write.now
        incident.save(update_fields=["updated_at"])
        record(
            actor,
            "incident.edit",
            organisation=org,
            target=incident,
            label=rules.label(incident),
            before=old,
            after=new,
        )
    return incident


@dataclass(frozen=True)
class Edited:
    """An incident as :func:`edit_incident` would leave it (see :func:`preview_edit`)."""

    fields: dict[str, Any]  # title, impact, started_at, resolved_at and the four sections
    services: tuple[Service, ...]
    systems: tuple[System, ...]

    def described(self) -> dict[str, Any]:
        """As plain JSON values: what a preview of it showed, to compare with later."""
        return rules.as_json(  # type: ignore[no-any-return]
            {
                **self.fields,
                "services": sorted(s.pk for s in self.services),
                "systems": sorted(s.pk for s in self.systems),
            }
        )


PREVIEWED_FIELDS = ("title", "impact", "started_at", "resolved_at", *SECTIONS)


def preview_edit(
    incident: Incident,
    *,
    title: Texts | None = None,
    impact: str | None = None,
    started_at: datetime | None = None,
    sections: Mapping[str, Texts] | None = None,
    services: Iterable[Service] | None = None,
    systems: Iterable[System] | None = None,
) -> Edited:
    """What :func:`edit_incident` with these arguments would store, texts merged
    onto ``incident``'s, writing nothing: the same checks (the same
    :class:`IncidentError`), so an edit that can be previewed can be saved. For
    a published incident the console shows this before anything goes out."""
    org = incident.organisation
    changes = _facts(impact, started_at) | _merged(incident, title, sections)
    fields = {name: getattr(incident, name) for name in PREVIEWED_FIELDS} | changes
    _check_dates(fields)
    affected = (
        rules.services("services", services, org)
        if services is not None
        else list(incident.affected_services.all())
    )
    used = (
        rules.systems("systems", systems, org)
        if systems is not None
        else list(incident.affected_systems.all())
    )
    return Edited(fields, tuple(affected), tuple(used))


def _facts(impact: str | None, started_at: datetime | None) -> dict[str, Any]:
    """The impact and start an edit gives, checked."""
    changes: dict[str, Any] = {}
    if impact is not None:
        changes["impact"] = rules.impact(impact)
    if started_at is not None:
        changes["started_at"] = rules.moment("started_at", started_at, not_after=timezone.now())
    return changes


def _merged(
    incident: Incident, title: Texts | None, sections: Mapping[str, Texts] | None
) -> dict[str, Any]:
    org = incident.organisation
    merged = _sections(sections or {}, org, incident)
    if title is not None:
        merged["title"] = rules.texts(
            "title", title, org, old=incident.title, required=True, limit=rules.TITLE_LIMIT
        )
    return merged


def _dates(incident: Incident) -> dict[str, Any]:
    return {"started_at": incident.started_at, "resolved_at": incident.resolved_at}


def _check_dates(dates: Mapping[str, Any], field: str = "started_at") -> None:
    """``dates``: the incident's started_at and resolved_at as they would be stored."""
    resolved = dates["resolved_at"]
    if resolved is not None and resolved < dates["started_at"]:
        raise IncidentError(field, "an incident cannot be resolved before it started")


def resolve(
    incident: Incident,
    actor: Actor,
    *,
    body: Texts | None = None,
    at: datetime | None = None,
) -> Incident:
    """Phase resolved, with the time it ended (now unless ``at``); with a
    ``body``, through a published update that says so (one write)."""
    now = timezone.now()
    when = rules.moment("resolved_at", at, not_after=now) if at is not None else None
    clean = rules.texts("body", body, incident.organisation, required=True) if body else None
    with revising(actor, structural=False) as write:
        incident.refresh_from_db()
        if incident.phase in ("resolved", "postmortem"):
            raise IncidentError("phase", "the incident is already resolved")
        if clean is not None:
            _publish(write, _post(write, incident, clean, "resolved", False), False, when)
            return incident
        fields = _phase_fields(incident, "resolved", write.now, when)
        _check_dates({**_dates(incident), **fields}, "resolved_at")
        before = _describe(incident)
        _set(incident, {**fields, "updated_at": write.now})
        incident.save()
        old, new = rules.difference(before, _describe(incident))
        record(
            actor,
            "incident.resolve",
            organisation=incident.organisation,
            target=incident,
            label=rules.label(incident),
            before=old,
            after=new,
        )
    return incident


# -- updates -------------------------------------------------------------------------------


def _update_json(update: IncidentUpdate) -> dict[str, Any]:
    return rules.as_json(  # type: ignore[no-any-return]
        {
            "id": update.pk,
            "phase": update.phase,
            "body": update.body,
            "published_at": update.published_at,
        }
    )


def preview(body: Texts, organisation: Organisation) -> dict[str, SafeString]:
    """``body`` as it would be published, per language, writing nothing; the
    same checks as posting it, so a preview that passes can be posted."""
    clean = rules.texts("body", body, organisation, required=True)
    return {language: to_html(text) for language, text in clean.items()}


def post_update(
    incident: Incident,
    body: Texts,
    actor: Actor,
    *,
    phase: str | None = None,
    reopen: bool = False,
    publish: bool = False,
    at: datetime | None = None,
) -> IncidentUpdate:
    """A draft update (the incident's current phase unless ``phase``); text in the
    organisation's language is required, other languages are optional.
    ``publish``: post and publish it in one write. ``at``: when it was posted
    (and published), for an update from the past, such as the demo's or one
    moved from another tool; not in the future, not before the incident began."""
    clean = rules.texts("body", body, incident.organisation, required=True)
    if phase is not None:
        rules.phase(phase)
    if at is not None:
        rules.moment("at", at, not_after=timezone.now())
    with revising(actor, structural=False) as write:
        incident.refresh_from_db()
        if at is not None and at < incident.started_at:
            raise IncidentError("at", "an update cannot be older than its incident")
        update = _post(write, incident, clean, phase or incident.phase, reopen, at)
        if publish:
            _publish(write, update, reopen, None, at)
    return update


def _post(
    write: Write,
    incident: Incident,
    body: dict[str, str],
    phase: str,
    reopen: bool,
    at: datetime | None = None,
) -> IncidentUpdate:
    rules.transition(incident.phase, phase, reopen)
    update = IncidentUpdate.objects.create(
        incident=incident,
        phase=phase,
        body=body,
        author=write.actor.name,
        created_at=at or write.now,
        updated_at=at or write.now,
    )
    record(
        write.actor,
        "incident.update.post",
        organisation=incident.organisation,
        target=update,
        label=rules.label(incident),
        after=_update_json(update),
    )
    return update


def edit_update(
    update: IncidentUpdate,
    actor: Actor,
    *,
    body: Texts | None = None,
    phase: str | None = None,
    reopen: bool = False,
) -> IncidentUpdate:
    """Correct an update's text (merged per language); a draft's phase too.
    A published update keeps its phase: what happened is not rewritten."""
    incident = update.incident
    org = incident.organisation
    if phase is not None:
        rules.phase(phase)
    if body is not None:
        rules.texts("body", body, org, old=update.body, required=True)
    with revising(actor, structural=False) as write:
        update.refresh_from_db()
        incident.refresh_from_db()
        before = _update_json(update)
        changes: dict[str, Any] = {}
        if body is not None:
            changes["body"] = rules.texts("body", body, org, old=update.body, required=True)
        if phase is not None and phase != update.phase:
            if update.published_at is not None:
                raise IncidentError("phase", "a published update keeps its phase; post a new one")
            rules.transition(incident.phase, phase, reopen)
            changes["phase"] = phase
        _set(update, changes)  # only now: a refusal above leaves the update as stored
        old, new = rules.difference(before, _update_json(update))
        if not new:
            write.touched = False  # nothing changed: no revision, no entry
            return update
        update.updated_at = write.now
        update.save()
        if update.published_at is not None:
            incident.updated_at = write.now
            incident.save(update_fields=["updated_at"])
        record(
            actor,
            "incident.update.edit",
            organisation=org,
            target=update,
            label=rules.label(incident),
            before=old,
            after=new,
        )
    return update


def discard_update(update: IncidentUpdate, actor: Actor) -> None:
    """Delete a draft update; published updates stay (edit them instead)."""
    incident = update.incident
    with revising(actor, structural=False):
        update.refresh_from_db()
        if update.published_at is not None:
            raise IncidentError("update", "a published update cannot be discarded; edit it")
        before = _update_json(update)
        update.delete()
        record(
            actor,
            "incident.update.discard",
            organisation=incident.organisation,
            label=rules.label(incident),
            before=before,
        )


def publish_update(update: IncidentUpdate, actor: Actor, *, reopen: bool = False) -> IncidentUpdate:
    """Make a draft update public: the incident takes its phase, and is
    published too if it was still a draft."""
    with revising(actor, structural=False) as write:
        update.refresh_from_db()
        update.incident.refresh_from_db()
        if update.published_at is not None:
            raise IncidentError("update", "already published")
        _publish(write, update, reopen, None)
    return update


def _publish(
    write: Write,
    update: IncidentUpdate,
    reopen: bool,
    resolved_at: datetime | None,
    at: datetime | None = None,
) -> None:
    incident = update.incident
    rules.transition(incident.phase, update.phase, reopen)
    fields = _phase_fields(incident, update.phase, write.now, resolved_at or at)
    _check_dates({**_dates(incident), **fields}, "resolved_at")
    before = _describe(incident)
    update.published_at = at or write.now
    update.save(update_fields=["published_at"])
    fields.update(published_at=incident.published_at or update.published_at, updated_at=write.now)
    _set(incident, fields)
    incident.save()
    old, new = rules.difference(before, _describe(incident))
    record(
        write.actor,
        "incident.update.publish",
        organisation=incident.organisation,
        target=update,
        label=rules.label(incident),
        before={"incident": old},
        after={"incident": new, "update": _update_json(update)},
    )


def postmortem(incident: Incident, body: Texts, actor: Actor) -> IncidentUpdate:
    """What happened and what will change: published as the last update of a
    resolved incident (:func:`rules.transition` refuses it before that)."""
    return post_update(incident, body, actor, phase="postmortem", publish=True)

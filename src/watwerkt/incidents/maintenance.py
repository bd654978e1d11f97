"""Planned maintenance: windows announced before they start.

A window is a draft until published, and can be called off (cancelled)
but is never deleted, so whoever saw the announcement can see it was off.

Its state follows the clock: *scheduled* before ``scheduled_for``, *in
progress* until ``scheduled_until``, *completed* after. A person can say
otherwise, forward only: *in progress* early (or running over: it stays in
progress past the planned end until someone says it is done), *verifying*
when the work is done and being checked, *completed* early. A stated state
holds until the next one is stated. A cancelled window counts as completed
(Statuspage has no other word for it) and says it was cancelled.

Writes follow the same rules as incident writes (see :mod:`.services`), and
are not structural either: windows are not an input of the status engine (a
system in maintenance is a system state, set apart), and the public snapshot
does not read them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol

from watwerkt.audit.services import record
from watwerkt.catalogue.models import Organisation, Service, System
from watwerkt.status.writing import Actor, Write, revising

from . import rules
from .models import MAINTENANCE_STATES, Maintenance
from .rules import MaintenanceError, Texts

STATE_ORDER = {s: i for i, s in enumerate(MAINTENANCE_STATES)}
STATED = ("in_progress", "verifying", "completed")  # what a person may state


class Window(Protocol):
    """A maintenance window as stored, or as the public read model holds it."""

    @property
    def state(self) -> str: ...
    @property
    def scheduled_for(self) -> datetime: ...
    @property
    def scheduled_until(self) -> datetime: ...
    @property
    def cancelled_at(self) -> datetime | None: ...


def state_at(window: Window, now: datetime) -> str:
    """The state of ``window`` at ``now``: as stated by a person, else by the clock."""
    if window.cancelled_at is not None:
        return "completed"
    if window.state:
        return window.state
    if now < window.scheduled_for:
        return "scheduled"
    if now < window.scheduled_until:
        return "in_progress"
    return "completed"


def _describe(window: Maintenance) -> dict[str, Any]:
    described: dict[str, Any] = {
        "title": window.title,
        "description": window.description,
        "state": window.state,
        "scheduled_for": window.scheduled_for,
        "scheduled_until": window.scheduled_until,
        "published_at": window.published_at,
        "cancelled_at": window.cancelled_at,
    }
    if window.pk:
        described["services"] = sorted(window.affected_services.values_list("slug", flat=True))
        described["systems"] = sorted(window.affected_systems.values_list("slug", flat=True))
    return rules.as_json(described)  # type: ignore[no-any-return]


def _times(starts: datetime, ends: datetime) -> None:
    rules.moment("scheduled_for", starts)
    rules.moment("scheduled_until", ends)
    if ends <= starts:
        raise MaintenanceError("scheduled_until", "the window must end after it starts")


def _wrap(error: rules.IncidentError) -> MaintenanceError:
    """The shared checks raise IncidentError; callers here expect MaintenanceError."""
    if isinstance(error, MaintenanceError):
        return error
    return MaintenanceError(error.field, error.message)


def create_maintenance(
    organisation: Organisation,
    title: Texts,
    starts: datetime,
    ends: datetime,
    actor: Actor,
    *,
    slug: str | None = None,
    description: Texts | None = None,
    services: Iterable[Service] = (),
    systems: Iterable[System] = (),
    publish: bool = False,
) -> Maintenance:
    """A maintenance window from ``starts`` to ``ends``: a draft, or announced
    at once with ``publish`` (one write either way)."""
    try:
        clean_title = rules.texts(
            "title", title, organisation, required=True, limit=rules.TITLE_LIMIT
        )
        clean_description = rules.texts("description", description, organisation)
        _times(starts, ends)
        affected = rules.services("services", services, organisation)
        used = rules.systems("systems", systems, organisation)
        with revising(actor, structural=False) as write:
            taken = set(
                Maintenance.objects.filter(organisation=organisation).values_list("slug", flat=True)
            )
            window = Maintenance(
                organisation=organisation,
                slug=rules.new_slug("slug", slug, clean_title, taken, organisation.language),
                title=clean_title,
                description=clean_description,
                scheduled_for=starts,
                scheduled_until=ends,
                created_at=write.now,
                updated_at=write.now,
            )
            rules.save_new(window)
            window.affected_services.set(affected)
            window.affected_systems.set(used)
            if publish:
                _publish(write, window)
            _record(write, window, "maintenance.create", None, _describe(window))
    except rules.IncidentError as error:
        raise _wrap(error) from None
    return window


def edit_maintenance(
    window: Maintenance,
    actor: Actor,
    *,
    title: Texts | None = None,
    description: Texts | None = None,
    starts: datetime | None = None,
    ends: datetime | None = None,
    services: Iterable[Service] | None = None,
    systems: Iterable[System] | None = None,
    state: str | None = None,
) -> Maintenance:
    """Change what is given, in one write; texts merge per language as for
    incidents; ``state`` as :func:`set_maintenance_state`."""
    org = window.organisation
    try:
        _stated(state)
        affected = rules.services("services", services, org) if services is not None else None
        used = rules.systems("systems", systems, org) if systems is not None else None
        with revising(actor, structural=False) as write:
            window.refresh_from_db()
            _open(window)
            before = _describe(window)
            if title is not None:
                window.title = rules.texts(
                    "title", title, org, old=window.title, required=True, limit=rules.TITLE_LIMIT
                )
            if description is not None:
                window.description = rules.texts(
                    "description", description, org, old=window.description
                )
            window.scheduled_for = starts or window.scheduled_for
            window.scheduled_until = ends or window.scheduled_until
            _times(window.scheduled_for, window.scheduled_until)
            if state is not None:
                _set_state(write, window, state)
            window.save()
            if affected is not None:
                window.affected_services.set(affected)
            if used is not None:
                window.affected_systems.set(used)
            only_state = state is not None and not _edits(
                title, description, starts, ends, services, systems
            )
            action = "maintenance.state" if only_state else "maintenance.edit"
            return _finish(write, window, action, before)
    except rules.IncidentError as error:
        raise _wrap(error) from None


def _edits(*values: object) -> bool:
    return any(v is not None for v in values)


def _open(window: Maintenance) -> None:
    if window.cancelled_at is not None:
        raise MaintenanceError("maintenance", "the window was cancelled; plan a new one")


def _record(write: Write, window: Maintenance, action: str, before: Any, after: Any) -> None:
    record(
        write.actor,
        action,
        organisation=window.organisation,
        target=window,
        label=rules.label(window),
        before=before,
        after=after,
        note=write.note,
    )


def _finish(write: Write, window: Maintenance, action: str, before: Any) -> Maintenance:
    old, new = rules.difference(before, _describe(window))
    if not new:
        write.touched = False  # nothing changed: no revision, no entry
        return window
    window.updated_at = write.now
    window.save(update_fields=["updated_at"])
    _record(write, window, action, old, new)
    return window


def _publish(write: Write, window: Maintenance) -> None:
    if window.published_at is not None:
        raise MaintenanceError("maintenance", "already published")
    if window.scheduled_until <= write.now:
        raise MaintenanceError("scheduled_until", "the window is already over")
    window.published_at = write.now
    window.save(update_fields=["published_at"])


def publish_maintenance(window: Maintenance, actor: Actor) -> Maintenance:
    """Announce a window; one that is already over has nothing left to announce."""
    with revising(actor, structural=False) as write:
        window.refresh_from_db()
        _open(window)
        before = _describe(window)
        _publish(write, window)
        return _finish(write, window, "maintenance.publish", before)


def cancel_maintenance(window: Maintenance, actor: Actor, note: str = "") -> Maintenance:
    """Call a window off: kept and shown as cancelled, never deleted."""
    with revising(actor, note, structural=False) as write:
        window.refresh_from_db()
        _open(window)
        if state_at(window, write.now) == "completed":
            raise MaintenanceError("maintenance", "the window is already completed")
        before = _describe(window)
        window.cancelled_at = write.now
        window.save(update_fields=["cancelled_at"])
        return _finish(write, window, "maintenance.cancel", before)


def _stated(state: str | None) -> None:
    if state is not None and state not in STATED:
        raise MaintenanceError(
            "state",
            f"{state!r} cannot be set; use one of {', '.join(STATED)} "
            "(a window is scheduled until it starts: change its times to postpone it)",
        )


def _set_state(write: Write, window: Maintenance, state: str) -> None:
    if window.published_at is None:
        raise MaintenanceError("state", "publish the window before stating its progress")
    current = state_at(window, write.now)
    if STATE_ORDER[state] < STATE_ORDER[current]:
        raise MaintenanceError("state", f"the window is already {current}; states go forward")
    window.state = state


def set_maintenance_state(window: Maintenance, state: str, actor: Actor) -> Maintenance:
    """State where the work is, forward only: in_progress, verifying, completed.
    A stated state holds until the next one is stated (the clock no longer decides)."""
    return edit_maintenance(window, actor, state=state)

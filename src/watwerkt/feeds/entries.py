"""What the feeds say, as plain entries: status changes and incident news, in words.

Status changes are the effective events of services whose level or
qualifiers changed — what a resident notices — newest first. Who made a
change and why (actor, note, causes) never enters an entry. Incident
updates and maintenance windows link to their own page (a window: its entry
on the incidents page); a feed of some services only carries the news that
names one of them. Texts are in the active language, with the
organisation's language as fallback.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from watwerkt.incidents.maintenance import state_at
from watwerkt.incidents.markdown import render
from watwerkt.incidents.readmodel import IncidentInfo, MaintenanceInfo
from watwerkt.present.incidents import PHASE_WORDS, STATE_WORDS
from watwerkt.present.words import Localiser
from watwerkt.readmodel.machine import published
from watwerkt.readmodel.values import Snapshot
from watwerkt.status.models import StatusEvent

LIMIT = 50  # entries per feed: readers keep what they have seen
SCAN = 2000  # recent service events looked at to find LIMIT changes people notice


@dataclass(frozen=True)
class Entry:
    key: str  # stable and unique within the site: becomes the entry's id / guid
    title: str
    html: str  # the entry's content, already escaped or sanitised
    link: str  # path on this site
    published: datetime
    updated: datetime


def _differs(old: Any, new: Any) -> bool:
    if not old or not new:
        return False  # appeared or removed: a catalogue change, not a status change
    return bool(
        old.get("level") != new.get("level") or old.get("qualifiers") != new.get("qualifiers")
    )


def _status_words(value: Any, loc: Localiser) -> str:
    words = [loc.level(str(value["level"])), *loc.qualifiers(value.get("qualifiers"))]
    return ", ".join(w for w in words if w)


def status_changes(
    snapshot: Snapshot, loc: Localiser, base: str, services: Collection[int] | None = None
) -> list[Entry]:
    """The latest service status changes (of ``services`` only, when given)."""
    events = StatusEvent.objects.filter(
        organisation_id=snapshot.organisation.id, layer="effective", subject="service"
    )
    if services is not None:
        events = events.filter(object_id__in=list(services))
    rows = events.order_by("-id").values_list("id", "at", "object_id", "path", "old", "new")
    by_id = snapshot.service_by_id()
    found = []
    for pk, at, service_id, path, old, new in rows[:SCAN]:
        if not _differs(old, new):
            continue
        service = by_id.get(service_id)
        slug = service.slug if service else str(path).rsplit("/", 1)[-1]
        name = (loc.text(service.name) if service else "") or slug
        now = _status_words(new, loc)
        html = "<p>" + escape(_("Nu: %(now)s.") % {"now": now}) + "<br>"
        html += escape(_("Was: %(before)s.") % {"before": _status_words(old, loc)}) + "</p>"
        link = f"{base}{slug}/" if service else base
        found.append(Entry(f"event/{pk}", f"{name}: {now}", html, link, at, at))
        if len(found) == LIMIT:
            break
    return found


def incident_link(org: str, incident: IncidentInfo) -> str:
    """The incident's own page, in the active language (the feed's)."""
    return reverse("public:incident", kwargs={"org": org, "incident": incident.slug})


def maintenance_link(org: str, window: MaintenanceInfo) -> str:
    """A window's entry on the incidents page: windows have no page of their own."""
    return reverse("public:incidents", kwargs={"org": org}) + f"#o-{window.slug}"


def _update_html(body: Any, loc: Localiser) -> str:
    return str(render(body, loc.language, loc.fallback).html)


def _affects(ids: Collection[int], services: Collection[int] | None) -> bool:
    """Whether news naming services ``ids`` belongs in a feed of ``services`` (None: all)."""
    return services is None or not set(ids).isdisjoint(services)


def incident_updates(
    snapshot: Snapshot, loc: Localiser, services: Collection[int] | None = None
) -> list[Entry]:
    """Every published update of every published incident (that affects one of
    ``services``, when given), one entry each, linked to the incident's page."""
    found = []
    org = snapshot.organisation.slug
    for incident in published(snapshot).incidents:
        if not _affects(incident.service_ids, services):
            continue
        title = loc.text(incident.title) or incident.slug
        link = incident_link(org, incident)
        for update in incident.updates:
            when = update.published_at or update.created_at
            phase = PHASE_WORDS[update.phase]() if update.phase in PHASE_WORDS else update.phase
            found.append(
                Entry(
                    f"update/{update.id}",
                    f"{title}: {phase}",
                    _update_html(update.body, loc),
                    link,
                    when,
                    update.updated_at or when,
                )
            )
    return found


def maintenance_windows(
    snapshot: Snapshot, loc: Localiser, now: datetime, services: Collection[int] | None = None
) -> list[Entry]:
    """Every published maintenance window (that affects one of ``services``, when
    given), one entry each: its announcement is its one update. Its state follows
    the clock, so a feed with these must be a clocked page."""
    org = snapshot.organisation.slug
    return [
        _maintenance_entry(window, loc, org, now)
        for window in published(snapshot).maintenances
        if _affects(window.service_ids, services)
    ]


def _incident_entry(incident: IncidentInfo, loc: Localiser, org: str) -> Entry:
    """An incident as Statuspage's history feed has it: its updates, newest first."""
    parts = []
    for update in incident.updates:
        phase = PHASE_WORDS[update.phase]() if update.phase in PHASE_WORDS else update.phase
        when = loc.moment(update.published_at or update.created_at)
        parts.append(
            f"<p><small>{escape(when)}</small><br><strong>{escape(phase)}</strong></p>"
            + _update_html(update.body, loc)
        )
    published_at = incident.published_at or incident.created_at
    return Entry(
        f"incident/{incident.id}",
        loc.text(incident.title) or incident.slug,
        "".join(parts),
        incident_link(org, incident),
        published_at,
        incident.updated_at,
    )


def _maintenance_entry(window: MaintenanceInfo, loc: Localiser, org: str, now: datetime) -> Entry:
    state = "cancelled" if window.cancelled_at else state_at(window, now)
    when = _("Van %(start)s tot %(end)s") % {
        "start": loc.moment(window.scheduled_for),
        "end": loc.moment(window.scheduled_until),
    }
    html = (
        f"<p><small>{escape(when)}</small><br><strong>{escape(STATE_WORDS[state]())}</strong></p>"
        + _update_html(window.description, loc)
    )
    published_at = window.published_at or window.created_at
    return Entry(
        f"maintenance/{window.id}",
        loc.text(window.title) or window.slug,
        html,
        maintenance_link(org, window),
        published_at,
        window.updated_at,
    )


def history(snapshot: Snapshot, loc: Localiser, now: datetime) -> list[Entry]:
    """Incidents and maintenance windows, most recently published first."""
    org = snapshot.organisation.slug
    entries = [_incident_entry(i, loc, org) for i in published(snapshot).incidents]
    entries += maintenance_windows(snapshot, loc, now)
    return newest_first(entries)


def newest_first(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.published, e.key), reverse=True)[:LIMIT]

"""What the feeds say, as plain entries: status changes and incident news, in words.

Status changes are the effective events of services whose level or
qualifiers changed — what a resident notices — newest first. Who made a
change and why (actor, note, causes) never enters an entry. Texts are in
the active language, with the organisation's language as fallback.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.html import escape
from django.utils.translation import gettext as _

from watwerkt.api.readmodel import published
from watwerkt.incidents.maintenance import state_at
from watwerkt.incidents.markdown import render
from watwerkt.incidents.present import PHASE_WORDS, STATE_WORDS
from watwerkt.incidents.readmodel import IncidentInfo, MaintenanceInfo
from watwerkt.public.snapshot import Snapshot
from watwerkt.public.words import Localiser
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


def _update_html(body: Any, loc: Localiser) -> str:
    return str(render(body, loc.language, loc.fallback).html)


def incident_updates(snapshot: Snapshot, loc: Localiser, base: str) -> list[Entry]:
    """Every published update of every published incident, one entry each."""
    found = []
    for incident in published(snapshot).incidents:
        title = loc.text(incident.title) or incident.slug
        for update in incident.updates:
            when = update.published_at or update.created_at
            phase = PHASE_WORDS[update.phase]() if update.phase in PHASE_WORDS else update.phase
            found.append(
                Entry(
                    f"update/{update.id}",
                    f"{title}: {phase}",
                    _update_html(update.body, loc),
                    base,
                    when,
                    update.updated_at or when,
                )
            )
    return found


def _incident_entry(incident: IncidentInfo, loc: Localiser, base: str) -> Entry:
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
        base,
        published_at,
        incident.updated_at,
    )


def _maintenance_entry(window: MaintenanceInfo, loc: Localiser, base: str, now: datetime) -> Entry:
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
        base,
        published_at,
        window.updated_at,
    )


def history(snapshot: Snapshot, loc: Localiser, base: str, now: datetime) -> list[Entry]:
    """Incidents and maintenance windows, most recently published first."""
    news = published(snapshot)
    entries = [_incident_entry(i, loc, base) for i in news.incidents]
    entries += [_maintenance_entry(m, loc, base, now) for m in news.maintenances]
    return newest_first(entries)


def newest_first(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.published, e.key), reverse=True)[:LIMIT]

"""The maintenance windows of an organisation as an iCalendar (RFC 5545) feed.

Every published window is an event, with a UID that stays the same for the
window's life, so calendar apps update an event rather than adding a second
one; a window called off stays in the feed as ``STATUS:CANCELLED``, which is
how calendars learn to drop it.
"""

from __future__ import annotations

from datetime import UTC

from icalendar import Calendar, Event

from watwerkt.incidents.readmodel import MaintenanceInfo
from watwerkt.present.words import Localiser
from watwerkt.readmodel.values import Snapshot

PRODID = "-//watwerkt//maintenance//EN"


def _event(window: MaintenanceInfo, loc: Localiser, host: str, org: str, link: str) -> Event:
    event = Event()
    event.add("uid", f"maintenance-{window.id}-{org}@{host}")
    event.add("dtstamp", window.updated_at.astimezone(UTC))
    event.add("dtstart", window.scheduled_for.astimezone(UTC))
    event.add("dtend", window.scheduled_until.astimezone(UTC))
    event.add("summary", loc.text(window.title) or window.slug)
    description = loc.text(window.description)
    if description:
        event.add("description", description)
    event.add("status", "CANCELLED" if window.cancelled_at else "CONFIRMED")
    event.add("transp", "TRANSPARENT")  # a city's maintenance does not make *you* busy
    event.add("url", link)
    event.add("created", (window.published_at or window.created_at).astimezone(UTC))
    event.add("last-modified", window.updated_at.astimezone(UTC))
    return event


def calendar(
    snapshot: Snapshot,
    windows: tuple[MaintenanceInfo, ...],
    loc: Localiser,
    title: str,
    host: str,
    link: str,
) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", title)
    org = snapshot.organisation.slug
    for window in sorted(windows, key=lambda w: (w.scheduled_for, w.id)):
        cal.add_component(_event(window, loc, host, org, link))
    return bytes(cal.to_ical())

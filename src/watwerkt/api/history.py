"""History for the native API: a service's events, availability over 90 days, recovery.

A service's history is the effective status events of the service and its
items. Only what the public may see of an event goes out: when, which part,
the level, qualifiers, since, expected return and counts before and after.
Who made the change, through which interface, the note and the cause chains
(which name systems as they were then) stay inside.

Availability and recovery are what the public history pages show, in
figures: the history app's daily rollups and bars
(:func:`watwerkt.history.bars.bars`) and its recovery progress
(:func:`watwerkt.history.recovery.progress`), read, never recomputed here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q

from watwerkt.history import bars, recovery
from watwerkt.history.days import ABSENT, LEVEL_OF, LEVELS, MIXED, Seconds
from watwerkt.incidents.readmodel import Published
from watwerkt.readmodel.values import Service, Snapshot
from watwerkt.status.models import StatusEvent

from .native import Context, Json, _expected, _qualifier, iso, texts

PUBLIC_FIELDS = ("id", "at", "subject", "path", "old", "new")


def _public(value: Mapping[str, Any] | None, tz: ZoneInfo) -> Json | None:
    if value is None:
        return None
    return {
        "level": value["level"],
        "qualifiers": [_qualifier(q) for q in value.get("qualifiers") or ()],
        "since": iso(value.get("since"), tz),
        "expected": _expected(value.get("expected")),
        "derived": bool(value.get("derived")),
        "pinned": bool(value.get("pinned")),
        "counts": {str(k): int(n) for k, n in (value.get("counts") or {}).items()},
    }


def _event(row: Mapping[str, Any], tz: ZoneInfo) -> Json:
    # Paths are organisation/service/function/channel, kept readable in the event
    # so that history names parts the catalogue no longer has.
    parts = str(row["path"]).split("/")
    is_item = row["subject"] == "item" and len(parts) == 4
    return {
        "id": row["id"],
        "at": iso(row["at"], tz),
        "subject": row["subject"],
        "function": parts[2] if is_item else None,
        "channel": parts[3] if is_item else None,
        "before": _public(row["old"], tz),
        "after": _public(row["new"], tz),
    }


def service_history(
    organisation_id: int, service: Service, before: int | None, limit: int, tz: ZoneInfo
) -> tuple[list[Json], int | None]:
    """Up to ``limit`` events, newest first, older than event ``before``; and the
    id to continue from (None when there is nothing older)."""
    items = [i.id for i in service.items]
    events = StatusEvent.objects.filter(organisation_id=organisation_id, layer="effective").filter(
        Q(subject="service", object_id=service.id) | Q(subject="item", object_id__in=items)
    )
    if before is not None:
        events = events.filter(id__lt=before)
    rows = list(events.order_by("-id").values(*PUBLIC_FIELDS)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return [_event(r, tz) for r in rows], (rows[-1]["id"] if more else None)


# -- availability: what each of the last 90 days was ----------------------------------------

DAY_WORDS = {**LEVEL_OF, MIXED: "mixed", ABSENT: "absent"}  # a day's code, in words


def _seconds(spent: Seconds) -> Json:
    return dict(zip(LEVELS, spent, strict=True))


def availability(
    ctx: Context, subject: str, object_id: int, level: str | None, now: datetime, link: str
) -> Json:
    """The last :data:`~watwerkt.history.bars.DAYS` days of one service or domain
    (``subject``), ``level`` being where it stands now: per day its level (or
    "mixed", or "absent" before it existed) and the seconds spent at each level."""
    org = ctx.snapshot.organisation
    shown, found = bars.bars(org.id, org.time_zone, subject, {object_id: level}, [object_id], now)
    bar = found[object_id]
    spent, absent = bars.totals(shown, bar)
    return {
        "from": shown.first.isoformat(),
        "until": iso(shown.until, ctx.tz),
        "time_zone": org.time_zone,
        "totals": {"length": shown.prefix[-1], "seconds": _seconds(spent), "absent": absent},
        "days": [
            {
                "date": figure.day.isoformat(),
                "level": DAY_WORDS[bar.codes[index]],
                "length": figure.length,
                "seconds": _seconds(figure.seconds),
                "absent": figure.absent,
            }
            for index, figure in enumerate(bars.figures(shown, bar))
        ],
        "links": {"self": link},
    }


# -- recovery: how many of the services hit since the incident work again ---------------------


def _curve(curve: recovery.Curve, ctx: Context, until: datetime) -> Json:
    per_day: Sequence[tuple[date, int]] = recovery.per_day(curve, ctx.tz, until)
    return {
        "affected": curve.affected,
        "working": curve.working,
        "points": [{"at": iso(at, ctx.tz), "working": n} for at, n in curve.points],
        "days": [{"date": day.isoformat(), "working": n} for day, n in per_day],
    }


def recovery_progress(ctx: Context, news: Published, now: datetime) -> Json:
    """Recovery since the latest published incident started (else since the first
    outage in the last 90 days): overall and per domain, as the recovery page."""
    snapshot: Snapshot = ctx.snapshot
    services = {
        s.id: recovery.ServiceNow(d.id, s.level) for d in snapshot.domains for s in d.services
    }
    found = recovery.progress(snapshot.organisation.id, services, now)
    # The same incident the history app counts from: the latest started, by title.
    incident = next((i for i in news.incidents if i.title == found.incident), None)
    slugs = {d.id: d.slug for d in snapshot.domains}
    return {
        "incident": None
        if incident is None or found.incident is None
        else {
            "id": incident.slug,
            "title": texts(incident.title),
            "links": {"self": ctx.api("incidents", incident.slug)},
        },
        "start": iso(found.start, ctx.tz),
        "until": iso(found.until, ctx.tz),
        "services": found.total,
        **_curve(found.overall, ctx, found.until),
        "domains": [
            {"id": slugs[d.id], **_curve(found.domains[d.id], ctx, found.until)}
            for d in snapshot.domains
            if d.id in found.domains
        ],
        "links": {"self": ctx.api("recovery")},
    }

"""Recovery progress: how many of the services hit since the incident started work again.

"Work" means what a person came for can be done: the effective level is
*available* or *limited* (:data:`watwerkt.history.days.WORKS`), and the
pages say so. The start is when the organisation's latest published
incident started; without one, the first moment in the last
:data:`~watwerkt.history.bars.DAYS` days at which a service did not work.

A service counts as *affected* when it did not work at some moment since the
start; the curve follows how many affected services work, from the start to
now. Only services in the catalogue now are counted, so the figures agree
with the overview.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from watwerkt.incidents.models import Incident

from .bars import DAYS
from .days import WORKS, boundaries, local_day
from .events import TailEvent, service_events

Texts = Mapping[str, str]
Point = tuple[datetime, int]  # from this moment on, this many work


@dataclass(frozen=True)
class Curve:
    affected: int
    working: int  # of the affected, how many work now
    points: tuple[Point, ...]  # the first at the start


@dataclass(frozen=True)
class Progress:
    start: datetime | None  # None: nothing stopped working in the window
    incident: Texts | None  # the incident's title; None: counted from the first outage
    until: datetime
    total: int  # services now
    overall: Curve
    domains: Mapping[int, Curve] = field(default_factory=dict)


@dataclass(frozen=True)
class ServiceNow:
    domain_id: int
    level: str


def incident_start(org_id: int) -> tuple[datetime, Texts] | None:
    """When the latest published incident started, and its title (drafts are not public)."""
    found = (
        Incident.objects.filter(organisation_id=org_id, published_at__isnull=False)
        .order_by("-started_at", "-id")
        .values_list("started_at", "title")
        .first()
    )
    return (found[0], found[1]) if found else None


def progress(
    org_id: int, services: Mapping[int, ServiceNow], now: datetime, days: int = DAYS
) -> Progress:
    """Recovery of ``services`` (id -> its domain and level now) up to ``now``."""
    incident = incident_start(org_id)
    since = min(incident[0], now) if incident else now - timedelta(days=days)
    events = [e for e in service_events.since(org_id, since) if e[2] in services]
    start = since if incident else first_outage(since, events, services)
    if start is None:
        return Progress(None, None, now, len(services), Curve(0, 0, ()))
    after = events[bisect_left(events, start, key=lambda e: e[0]) :]
    at_start: dict[int, str | None] = {sid: s.level for sid, s in services.items()}
    seen: set[int] = set()
    affected = set()
    for _at, _id, sid, old, new in after:
        if sid not in seen:  # its first change since the start: it stood at "old" before
            seen.add(sid)
            at_start[sid] = old
        if new is not None and new not in WORKS:
            affected.add(sid)
    affected |= {sid for sid, level in at_start.items() if level is not None and level not in WORKS}
    overall, domains = _curves(affected, at_start, after, start, services)
    return Progress(start, incident[1] if incident else None, now, len(services), overall, domains)


def first_outage(
    since: datetime, events: Sequence[TailEvent], services: Mapping[int, ServiceNow]
) -> datetime | None:
    """The first moment from ``since`` on at which one of ``services`` did not work."""
    before: dict[int, str | None] = {sid: s.level for sid, s in services.items()}
    for _at, _id, sid, old, _new in reversed(events):  # the first event of each wins
        before[sid] = old
    if any(level is not None and level not in WORKS for level in before.values()):
        return since
    return next(
        (at for at, _id, _sid, _old, new in events if new is not None and new not in WORKS), None
    )


def _curves(
    affected: set[int],
    at_start: Mapping[int, str | None],
    after: Sequence[TailEvent],
    start: datetime,
    services: Mapping[int, ServiceNow],
) -> tuple[Curve, dict[int, Curve]]:
    """The curve of all affected services and one per domain, in one pass over the events."""
    working = {sid for sid in affected if at_start[sid] in WORKS}
    members: dict[int, int] = defaultdict(int)
    counts: dict[int, int] = defaultdict(int)
    for sid in affected:
        members[services[sid].domain_id] += 1
        counts[services[sid].domain_id] += sid in working
    points: dict[int | None, list[Point]] = {None: [(start, len(working))]}
    for domain_id in members:
        points[domain_id] = [(start, counts[domain_id])]
    total = len(working)
    for at, _id, sid, _old, new in after:
        if sid not in affected or (new in WORKS) == (sid in working):
            continue
        step = 1 if new in WORKS else -1
        if step > 0:
            working.add(sid)
        else:
            working.discard(sid)
        domain_id = services[sid].domain_id
        total += step
        counts[domain_id] += step
        _step(points[None], at, total)
        _step(points[domain_id], at, counts[domain_id])
    now_working = {sid for sid in affected if services[sid].level in WORKS}

    def curve(key: int | None, size: int, among: set[int]) -> Curve:
        return Curve(size, len(among), tuple(points[key]))

    overall = curve(None, len(affected), now_working)
    domains = {
        domain_id: curve(
            domain_id,
            members[domain_id],
            {sid for sid in now_working if services[sid].domain_id == domain_id},
        )
        for domain_id in sorted(members)
    }
    return overall, domains


def _step(points: list[Point], at: datetime, count: int) -> None:
    """From ``at`` on, ``count`` work; several changes at one moment make one step."""
    if points[-1][0] == at:
        points[-1] = (at, count)
    else:
        points.append((at, count))


def per_day(curve: Curve, zone: ZoneInfo, until: datetime) -> list[tuple[date, int]]:
    """How many worked at the end of each local day from the start to today (today: now)."""
    if not curve.points:
        return []
    first, today = local_day(curve.points[0][0], zone), local_day(until, zone)
    ends = boundaries(first, today, zone)[1:]
    ends[-1] = until
    found, index, count = [], 0, curve.points[0][1]
    for i, end in enumerate(ends):
        while index < len(curve.points) and curve.points[index][0] <= end:
            count = curve.points[index][1]
            index += 1
        found.append((first + timedelta(days=i), count))
    return found


DAILY = DAYS  # the per-day list names each of the last 90 days; before that, each month's last


def listed_days(
    days: Sequence[tuple[date, int]], daily: int = DAILY
) -> tuple[list[tuple[date, int]], date | None]:
    """The days of :func:`per_day` that the page lists, and the first of those listed
    every day (None: all are).

    A recovery can go on for years (the demo's incident began in December 2022):
    a row for every day of it made a page of 650 KB. So the last ``daily`` days
    are listed each, and before them only the last day of each month (and the
    day before the daily list, where it ends a month part of the way). The curve
    itself keeps every step.
    """
    if len(days) <= daily:
        return list(days), None
    cut = len(days) - daily
    monthly = [
        day
        for i, day in enumerate(days[:cut])
        if i + 1 == cut or days[i + 1][0].month != day[0].month
    ]
    return [*monthly, *days[cut:]], days[cut][0]

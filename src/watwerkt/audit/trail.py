"""The audit trail as people read it: audit entries and manual status changes,
newest first, filtered, and exported as CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from heapq import merge
from typing import Any, TypeVar

from django.db.models import QuerySet

from watwerkt.status.models import StatusEvent

from .models import AuditEntry


@dataclass(frozen=True)
class TrailEntry:
    at: datetime
    actor: str
    source: str
    organisation_id: int | None
    action: str
    target: str
    before: Any
    after: Any
    note: str


@dataclass(frozen=True)
class Filters:
    organisation_ids: tuple[int, ...] | None = None  # None: every organisation
    actor: str = ""
    source: str = ""
    action: str = ""  # prefix: "incident" matches "incident.publish"
    since: datetime | None = None
    until: datetime | None = None


def _audit(filters: Filters) -> QuerySet[AuditEntry]:
    rows = AuditEntry.objects.order_by("-at", "-id")
    if filters.organisation_ids is not None:
        rows = rows.filter(organisation_id__in=filters.organisation_ids)
    if filters.action:
        rows = rows.filter(action__startswith=filters.action)
    return _common(rows, filters)


def _status(filters: Filters) -> QuerySet[StatusEvent]:
    rows = StatusEvent.objects.filter(layer="manual").order_by("-at", "-id")
    if filters.organisation_ids is not None:
        rows = rows.filter(organisation_id__in=filters.organisation_ids)
    wanted = filters.action
    if wanted.startswith("status.set."):  # e.g. status.set.system
        rows = rows.filter(subject=wanted.removeprefix("status.set."))
    elif not "status.set".startswith(wanted):  # "" and "status" keep every status change
        return rows.none()
    return _common(rows, filters)


Rows = TypeVar("Rows", QuerySet[AuditEntry], QuerySet[StatusEvent])


def _common(rows: Rows, filters: Filters) -> Rows:
    if filters.actor:
        rows = rows.filter(actor=filters.actor)
    if filters.source:
        rows = rows.filter(source=filters.source)
    if filters.since:
        rows = rows.filter(at__gte=filters.since)
    if filters.until:
        rows = rows.filter(at__lt=filters.until)
    return rows


def entries(filters: Filters = Filters()) -> Iterator[TrailEntry]:
    """Every matching write, newest first (streams; no limit is applied here)."""
    audit = (
        TrailEntry(e.at, e.actor, e.source, e.organisation_id, e.action, e.target,
                   e.before, e.after, e.note)
        for e in _audit(filters).iterator()
    )  # fmt: skip
    status = (
        TrailEntry(e.at, e.actor, e.source, e.organisation_id, f"status.set.{e.subject}",
                   e.path, e.old, e.new, e.note)
        for e in _status(filters).iterator()
    )  # fmt: skip
    return merge(audit, status, key=lambda e: e.at, reverse=True)


FIELDS = ["at", "actor", "source", "organisation_id", "action", "target", "before", "after",
          "note"]  # fmt: skip


def as_json(rows: Iterable[TrailEntry]) -> str:
    return json.dumps(
        [{**asdict(r), "at": r.at.isoformat()} for r in rows], ensure_ascii=False, indent=1
    )


def as_csv(rows: Iterable[TrailEntry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(FIELDS)
    for r in rows:
        values = asdict(r)
        values["at"] = r.at.isoformat()
        for key in ("before", "after"):
            values[key] = json.dumps(values[key], ensure_ascii=False, sort_keys=True)
        writer.writerow([_no_formula(values[f]) for f in FIELDS])
    return out.getvalue()


def _no_formula(value: Any) -> Any:
    """Keep spreadsheets from running text as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text

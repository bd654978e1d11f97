"""A service's history: the effective status events of the service and its items.

Only what the public may see of an event goes out: when, which part, the
level, qualifiers, since, expected return and counts before and after. Who
made the change, through which interface, the note and the cause chains
(which name systems as they were then) stay inside.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q

from watwerkt.public.snapshot import Service
from watwerkt.status.models import StatusEvent

from .native import Json, _expected, _qualifier, iso

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

"""What the machine outputs read besides the public snapshot: published incidents and
maintenance (from :mod:`watwerkt.incidents.readmodel`), and when each service
and domain first and last had a status.

Like :mod:`watwerkt.readmodel.snapshot`, everything here is plain values, loaded
in a fixed handful of queries and kept per catalogue revision.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db.models import Min

from watwerkt.incidents import readmodel as incidents_readmodel
from watwerkt.incidents.readmodel import Published
from watwerkt.status.models import EffectiveStatus, StatusEvent
from watwerkt.status.revision import RevisionState

from .values import Snapshot

T = TypeVar("T")


class PerRevision:
    """Values computed once per catalogue revision and key, dropped when the revision moves.

    Keyed on the revision's number *and* time, like the snapshot cache, so a
    restored database never serves values computed for a reused number.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._revision: RevisionState | None = None
        self._values: dict[Hashable, object] = {}

    def get(self, revision: RevisionState, key: Hashable, build: Callable[[], T]) -> T:
        with self._lock:
            if revision != self._revision:
                self._revision, self._values = revision, {}
            if key in self._values:
                return self._values[key]  # type: ignore[return-value]
        value = build()  # outside the lock: a slow build must not hold up other keys
        with self._lock:
            if revision == self._revision:
                self._values[key] = value
        return value

    def clear(self) -> None:
        with self._lock:
            self._revision, self._values = None, {}


cache = PerRevision()


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """An organisation's time zone; the site's own when the name is not a known zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def moment(value: str | datetime | None) -> datetime | None:
    """A stored time (ISO text in status values, a datetime in columns) as a datetime."""
    if value is None or value == "":
        return None
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def published(snapshot: Snapshot) -> Published:
    """The organisation's published incidents and maintenance, as of the snapshot's revision
    (read through the incidents app's own read model, which never loads a draft)."""
    found = incidents_readmodel.published.get(snapshot.organisation.slug, snapshot.revision)
    if found is None:  # the organisation went away between two reads: nothing published
        return Published(snapshot.organisation.id, snapshot.organisation.language, (), (), {})
    return found


@dataclass(frozen=True)
class Times:
    """When a service or domain first had a status (entered the catalogue) and last changed."""

    created: dict[tuple[str, int], datetime]
    updated: dict[tuple[str, int], datetime]


def load_times(org_id: int) -> Times:
    subjects = ("service", "domain")
    updated = {
        (subject, pk): at
        for subject, pk, at in EffectiveStatus.objects.filter(
            organisation_id=org_id, subject__in=subjects
        ).values_list("subject", "object_id", "changed_at")
    }
    # A subject's first effective event has no old value: that is when it appeared.
    created = {
        (row["subject"], row["object_id"]): row["first"]
        for row in StatusEvent.objects.filter(
            organisation_id=org_id, layer="effective", subject__in=subjects, old__isnull=True
        )
        .values("subject", "object_id")
        .annotate(first=Min("at"))
        .order_by()
    }
    return Times(created, updated)


def times(org_id: int, revision: RevisionState) -> Times:
    return cache.get(revision, ("times", org_id), lambda: load_times(org_id))


# END

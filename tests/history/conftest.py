"""Fixtures for history: a controlled clock, catalogues built at a moment, and the reference."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import Catalogue, build_small_catalogue
from tests.history.reference import day_seconds
from watwerkt.catalogue.models import Organisation
from watwerkt.history import bars, events
from watwerkt.status.models import StatusEvent

BRUSSELS = ZoneInfo("Europe/Brussels")
_numbers = itertools.count(1)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A moment in Brussels, as the UTC instant the database stores."""
    return datetime(year, month, day, hour, minute, tzinfo=BRUSSELS).astimezone(UTC)


class Clock:
    """Time stands still until moved, so every write's moment is known to the second."""

    def __init__(self, start: datetime) -> None:
        self.traveller = time_machine.travel(start, tick=False)
        self.shift = self.traveller.start()

    def to(self, moment: datetime) -> datetime:
        self.shift.move_to(moment)
        return moment

    def forward(self, **delta: float) -> datetime:
        return self.to(self.now() + timedelta(**delta))

    @staticmethod
    def now() -> datetime:
        from django.utils import timezone

        return timezone.now()

    def stop(self) -> None:
        self.traveller.stop()


@pytest.fixture
def clock() -> Iterator[Clock]:
    found = Clock(local(2023, 1, 10, 9))
    yield found
    found.stop()


def small_at(clock: Clock, moment: datetime) -> Catalogue:
    """The small catalogue of tests/factories.py, built at ``moment``, under a fresh slug."""
    clock.to(moment)
    catalogue = build_small_catalogue()
    slug = f"stad{next(_numbers)}"
    Organisation.objects.filter(pk=catalogue.org.pk).update(slug=slug)
    catalogue.org.slug = slug
    return catalogue


def reference(
    org: Organisation, subject: str, days: list[date], until: datetime
) -> dict[int, list[tuple[int, tuple[int, ...]]]]:
    """Per subject, the seconds per level of each day, replayed from every event forward."""
    changes: dict[int, list[tuple[datetime, str | None]]] = defaultdict(list)
    rows = StatusEvent.objects.filter(organisation=org, layer="effective", subject=subject)
    for object_id, at, new in rows.order_by("at", "id").values_list("object_id", "at", "new"):
        changes[object_id].append((at, new["level"] if new else None))
    return {
        object_id: day_seconds(None, found, days, ZoneInfo(org.time_zone), until)
        for object_id, found in changes.items()
    }


def shown(
    org: Organisation, subject: str, now: datetime, days: int
) -> tuple[bars.Window, dict[int, list[tuple[int, tuple[int, ...]]]]]:
    """What the rollups say, per subject: each day's length and seconds per level."""
    current = {key[1]: level for key, level in events.current_levels(org.pk, [subject]).items()}
    window, found = bars.bars(org.pk, org.time_zone, subject, current, now=now, days=days)
    return window, {
        object_id: [(f.length, f.seconds) for f in bars.figures(window, bar)]
        for object_id, bar in found.items()
    }


def stored_rows(org: Organisation) -> list[tuple[str, int, date, str, str]]:
    from watwerkt.history.models import DayRollup

    return sorted(
        DayRollup.objects.filter(organisation=org).values_list(
            "subject", "object_id", "first_day", "days", "mixed"
        )
    )

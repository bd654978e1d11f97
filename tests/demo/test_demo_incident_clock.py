"""The demo with the clock set before its story: no incident yet.

In a module of its own: the other demo tests share one loaded demo for their
module, which already holds the incident.
"""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO

import time_machine
from django.core.management import call_command

from watwerkt.audit.models import AuditEntry
from watwerkt.incidents.models import Incident


def test_with_the_clock_before_the_story_the_demo_comes_without_its_incident(db: None) -> None:
    out = StringIO()
    with time_machine.travel(datetime(2023, 2, 1, 9, 0, tzinfo=UTC), tick=False):
        call_command("demo", stdout=out)
    assert "The demo incident is dated after the current time: left out." in out.getvalue()
    assert not Incident.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="incident").exists()

"""Large catalogues: queries in batches, never one per row."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.authoring.helpers import load
from watwerkt.audit.models import AuditEntry
from watwerkt.catalogue.models import FunctionChannel
from watwerkt.status.models import StatusEvent

pytestmark = pytest.mark.django_db


def catalogue(services: int, level: str = "limited", org: str = "stad") -> dict[str, Any]:
    """``services`` services of two functions on two channels, each with a
    status, a dependency and an alternative; systems in a chain."""
    systems = [{"id": f"sys-{i}", "name": f"Systeem {i}"} for i in range(10)]
    for i, system in enumerate(systems[1:], start=1):
        system["depends"] = [f"sys-{i - 1}"]
    return {
        "watwerkt": 1,
        "organisations": [
            {
                "id": org,
                "name": org.title(),
                "channels": [
                    {"id": "web", "kind": "online", "name": "Web"},
                    {"id": "loket", "kind": "counter", "name": "Loket"},
                ],
                "systems": systems,
                "domains": [
                    {
                        "id": "alles",
                        "name": "Alles",
                        "services": [
                            {
                                "id": f"dienst-{n}",
                                "name": f"Dienst {n}",
                                "depends": [f"sys-{n % 10}"],
                                "functions": [
                                    {
                                        "id": function,
                                        "name": function.title(),
                                        "channels": [
                                            {
                                                "channel": "web",
                                                "status": {"level": level},
                                                "alternatives": [
                                                    {
                                                        "kind": "channel",
                                                        "channel": "loket",
                                                        "text": "Kom langs.",
                                                    }
                                                ],
                                            },
                                            "loket",
                                        ],
                                    }
                                    for function in ("aanvragen", "betalen")
                                ],
                            }
                            for n in range(services)
                        ],
                    }
                ],
            }
        ],
    }


def queries(data: dict[str, Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        load(data)
    return len(captured.captured_queries)


def test_an_import_needs_no_query_per_row() -> None:
    few = queries(catalogue(5, org="klein"))
    # 1,000 more rows, and an audit entry for most: only more insert batches (SQLite
    # takes at most 999 parameters a query, so about 90 audit entries a batch)
    many = queries(catalogue(60, org="groot"))
    assert FunctionChannel.objects.count() == 4 * (5 + 60)
    rows = AuditEntry.objects.filter(organisation__slug="groot").count()
    assert rows > 600
    assert many - few < 15 + rows // 80


def test_changing_many_statuses_records_one_manual_event_each_in_few_queries() -> None:
    load(catalogue(40))
    events = StatusEvent.objects.filter(layer="manual").count()
    few = queries(catalogue(40, level="unavailable"))
    assert StatusEvent.objects.filter(layer="manual").count() == events + 80
    assert few < 60

"""The audit trail: recorded writes, merged with status changes, filtered, exported."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from tests.factories import TEST_ACTOR, Catalogue
from watwerkt.audit.models import AuditEntry
from watwerkt.audit.services import record
from watwerkt.audit.trail import Filters, as_csv, as_json, entries
from watwerkt.engine import SystemState
from watwerkt.status.models import AppendOnlyError
from watwerkt.status.services import SystemChange, set_system
from watwerkt.status.writing import Actor

COMMS = Actor("comms", "console")


def test_a_recorded_write_names_who_what_and_the_values(small: Catalogue) -> None:
    entry = record(COMMS, "incident.publish", organisation=small.org, target=small.org,
                   before={"published": False}, after={"published": True})  # fmt: skip
    assert (entry.actor, entry.source, entry.action) == ("comms", "console", "incident.publish")
    assert (entry.target_type, entry.target_id, entry.target) == (
        "catalogue.organisation",
        str(small.org.pk),
        "stad",
    )


def test_the_trail_merges_status_changes_newest_first(small: Catalogue) -> None:
    record(COMMS, "incident.create", organisation=small.org, label="stad/cyberaanval")
    set_system(small.systems["register"], SystemChange(SystemState.DOWN), Actor("ops", "cli"))
    rows = list(entries())
    assert [r.action for r in rows] == ["status.set.system", "incident.create"]
    assert rows[0].target == "stad/register"
    assert (rows[0].before["state"], rows[0].after["state"]) == ("up", "down")


def test_the_trail_filters_by_organisation_actor_source_action_and_time(
    small: Catalogue,
) -> None:
    record(COMMS, "incident.create", organisation=small.org)
    record(Actor("admin", "cli"), "user.add", organisation=None, label="piet")
    set_system(small.systems["register"], SystemChange(SystemState.DOWN), TEST_ACTOR)

    def actions(**kwargs: object) -> list[str]:
        return [r.action for r in entries(Filters(**kwargs))]  # type: ignore[arg-type]

    assert actions(organisation_ids=(small.org.pk,)) == ["status.set.system", "incident.create"]
    assert actions(actor="admin") == ["user.add"]
    assert actions(source="console") == ["incident.create"]
    assert actions(action="incident") == ["incident.create"]
    assert actions(action="status.set.system") == ["status.set.system"]
    assert actions(action="status.set.item") == []
    assert actions(since=timezone.now() + timedelta(minutes=1)) == []


def test_the_trail_exports_as_json_and_csv(small: Catalogue) -> None:
    record(COMMS, "incident.create", organisation=small.org, after={"title": "Cyberaanval"})
    record(COMMS, "note", organisation=small.org, note='=HYPERLINK("http://x")')
    data = json.loads(as_json(entries()))
    assert data[1]["after"] == {"title": "Cyberaanval"}
    table = list(csv.DictReader(io.StringIO(as_csv(entries()))))
    assert table[1]["action"] == "incident.create"
    assert json.loads(table[1]["after"]) == {"title": "Cyberaanval"}
    assert table[0]["note"].startswith("'=")  # a spreadsheet shows it, never runs it


def test_entries_cannot_be_changed_or_deleted(small: Catalogue) -> None:
    entry = record(COMMS, "incident.create", organisation=small.org)
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    for sql in ("UPDATE audit_auditentry SET actor = 'x'", "DELETE FROM audit_auditentry"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            connection.cursor().execute(sql)
    assert AuditEntry.objects.get().actor == "comms"

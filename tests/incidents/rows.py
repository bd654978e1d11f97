"""The rows a refused incident, maintenance or notice write must leave as they were."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from watwerkt.audit.models import AuditEntry
from watwerkt.catalogue.models import Instruction, Measure
from watwerkt.incidents.models import Incident, IncidentUpdate, Maintenance, RecoveryTarget
from watwerkt.status.revision import current_revision


def state() -> tuple[Any, ...]:
    """Everything an incident, maintenance or notice write may change (the console's
    incident pages included), to compare before and after a refused write."""
    models: list[type[Model]] = [
        Incident, IncidentUpdate, RecoveryTarget, Maintenance, Instruction, Measure
    ]  # fmt: skip
    rows = tuple(tuple(model._default_manager.order_by("pk").values()) for model in models)
    links = tuple(
        tuple(m.objects.order_by("pk").values_list("pk", flat=True))
        for m in (
            Incident.affected_services.through,
            Incident.affected_systems.through,
            Maintenance.affected_services.through,
            Maintenance.affected_systems.through,
        )
    )
    return current_revision(), AuditEntry.objects.count(), rows, links

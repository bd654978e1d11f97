"""Record a write in the audit trail: call :func:`record` inside the write's transaction."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from watwerkt.catalogue.models import Organisation
from watwerkt.status.writing import Actor

from .models import AuditEntry


def record(
    actor: Actor,
    action: str,
    *,
    organisation: Organisation | None,
    target: models.Model | None = None,
    label: str = "",
    before: Any = None,
    after: Any = None,
    note: str = "",
) -> AuditEntry:
    """One audit entry: ``actor`` did ``action`` (a dotted verb such as
    ``incident.publish``) to ``target`` (shown as ``label``), with the values
    before and after (JSON-serialisable, without secrets)."""
    return AuditEntry.objects.create(
        at=timezone.now(),
        actor=actor.name,
        source=actor.source,
        organisation=organisation,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target=label or (str(target) if target is not None else ""),
        before=before,
        after=after,
        note=note,
    )

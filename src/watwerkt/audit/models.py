"""The audit trail of every write that is not a status change.

Status changes are already recorded, with who, when, from where, old and new,
as manual :class:`~watwerkt.status.models.StatusEvent` rows; the trail shows
those together with these entries (see :mod:`watwerkt.audit.trail`), so no
write is recorded twice. Entries are append-only, like status events: the
model refuses changes and database triggers (migration 0002) refuse them too.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from watwerkt.catalogue.models import Organisation
from watwerkt.status.models import SOURCES, AppendOnlyError


class AuditEntry(models.Model):
    at = models.DateTimeField(db_index=True)
    actor = models.CharField(max_length=200)  # user name, token name, "demo", "cli"
    source = models.CharField(max_length=16, choices=[(s, s) for s in SOURCES])
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=64)  # e.g. "incident.update.publish", "user.role"
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target = models.CharField(max_length=300, blank=True)  # readable: "antwerpen/cyberaanval"
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["organisation", "id"], name="audit_org")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit entries are append-only")

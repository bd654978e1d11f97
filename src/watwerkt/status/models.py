"""Status history and the revision counter.

Every change to a status — what a person, an import or a probe said
(``layer="manual"``) and what the engine derived from it
(``layer="effective"``) — is one :class:`StatusEvent` row. Rows are never
updated or deleted: the model refuses, and database triggers (migration
0002) refuse too, so history cannot be rewritten from the product.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from watwerkt.catalogue.models import Organisation

SUBJECTS = ["system", "item", "service", "domain", "organisation"]
SUBJECT_CHOICES = [(s, s) for s in SUBJECTS]
SOURCES = ["cli", "import", "console", "api", "probe", "demo"]


class Revision(models.Model):
    """One row; ``number`` goes up by one in every write transaction.

    Taking it first in a write serialises writers (a row lock on PostgreSQL,
    the write lock on SQLite), and public responses use it as their ETag.

    ``structure`` goes up only in writes that may change more than statuses
    and what the public snapshot reads besides (the catalogue, a help text, a
    name; not an incident: see ``Write.structural``). While it stays, every
    change the snapshot shows is in the status events or the incident updates'
    publication, so a process holding it can follow instead of reading everything again.
    """

    number = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True)
    structure = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.number)


class AppendOnlyError(RuntimeError):
    pass


class StatusEvent(models.Model):
    at = models.DateTimeField(db_index=True)
    revision = models.BigIntegerField()
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, related_name="+"
    )
    subject = models.CharField(max_length=16, choices=SUBJECT_CHOICES)
    object_id = models.BigIntegerField()
    path = models.CharField(max_length=300)  # readable: org/service/function/channel
    layer = models.CharField(
        max_length=9, choices=[("manual", "manual"), ("effective", "effective")]
    )
    source = models.CharField(max_length=16, choices=[(s, s) for s in SOURCES])
    actor = models.CharField(max_length=200)
    old = models.JSONField(null=True)
    new = models.JSONField(null=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["subject", "object_id", "layer", "id"], name="event_subject"),
            models.Index(fields=["organisation", "layer", "id"], name="event_org"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.layer} {self.path}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("status events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("status events are append-only")


class EffectiveStatus(models.Model):
    """The engine's current answer for one subject, as last written.

    Always equal to the ``new`` of the subject's latest effective event; kept
    as a table so that reads need no replay and writes can tell what changed.
    """

    subject = models.CharField(max_length=16, choices=SUBJECT_CHOICES)
    object_id = models.BigIntegerField()
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, related_name="+"
    )
    value = models.JSONField()
    revision = models.BigIntegerField()
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subject", "object_id"], name="effective_unique")
        ]

    def __str__(self) -> str:
        return f"{self.subject}:{self.object_id}"

"""Incidents, their dated updates and recovery targets, and planned maintenance.

Phases and impacts use Atlassian Statuspage's words, so the Statuspage
compatible API can publish them unchanged; the console and the public site
show them in people's language. Texts are Markdown per language
(``{"nl": ..., "en": ...}``), sanitised when rendered.
"""

from __future__ import annotations

from django.db import models

from watwerkt.catalogue.models import Organisation, Service, System, translated

PHASES = ["investigating", "identified", "monitoring", "resolved", "postmortem"]
OPEN_PHASES = ["investigating", "identified", "monitoring"]
IMPACTS = ["none", "minor", "major", "critical"]
MAINTENANCE_STATES = ["scheduled", "in_progress", "verifying", "completed"]


class Incident(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="incidents"
    )
    slug = models.SlugField(max_length=64)
    title = translated()
    phase = models.CharField(max_length=16, choices=[(p, p) for p in PHASES])
    impact = models.CharField(max_length=8, choices=[(i, i) for i in IMPACTS], default="major")
    started_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)  # None: a draft
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    # The four sections people look for, kept current by the comms team.
    known = translated()  # what we know
    unknown = translated()  # what we don't know yet
    to_do = translated()  # what you need to do
    data_protection = translated()
    affected_systems = models.ManyToManyField(System, blank=True, related_name="incidents")
    affected_services = models.ManyToManyField(Service, blank=True, related_name="incidents")

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="incident_unique_slug")
        ]

    def __str__(self) -> str:
        return self.slug


class IncidentUpdate(models.Model):
    """A dated update: what changed, in Markdown, in one or more languages."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="updates")
    phase = models.CharField(max_length=16, choices=[(p, p) for p in PHASES])
    body = translated()
    author = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(null=True, blank=True)  # last edit (Statuspage shows it)
    published_at = models.DateTimeField(null=True, blank=True)  # None: a draft

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.phase} {self.created_at:%Y-%m-%d %H:%M}"


class RecoveryTarget(models.Model):
    """A promise with a date: "reservations work again by 31 March"."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="targets")
    text = translated()
    system = models.ForeignKey(System, on_delete=models.SET_NULL, null=True, blank=True)
    service = models.ForeignKey(Service, on_delete=models.SET_NULL, null=True, blank=True)
    target = models.DateField(null=True, blank=True)
    reached_at = models.DateTimeField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.target}"


class Maintenance(models.Model):
    """Planned unavailability, announced before it starts.

    ``state`` is the state a person set explicitly, or "" while the clock
    decides (scheduled before the window, in progress during it, completed
    after it): read the state through
    :func:`watwerkt.incidents.maintenance.state_at`, never from the column.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="maintenances"
    )
    slug = models.SlugField(max_length=64)
    title = translated()
    description = translated()
    state = models.CharField(
        max_length=12,
        choices=[("", "by the clock"), *((s, s) for s in MAINTENANCE_STATES)],
        default="",
        blank=True,
    )
    scheduled_for = models.DateTimeField()
    scheduled_until = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)  # None: a draft
    cancelled_at = models.DateTimeField(null=True, blank=True)  # called off; kept, not deleted
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    affected_systems = models.ManyToManyField(System, blank=True, related_name="maintenances")
    affected_services = models.ManyToManyField(Service, blank=True, related_name="maintenances")

    class Meta:
        ordering = ["-scheduled_for", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "slug"], name="maintenance_unique_slug"
            ),
            models.CheckConstraint(
                condition=models.Q(scheduled_until__gt=models.F("scheduled_for")),
                name="maintenance_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.slug

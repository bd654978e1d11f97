"""Daily rollups: what the status events say about each local day, stored compactly.

The status events (:class:`~watwerkt.status.models.StatusEvent`, effective
layer) are the only source of truth; these rows are derived from them and can
be rebuilt at any time (``watwerkt history rollup --since DATE``). They exist
because replaying months of events for thousands of services on every page
view is too slow, and because one row per service *per day* is too slow too:
reading 450,000 rows for 5,000 services x 90 days takes longer than the whole
page may. So each service (and domain) has one row, with one character per
closed local day (see :mod:`watwerkt.history.days` for the codes), and the
seconds per level of the few days on which the level changed.
"""

from __future__ import annotations

from django.db import models

from watwerkt.catalogue.models import Organisation

SUBJECTS = ("service", "domain")


class DayRollup(models.Model):
    """The closed days of one service or domain.

    ``days[i]`` describes local day ``first_day + i``: a level code when the
    whole day was at that level, ``.`` when the subject did not exist, ``*``
    when it was at several levels. The k-th ``*`` has the k-th entry of
    ``mixed`` (``;``-separated), which holds the seconds spent at each level,
    as ``available,limited,unknown,maintenance,unavailable``; the rest of that
    day the subject did not exist. Days after the end of ``days`` (up to the
    organisation's :class:`RollupState`) are days the subject did not exist.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=16, choices=[(s, s) for s in SUBJECTS])
    object_id = models.BigIntegerField()
    first_day = models.DateField()
    days = models.TextField()
    mixed = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subject", "object_id"], name="rollup_unique")
        ]
        indexes = [models.Index(fields=["organisation", "subject"], name="rollup_org")]

    def __str__(self) -> str:
        return f"{self.subject}:{self.object_id} from {self.first_day}"


class RollupState(models.Model):
    """How far an organisation's rollups go, and in which time zone days were cut.

    Taking this row's lock is how one process at a time stores days; the
    others wait, then find the work done.
    """

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="+")
    through = models.DateField(null=True)  # the last local day stored; None: none yet
    time_zone = models.CharField(max_length=64)
    stored_at = models.DateTimeField()
    # One more on every store: caches of stored days compare it (see bars.ClosedCache).
    generation = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.organisation_id} through {self.through}"

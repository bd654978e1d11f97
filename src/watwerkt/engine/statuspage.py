"""Map watwerkt levels onto the enums of Atlassian Statuspage's public v2 API.

Statuspage knows five component statuses and four page indicators; existing
clients reject anything else, so every watwerkt level has exactly one image.
"""

from __future__ import annotations

from collections.abc import Iterable

from .graph import Status
from .levels import Level

OPERATIONAL = "operational"
DEGRADED = "degraded_performance"
PARTIAL = "partial_outage"
MAJOR = "major_outage"
MAINTENANCE = "under_maintenance"


def component_status(status: Status) -> str:
    """The Statuspage component status of an item or roll-up.

    ``limited`` is a partial outage when some part of it does not work at all
    (a service whose collection is unavailable while applications are
    accepted), and degraded performance when everything works with limits.
    ``unknown`` has no Statuspage word; it reads as degraded performance, the
    mildest status that still tells a client to look closer.
    """
    if status.level == Level.AVAILABLE:
        return OPERATIONAL
    if status.level == Level.UNAVAILABLE:
        return MAJOR
    if status.level == Level.MAINTENANCE:
        return MAINTENANCE
    if status.level == Level.LIMITED and any(
        level >= Level.MAINTENANCE and n for level, n in status.counts
    ):
        return PARTIAL
    return DEGRADED


INDICATOR_DESCRIPTIONS = {
    "none": "All Systems Operational",
    "minor": "Minor Service Outage",
    "major": "Partial System Outage",
    "critical": "Major System Outage",
}


def page_status(component_statuses: Iterable[str]) -> tuple[str, str]:
    """The page ``indicator`` and ``description`` for a list of component statuses."""
    statuses = list(component_statuses)
    present = set(statuses)
    if MAJOR in present and present <= {MAJOR, MAINTENANCE}:
        indicator = "critical"
    elif MAJOR in present or PARTIAL in present:
        indicator = "major"
    elif DEGRADED in present:
        indicator = "minor"
    else:
        indicator = "none"
    if indicator == "none" and MAINTENANCE in present:
        return indicator, "Service Under Maintenance"
    return indicator, INDICATOR_DESCRIPTIONS[indicator]

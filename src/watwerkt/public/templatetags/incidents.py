"""Template tags for showing incidents on other pages (the overview's banner)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from watwerkt.incidents.readmodel import published
from watwerkt.present import incidents as present
from watwerkt.status.revision import revision_state

register = template.Library()


@register.inclusion_tag("incidents/fragment_banner.html")
def incident_banner(organisation: str) -> dict[str, Any]:
    """Unresolved incidents and maintenance now or to come of ``organisation``
    (a slug): nothing at all when there are none."""
    found = published.get(organisation, revision_state())
    if found is None:
        return {"banner": None}
    return {"banner": present.banner(organisation, found, timezone.now())}

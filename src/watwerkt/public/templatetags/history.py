"""Template tags of the history app: the history part of a service page."""

from __future__ import annotations

from django import template
from django.utils import timezone

from watwerkt.present import history as present
from watwerkt.present.service import ServicePage
from watwerkt.readmodel.snapshot import current

register = template.Library()

RECENT = 5  # changes shown on the service page itself; its history page has them all


@register.simple_tag
def service_history(page: ServicePage) -> present.ServiceHistory | None:
    """The bar and latest changes of the service that ``page`` shows."""
    snapshot = current(page.org_slug)
    found = snapshot.service(page.line.key) if snapshot else None
    if snapshot is None or found is None:
        return None
    return present.service_history(snapshot, found, timezone.now(), limit=RECENT)

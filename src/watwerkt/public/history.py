"""Public history pages: an organisation's 90 days, a service's changes, recovery progress.

Views only find what was asked for and hand it to a template; what the pages
say is decided in :mod:`watwerkt.present.history`. Responses go through the
public site's :class:`~watwerkt.public.pages.PublicPage` (ETag, 304, the page
cache), which is told that these pages also change when time passes, not only
when the catalogue does (:class:`DatedPage`).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from watwerkt.present import history as present
from watwerkt.present.overview import localiser_of
from watwerkt.readmodel.values import Snapshot

from .pages import DatedPage, PublicPage


def _crumbs(page: PublicPage, snapshot: Snapshot) -> dict[str, str]:
    return {
        "home": reverse("public:index") if len(page.organisations()) > 1 else "",
        "overview_url": reverse("public:overview", kwargs={"org": snapshot.organisation.slug}),
    }


SECTIONS = mark_safe("<!-- the domains' sections -->")


def organisation_html(
    history: present.OrganisationHistory, context: dict[str, Any], request: HttpRequest | None
) -> str:
    """The organisation's history page: the template with the domains' sections put in.

    The sections are most of the page (7 MiB for 5,000 services), and every level
    of a Django template copies what it renders: handed in as a value, they were
    copied some ten times (50 ms). So the template renders a marker, and the
    sections go in its place in one join.
    """
    page = render_to_string(
        "history/organisation.html", {"h": history, "sections": SECTIONS, **context}, request
    )
    head, marker, tail = page.partition(SECTIONS)
    return "".join([head, *history.sections(), tail]) if marker else page


@require_safe
def organisation(request: HttpRequest, org: str) -> HttpResponseBase:
    page = DatedPage(request)
    snapshot, now = page.dated(org)

    def build() -> HttpResponseBase:
        with timezone.override(snapshot.organisation.time_zone):
            crumbs = _crumbs(page, snapshot)
            history = present.organisation_history(snapshot, now, crumbs["overview_url"])
            return HttpResponse(organisation_html(history, crumbs, request))

    return page.respond(build)


@require_safe
def service(request: HttpRequest, org: str, service: str) -> HttpResponseBase:
    page = DatedPage(request)
    snapshot, now = page.dated(org)
    found = snapshot.service(service)
    if found is None:
        raise Http404("no such service")

    def build() -> HttpResponseBase:
        with timezone.override(snapshot.organisation.time_zone):
            crumbs = _crumbs(page, snapshot)
            context = {
                "h": present.service_history(snapshot, found, now),
                "service_url": f"{crumbs['overview_url']}{found.slug}/",
                "organisation": localiser_of(snapshot).text(snapshot.organisation.name) or org,
                **crumbs,
            }
            return render(request, "history/service.html", context)

    return page.respond(build)


@require_safe
def recovery(request: HttpRequest, org: str) -> HttpResponseBase:
    page = DatedPage(request)
    snapshot, now = page.dated(org)

    def build() -> HttpResponseBase:
        with timezone.override(snapshot.organisation.time_zone):
            context = {"r": present.recovery_view(snapshot, now), **_crumbs(page, snapshot)}
            return render(request, "history/recovery.html", context)

    return page.respond(build)

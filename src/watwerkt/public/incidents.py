"""The public incident pages: the list (incidents and maintenance) and one incident.

Views find what was asked for and hand it to a template; what the pages say
is decided in :mod:`.present`. Drafts are not in the read model, so a draft's
address is a 404 like any unknown one.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from watwerkt.incidents.readmodel import published
from watwerkt.lib.i18n import pick
from watwerkt.present import incidents as present
from watwerkt.present.foreign import marked
from watwerkt.readmodel.values import Snapshot

from .pages import ClockedPage, PublicPage


def _context(page: PublicPage, snapshot: Snapshot) -> dict[str, str]:
    org = snapshot.organisation
    return {
        "organisation": marked(pick(org.name, page.language, org.language), page.language)
        or org.slug,
        "overview_url": reverse("public:overview", kwargs={"org": org.slug}),
        "incidents_url": reverse("public:incidents", kwargs={"org": org.slug}),
        "home": reverse("public:index") if len(page.organisations()) > 1 else "",
    }


@require_safe
def incidents(request: HttpRequest, org: str) -> HttpResponseBase:
    """Current and past incidents, maintenance now, to come and done."""
    page = ClockedPage(request, query=())
    snapshot = page.snapshot(org)
    found = page.published(org)

    def build() -> HttpResponseBase:
        with timezone.override(snapshot.organisation.time_zone):
            context = {
                "p": present.incidents_page(found, snapshot, page.now),
                **_context(page, snapshot),
            }
            return render(request, "incidents/incidents.html", context)

    return page.respond(build)


@require_safe
def incident(request: HttpRequest, org: str, incident: str) -> HttpResponseBase:
    """One published incident in full (nothing on it changes with the clock)."""
    page = PublicPage(request, query=())
    snapshot = page.snapshot(org)
    info = published.get(org, page.revision)
    found = info.incident(incident) if info else None
    if info is None or found is None:
        raise Http404("no such incident")

    def build() -> HttpResponseBase:
        with timezone.override(snapshot.organisation.time_zone):
            context = {
                "i": present.incident(found, present.Words.of(snapshot, info)),
                **_context(page, snapshot),
            }
            return render(request, "incidents/incident.html", context)

    return page.respond(build)

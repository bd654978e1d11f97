"""The public site: the organisations, an organisation's overview, a service page.

Views only find what was asked for and hand it to a template; what the pages
say is decided in :mod:`watwerkt.present.overview` and :mod:`watwerkt.present.service`.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from watwerkt.present import overview as present
from watwerkt.present.service import service_page
from watwerkt.present.words import Localiser

from .pages import ClockedPage, PublicPage


@require_safe
def index(request: HttpRequest) -> HttpResponseBase:
    """Every organisation; straight to the overview when there is only one."""
    page = PublicPage(request)
    organisations = page.organisations()
    if len(organisations) == 1:
        return redirect("public:overview", org=organisations[0].slug)
    listed = [
        (
            Localiser(page.language, o.language).text(o.name) or o.slug,
            reverse("public:overview", kwargs={"org": o.slug}),
        )
        for o in organisations
    ]
    return page.respond(lambda: render(request, "public/index.html", {"organisations": listed}))


@require_safe
def overview(request: HttpRequest, org: str) -> HttpResponseBase:
    # The overview carries the maintenance banner: a window starting or ending
    # changes it without a write, so its ETag and caching follow the clock too.
    page = ClockedPage(request, query=())
    snapshot = page.snapshot(org)
    page.published(org)

    def build() -> HttpResponseBase:
        with timezone.override(snapshot.organisation.time_zone):
            base = reverse("public:overview", kwargs={"org": org})
            context = {"o": present.overview(snapshot, base), "home": _home(page)}
            return render(request, "public/overview.html", context)

    return page.respond(build)


@require_safe
def service(request: HttpRequest, org: str, service: str) -> HttpResponseBase:
    page = PublicPage(request, query=())
    snapshot = page.snapshot(org)
    found = snapshot.service(service)
    if found is None:
        raise Http404("no such service")

    def build() -> HttpResponseBase:
        with timezone.override(snapshot.organisation.time_zone):
            base = reverse("public:overview", kwargs={"org": org})
            context = {
                "s": service_page(snapshot, found, base),
                "overview_url": base,
                "home": _home(page),
            }
            return render(request, "public/service.html", context)

    return page.respond(build)


def _home(page: PublicPage) -> str:
    """The list of organisations, when there is more than one to choose from."""
    return reverse("public:index") if len(page.organisations()) > 1 else ""

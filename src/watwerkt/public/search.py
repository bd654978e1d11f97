"""The public search page: ``/<organisation>/zoeken/?q=...``, a plain GET form.

The view reads the query, asks :func:`watwerkt.search.services.results` and
lays the answer out; what matches and how it ranks is decided there. Like
every public page it answers conditional requests through
:class:`~watwerkt.public.pages.PublicPage`: the answer to one URL (query
string included) changes only with the catalogue revision and the language,
so the revision's ETag is right for it too. A page store that keeps rendered
pages per path must key search pages by the full URL or leave them out
(docs/search.md).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from watwerkt.present.overview import localiser_of
from watwerkt.readmodel.values import Snapshot
from watwerkt.search.services import MAX_QUERY, QueryTooLong, check_query, results
from watwerkt.search.text import clean

from .pages import PublicPage

PAGE_LIMIT = 20  # hits on the page; the best ones, a resident does not page through more


@require_safe
def search(request: HttpRequest, org: str) -> HttpResponseBase:
    page = PublicPage(request, query=("q",))  # a cache-buster shares the page of its "q"
    snapshot = page.snapshot(org)
    typed = request.GET.get("q", "")

    def build() -> HttpResponseBase:
        with timezone.override(snapshot.organisation.time_zone):
            base = reverse("public:overview", kwargs={"org": org})
            context = {
                "organisation": localiser_of(snapshot).text(snapshot.organisation.name) or org,
                "overview_url": base,
                "action": reverse("public:search", kwargs={"org": org}),
                "home": reverse("public:index") if len(page.organisations()) > 1 else "",
                "max_query": MAX_QUERY,
                "limit": PAGE_LIMIT,
            }
            try:
                check_query(typed)
            except QueryTooLong:
                context["query"] = clean(typed, MAX_QUERY)
                context["error"] = _(
                    "Je zoekvraag is te lang: gebruik hoogstens %(max)s tekens."
                ) % {"max": MAX_QUERY}
                return render(request, "search/page.html", context, status=400)
            found = results(snapshot, typed, page.language, PAGE_LIMIT)
            context |= {"query": found.query, "r": found}
            if found.query and not found.hits:
                context["domains"] = _domains(snapshot, base)
            return render(request, "search/page.html", context)

    return page.respond(build)


def _domains(snapshot: Snapshot, base: str) -> list[tuple[str, str]]:
    """Every domain with services, for browsing when nothing was found."""
    loc = localiser_of(snapshot)
    return [
        (loc.text(d.name) or d.slug, f"{base}#d-{d.slug}") for d in snapshot.domains if d.services
    ]

"""``/<organisation>/api/v2/*.json``: the Statuspage-compatible endpoints.

Each view takes a slice of the organisation's :class:`~.statuspage.Board`
and answers through :class:`~watwerkt.public.pages.PublicPage`, so these
responses carry the same ETag / Last-Modified and 304s as the public pages.
Query parameters are ignored, as Statuspage ignores them (clients add
cache-busters).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils import timezone, translation

from watwerkt.public.pages import PublicPage, clocked
from watwerkt.readmodel.machine import published

from .errors import api_view, json_response
from .statuspage import ACTIVE, MOST_RECENT, UPCOMING, Board, Json, board

Slice = Callable[[Board], Json]


def site_root(request: HttpRequest) -> str:
    """The absolute URL of the site's root, as this request reached it."""
    return request.build_absolute_uri(reverse("public:index"))


def _endpoint(take: Slice) -> Callable[[HttpRequest, str], HttpResponseBase]:
    @api_view(negotiate=False)
    def view(request: HttpRequest, org: str) -> HttpResponseBase:
        # Query strings are ignored (clients add cache-busters): one stored page for all.
        page = PublicPage(request, query=(), machine=True)
        snapshot = page.snapshot(org)
        now = timezone.now()
        found = board(snapshot, site_root(request), now)
        # Texts are in the organisation's language whatever the request's;
        # the ETag and Content-Language say that language.
        with translation.override(snapshot.organisation.language):
            page = clocked(page, published(snapshot), now)
            return page.respond(lambda: json_response(take(found)))

    return view


summary = _endpoint(lambda b: b.summary())
status = _endpoint(lambda b: {"page": b.page, "status": b.status})
components = _endpoint(lambda b: {"page": b.page, "components": b.components})
incidents = _endpoint(lambda b: {"page": b.page, "incidents": b.incidents[:MOST_RECENT]})
unresolved = _endpoint(lambda b: {"page": b.page, "incidents": b.unresolved()})
maintenances = _endpoint(
    lambda b: {"page": b.page, "scheduled_maintenances": b.maintenances[:MOST_RECENT]}
)
upcoming = _endpoint(
    lambda b: {"page": b.page, "scheduled_maintenances": b.maintenances_in(UPCOMING)}
)
active = _endpoint(lambda b: {"page": b.page, "scheduled_maintenances": b.maintenances_in(ACTIVE)})

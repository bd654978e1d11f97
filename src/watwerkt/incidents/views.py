"""The public incident pages: the list (incidents and maintenance) and one incident.

Views find what was asked for and hand it to a template; what the pages say
is decided in :mod:`.present`. Drafts are not in the read model, so a draft's
address is a 404 like any unknown one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from watwerkt.lib.i18n import pick
from watwerkt.public.foreign import marked
from watwerkt.public.pages import PublicPage, etag_for
from watwerkt.public.snapshot import Snapshot
from watwerkt.status.revision import RevisionState

from . import present
from .readmodel import Published, published


@dataclass
class ClockedPage(PublicPage):
    """A page whose content also changes with the clock: maintenance windows
    start and end without anyone writing.

    Lookups and the page cache's ticket use the catalogue revision as usual;
    the ETag and Last-Modified also move on at the last moment a window changed
    state by the clock (so a client revalidating gets the new state, not a
    304), and no cache keeps the page past the next such moment.
    """

    now: datetime = field(default_factory=timezone.now)
    moved: datetime | None = None  # the clock changed the content after the revision

    def published(self, organisation: str) -> Published:
        found = published.get(organisation, self.revision)
        if found is None:
            raise Http404("no such organisation")
        self.follow(found)
        return found

    def follow(self, found: Published) -> None:
        moment = found.clock(self.now)
        changed = self.revision.changed_at
        if moment is not None and (changed is None or moment > changed):
            self.moved = moment
        self.changes_at(found.next_change(self.now))

    @property
    def etag(self) -> str:
        if self.moved is None:
            return super().etag
        moved = RevisionState(self.revision.number, self.moved)
        return etag_for(moved, self.language, self.variant)

    @property
    def last_modified(self) -> int | None:
        return int(self.moved.timestamp()) if self.moved else super().last_modified


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

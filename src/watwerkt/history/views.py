"""Public history pages: an organisation's 90 days, a service's changes, recovery progress.

Views only find what was asked for and hand it to a template; what the pages
say is decided in :mod:`watwerkt.history.present`. Responses go through the
public site's :class:`~watwerkt.public.pages.PublicPage` (ETag, 304, the page
cache), which is told that these pages also change when time passes, not only
when the catalogue does (:class:`DatedPage`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from watwerkt.public.pages import PublicPage
from watwerkt.public.present import localiser_of
from watwerkt.public.snapshot import Snapshot

from . import present
from .days import day_start, local_day

REFRESH = timedelta(hours=1)  # how long "today so far" may be shown before it is made again


def next_refresh(now: datetime, zone: ZoneInfo) -> datetime:
    """When a dated page is made again: within :data:`REFRESH`, and at local midnight,
    when a day closes and the window moves on."""
    midnight = day_start(local_day(now, zone) + timedelta(days=1), zone)
    return min(now.replace(minute=0, second=0, microsecond=0) + REFRESH, midnight)


def last_refresh(now: datetime, zone: ZoneInfo) -> datetime:
    """When the dated page shown at ``now`` was last made again by the clock: the
    hour turned, or (in a zone not whole hours from UTC) local midnight passed."""
    return max(
        now.replace(minute=0, second=0, microsecond=0), day_start(local_day(now, zone), zone)
    )


@dataclass
class DatedPage(PublicPage):
    """A public page that shows days up to now: besides the revision, time changes it.

    So it tells the page cache when it changes by itself (``changes_at``), and
    its ETag names that moment, and its Last-Modified is the moment it last
    changed by itself (when after the revision's), so that a browser's copy from
    before either is not answered with a 304 after it: whether the browser asks
    with ``If-None-Match`` or only with ``If-Modified-Since``.
    """

    query: tuple[str, ...] | None = ()  # these pages read no query: cache-busters share one
    refresh: datetime | None = None  # when the clock changes the page next
    refreshed: datetime | None = None  # when the clock changed it last

    @property
    def etag(self) -> str:
        tag = super().etag
        return f'{tag[:-1]}-{int(self.refresh.timestamp())}"' if self.refresh else tag

    @property
    def last_modified(self) -> int | None:
        changed = super().last_modified
        if self.refreshed is None:
            return changed
        return max(changed or 0, int(self.refreshed.timestamp()))

    def dated(self, organisation: str) -> tuple[Snapshot, datetime]:
        """The organisation's snapshot and the moment the page is made."""
        snapshot = self.snapshot(organisation)
        now = timezone.now()
        zone = ZoneInfo(snapshot.organisation.time_zone)
        self.refresh, self.refreshed = next_refresh(now, zone), last_refresh(now, zone)
        self.changes_at(self.refresh)
        return snapshot, now


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

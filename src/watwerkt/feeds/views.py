"""Feed and calendar views: find the organisation (and domain or service), build the
entries, lay them out. Answered through :class:`~watwerkt.public.pages.PublicPage`:
the same ETag, Last-Modified and 304 as every public page, per revision and language.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from watwerkt.present.overview import localiser_of
from watwerkt.present.words import Localiser
from watwerkt.public.pages import PublicPage, allow_cors, clocked
from watwerkt.readmodel.machine import published, zone
from watwerkt.readmodel.values import Snapshot

from . import entries
from .calendar import calendar as ical
from .syndication import Channel, EntriesFeed

# (snapshot, localiser, overview path, now) -> (title, subtitle, path it is about, entries)
Build = Callable[[Snapshot, Localiser, str, datetime], tuple[str, str, str, list[entries.Entry]]]


def _feed(request: HttpRequest, org: str, kind: str, build: Build) -> HttpResponseBase:
    # Clocked: maintenance windows in a feed change state by the clock alone.
    page = PublicPage(request, machine=True)
    snapshot = page.snapshot(org)
    now = timezone.now()
    page = clocked(page, published(snapshot), now)

    def render() -> HttpResponseBase:
        with timezone.override(zone(snapshot.organisation.time_zone)):
            loc = localiser_of(snapshot)
            base = reverse("public:overview", kwargs={"org": org})
            title, subtitle, about, found = build(snapshot, loc, base, now)
            root = request.build_absolute_uri("/").rstrip("/")
            host = request.get_host().split(":")[0]
            channel = Channel(
                title=title,
                subtitle=subtitle,
                root=root,
                link=root + about,
                feed_url=request.build_absolute_uri(request.path),
                feed_id=f"tag:{host},2022:{request.path}",
                id_base=f"tag:{host},2022:{org}/",
                language=loc.language,
                author=loc.text(snapshot.organisation.name) or org,
                entries=found,
            )
            return EntriesFeed(channel, kind)(request)

    return allow_cors(page.respond(render))


def _name(snapshot: Snapshot, loc: Localiser) -> str:
    return loc.text(snapshot.organisation.name) or snapshot.organisation.slug


def _subtitle() -> str:
    return _("Statuswijzigingen, storingen en onderhoud")


def _news(
    snapshot: Snapshot,
    loc: Localiser,
    base: str,
    now: datetime,
    services: Collection[int] | None = None,
) -> list[entries.Entry]:
    """Status changes, incident updates and maintenance windows (of ``services``
    only, when given), newest first."""
    found = entries.status_changes(snapshot, loc, base, services)
    found += entries.incident_updates(snapshot, loc, services)
    found += entries.maintenance_windows(snapshot, loc, now, services)
    return entries.newest_first(found)


@require_safe
def status(request: HttpRequest, org: str, kind: str) -> HttpResponseBase:
    """Every service status change, incident update and maintenance window of the
    organisation."""

    def build(
        snapshot: Snapshot, loc: Localiser, base: str, now: datetime
    ) -> tuple[str, str, str, list[entries.Entry]]:
        name = _name(snapshot, loc)
        return (
            _("%(name)s: wat werkt en wat niet") % {"name": name},
            _subtitle(),
            base,
            _news(snapshot, loc, base, now),
        )

    return _feed(request, org, kind, build)


@require_safe
def domain(request: HttpRequest, org: str, domain: str, kind: str) -> HttpResponseBase:
    """The status changes of one domain's services, and the incidents and
    maintenance windows that affect one of them."""
    snapshot = PublicPage(request, machine=True).snapshot(org)
    found = next((d for d in snapshot.domains if d.slug == domain), None)
    if found is None:
        raise Http404("no such domain")

    def build(
        snapshot: Snapshot, loc: Localiser, base: str, now: datetime
    ) -> tuple[str, str, str, list[entries.Entry]]:
        news = _news(snapshot, loc, base, now, [s.id for s in found.services])
        title = f"{loc.text(found.name) or found.slug} ({_name(snapshot, loc)})"
        return title, _subtitle(), f"{base}#d-{domain}", news

    return _feed(request, org, kind, build)


@require_safe
def service(request: HttpRequest, org: str, service: str, kind: str) -> HttpResponseBase:
    """The status changes of one service, and the incidents and maintenance
    windows that affect it."""
    found = PublicPage(request, machine=True).snapshot(org).service(service)
    if found is None:
        raise Http404("no such service")

    def build(
        snapshot: Snapshot, loc: Localiser, base: str, now: datetime
    ) -> tuple[str, str, str, list[entries.Entry]]:
        news = _news(snapshot, loc, base, now, [found.id])
        title = f"{loc.text(found.name) or found.slug} ({_name(snapshot, loc)})"
        return (
            title,
            _subtitle(),
            f"{base}{found.slug}/",
            news,
        )

    return _feed(request, org, kind, build)


@require_safe
def history(request: HttpRequest, org: str, kind: str) -> HttpResponseBase:
    """Incidents and maintenance, one entry each: Statuspage's ``history.atom``."""

    def build(
        snapshot: Snapshot, loc: Localiser, base: str, now: datetime
    ) -> tuple[str, str, str, list[entries.Entry]]:
        title = _("%(name)s: incidenten en onderhoud") % {"name": _name(snapshot, loc)}
        return (
            title,
            _("Geschiedenis van incidenten en onderhoud"),
            base,
            entries.history(snapshot, loc, now),
        )

    return _feed(request, org, kind, build)


@require_safe
def maintenance_calendar(request: HttpRequest, org: str) -> HttpResponseBase:
    """The published maintenance windows as a calendar to subscribe to."""
    page = PublicPage(request, machine=True)
    snapshot = page.snapshot(org)
    news = published(snapshot)
    page = clocked(page, news, timezone.now())

    def render() -> HttpResponse:
        loc = localiser_of(snapshot)
        link = request.build_absolute_uri(reverse("public:overview", kwargs={"org": org}))
        title = _("%(name)s: onderhoud") % {"name": _name(snapshot, loc)}
        body = ical(snapshot, news.maintenances, loc, title, request.get_host().split(":")[0], link)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{org}-onderhoud.ics"'
        return response

    return allow_cors(page.respond(render))

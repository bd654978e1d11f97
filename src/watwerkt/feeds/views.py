"""Feed and calendar views: find the organisation (and domain or service), build the
entries, lay them out. Answered through :class:`~watwerkt.public.pages.PublicPage`:
the same ETag, Last-Modified and 304 as every public page, per revision and language.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from watwerkt.api.errors import allow_cors
from watwerkt.api.readmodel import clocked, published, zone
from watwerkt.public.pages import PublicPage
from watwerkt.public.present import localiser_of
from watwerkt.public.snapshot import Snapshot
from watwerkt.public.words import Localiser

from . import entries
from .calendar import calendar as ical
from .syndication import Channel, EntriesFeed

Build = Callable[[Snapshot, Localiser, str], tuple[str, str, str, list[entries.Entry]]]


def _feed(
    request: HttpRequest, org: str, kind: str, build: Build, clock: bool = False
) -> HttpResponseBase:
    page = PublicPage(request)
    snapshot = page.snapshot(org)
    now = timezone.now()
    if clock:
        page = clocked(page, published(snapshot), now)

    def render() -> HttpResponseBase:
        with timezone.override(zone(snapshot.organisation.time_zone)):
            loc = localiser_of(snapshot)
            base = reverse("public:overview", kwargs={"org": org})
            title, subtitle, about, found = build(snapshot, loc, base)
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


@require_safe
def status(request: HttpRequest, org: str, kind: str) -> HttpResponseBase:
    """Every service status change and every incident update of the organisation."""

    def build(
        snapshot: Snapshot, loc: Localiser, base: str
    ) -> tuple[str, str, str, list[entries.Entry]]:
        found = entries.status_changes(snapshot, loc, base)
        found += entries.incident_updates(snapshot, loc, base)
        name = _name(snapshot, loc)
        return (
            _("%(name)s: wat werkt en wat niet") % {"name": name},
            _("Statuswijzigingen en updates over de storing"),
            base,
            entries.newest_first(found),
        )

    return _feed(request, org, kind, build)


@require_safe
def domain(request: HttpRequest, org: str, domain: str, kind: str) -> HttpResponseBase:
    """The status changes of one domain's services."""
    snapshot = PublicPage(request).snapshot(org)
    found = next((d for d in snapshot.domains if d.slug == domain), None)
    if found is None:
        raise Http404("no such domain")

    def build(
        snapshot: Snapshot, loc: Localiser, base: str
    ) -> tuple[str, str, str, list[entries.Entry]]:
        changes = entries.status_changes(snapshot, loc, base, [s.id for s in found.services])
        title = f"{loc.text(found.name) or found.slug} ({_name(snapshot, loc)})"
        return title, _("Statuswijzigingen"), base, changes

    return _feed(request, org, kind, build)


@require_safe
def service(request: HttpRequest, org: str, service: str, kind: str) -> HttpResponseBase:
    """The status changes of one service."""
    found = PublicPage(request).snapshot(org).service(service)
    if found is None:
        raise Http404("no such service")

    def build(
        snapshot: Snapshot, loc: Localiser, base: str
    ) -> tuple[str, str, str, list[entries.Entry]]:
        changes = entries.status_changes(snapshot, loc, base, [found.id])
        title = f"{loc.text(found.name) or found.slug} ({_name(snapshot, loc)})"
        return title, _("Statuswijzigingen"), f"{base}{found.slug}/", changes

    return _feed(request, org, kind, build)


@require_safe
def history(request: HttpRequest, org: str, kind: str) -> HttpResponseBase:
    """Incidents and maintenance, one entry each: Statuspage's ``history.atom``."""
    now = timezone.now()

    def build(
        snapshot: Snapshot, loc: Localiser, base: str
    ) -> tuple[str, str, str, list[entries.Entry]]:
        title = _("%(name)s: incidenten en onderhoud") % {"name": _name(snapshot, loc)}
        return (
            title,
            _("Geschiedenis van incidenten en onderhoud"),
            base,
            entries.history(snapshot, loc, base, now),
        )

    return _feed(request, org, kind, build, clock=True)


@require_safe
def maintenance_calendar(request: HttpRequest, org: str) -> HttpResponseBase:
    """The published maintenance windows as a calendar to subscribe to."""
    page = PublicPage(request)
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

"""What every public response shares: the revision it shows, conditional GET, caching.

A public view answers through :class:`PublicPage`, either by hand::

    page = PublicPage(request)
    snapshot = page.snapshot(org)          # 404 when there is none
    return page.respond(lambda: render(...))   # 304 before anything is rendered

or, for a view that simply returns its response, with the decorator::

    @public_page()
    def feed(page: PublicPage, org: str) -> HttpResponseBase: ...

Either way the response gets an ETag and Last-Modified from the catalogue
revision (and the language and query variant), answers ``If-None-Match`` /
``If-Modified-Since`` with 304, carries ``Cache-Control: public, max-age,
stale-while-revalidate`` and ``Vary: Accept-Encoding``, and is marked with a
ticket that lets the page cache (:mod:`watwerkt.webcache`) keep it, compress
it once, and answer it again before Django runs until the next write.

A view must go through here only when its response is the same for everyone
who asks for the same URL at the same revision — nothing per person. The
cache refuses responses that set cookies or vary on them anyway.

Machine outputs (the JSON APIs, feeds, the calendar) say ``machine=True``:
their bodies never depend on Accept-Language (unprefixed public pages offer
the visitor's language; a feed or summary.json offers nothing), so the offer
stays out of their variant and ETag, and :class:`SameInEveryLanguage` takes
the ``Vary: Accept-Language`` that Django's LocaleMiddleware adds off them:
one summary.json, one ETag and one stored copy, whatever the client's language.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import wraps
from typing import Concatenate, ParamSpec, cast
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

import watwerkt
from watwerkt.history.days import day_start, local_day
from watwerkt.incidents.readmodel import Published, published
from watwerkt.readmodel.snapshot import snapshots
from watwerkt.readmodel.values import OrganisationEntry, Snapshot
from watwerkt.status.revision import RevisionState, revision_state
from watwerkt.webcache.keys import canonical_query
from watwerkt.webcache.ticket import ENVIRON_KEY, Ticket

from .languages import QUERY_KEY, offer

P = ParamSpec("P")

# Set in the environ of a request answered by a machine output (see the module's doc).
SAME_IN_EVERY_LANGUAGE = "watwerkt.public.same_in_every_language"


def etag_for(revision: RevisionState, language: str, variant: str = "") -> str:
    """A weak ETag: same revision, language, variant and code version -> same content.

    Weak because the same content goes out plain or gzipped (two byte strings,
    one validator), as nginx does when it compresses.
    """
    stamp = revision.changed_at.isoformat() if revision.changed_at else ""
    digest = hashlib.blake2s(
        f"{stamp}|{watwerkt.__version__}|{variant}".encode(), digest_size=4
    ).hexdigest()
    return f'W/"{revision.number}-{language}-{digest}"'


def cache_control(expires: float | None = None, now: float = 0.0) -> str:
    """``public, max-age=N, stale-while-revalidate=M, stale-if-error=E`` from the settings.

    A short max-age keeps browsers and proxies close to the product's promise
    (a change is visible within a second); stale-while-revalidate lets a proxy
    or CDN answer at once from its copy while it fetches the new one, so the
    short max-age costs visitors no waiting; stale-if-error lets it go on
    showing the last page while this site is down. A page whose content
    changes by itself at ``expires`` is never kept past it.
    """
    max_age = settings.PUBLIC_MAX_AGE
    if expires is not None:
        max_age = max(0, min(max_age, int(expires - now)))
    return (
        f"public, max-age={max_age}, "
        f"stale-while-revalidate={settings.PUBLIC_STALE_WHILE_REVALIDATE}, "
        f"stale-if-error={settings.PUBLIC_STALE_IF_ERROR}"
    )


@dataclass
class PublicPage:
    """One public response: the revision read once, and the headers that follow from it.

    ``query``: the query parameters the response depends on; None (the default)
    for the whole query string. A view that ignores its query string says
    ``query=()``, so cache-busters (``?_=1699999999``) share one stored page.
    """

    request: HttpRequest
    revision: RevisionState = field(default_factory=revision_state)
    query: tuple[str, ...] | None = None
    expires: datetime | None = None
    machine: bool = False  # a machine output: the body never depends on Accept-Language

    @property
    def language(self) -> str:
        return (get_language() or "nl")[:2]

    def organisations(self) -> tuple[OrganisationEntry, ...]:
        return snapshots.organisations(self.revision)

    def snapshot(self, organisation: str) -> Snapshot:
        found = snapshots.get(organisation, self.revision)
        if found is None:
            raise Http404("no such organisation")
        return found

    def changes_at(self, moment: datetime | None) -> None:
        """Say that the content changes by itself at ``moment`` (a maintenance window
        starts or ends) without a write: no cache keeps it past then."""
        if moment is not None and (self.expires is None or moment < self.expires):
            self.expires = moment

    def __post_init__(self) -> None:
        # Links to this page in other languages keep the parameters it reads.
        self.request.META[QUERY_KEY] = self.query
        if self.machine:
            # In the environ, so pages made from this one's request keep it too.
            self.request.META[SAME_IN_EVERY_LANGUAGE] = True

    @property
    def variant(self) -> str:
        """What tells this page from others of the same path, revision and language:
        its query, and the language it offers (unprefixed pages, from Accept-Language;
        never a machine output)."""
        query = canonical_query(self.query, self.request.META.get("QUERY_STRING", ""))
        if self.request.META.get(SAME_IN_EVERY_LANGUAGE):
            return query
        offered = offer(self.request)
        return f"{query}\noffer={offered}" if offered else query

    @property
    def etag(self) -> str:
        return etag_for(self.revision, self.language, self.variant)

    @property
    def last_modified(self) -> int | None:
        changed = self.revision.changed_at
        return int(changed.timestamp()) if changed else None

    def respond(self, render: Callable[[], HttpResponseBase]) -> HttpResponseBase:
        """``render()``'s response, or 304 when the client already has this revision."""
        not_modified = self._not_modified()
        if not_modified is not None:
            return not_modified
        return self._stamp(render())

    def finish(self, response: HttpResponseBase) -> HttpResponseBase:
        """An already rendered response, stamped; 304 when the client has it already.

        Rendering before the check costs little: the page cache answers repeat
        requests before Django runs, so this render happens once per revision.
        """
        if response.status_code != 200:
            return response
        not_modified = self._not_modified()
        return not_modified if not_modified is not None else self._stamp(response)

    def _not_modified(self) -> HttpResponseBase | None:
        found = get_conditional_response(
            self.request, etag=self.etag, last_modified=self.last_modified
        )
        return self._headers(found) if found is not None else None

    def _stamp(self, response: HttpResponseBase) -> HttpResponseBase:
        if isinstance(response, HttpResponse) and response.status_code == 200:
            self._headers(response)
            response["Content-Language"] = self.language
            self.request.META[ENVIRON_KEY] = Ticket(self.revision, self.query, self._expires())
        return response

    def _headers(self, response: HttpResponseBase) -> HttpResponseBase:
        response["ETag"] = self.etag
        if self.last_modified is not None:
            response["Last-Modified"] = http_date(self.last_modified)
        expires = self._expires()
        response["Cache-Control"] = cache_control(expires, time.time())
        patch_vary_headers(response, ("Accept-Encoding",))
        return response

    def _expires(self) -> float | None:
        return self.expires.timestamp() if self.expires else None


def public_page(
    query: tuple[str, ...] | None = None,
) -> Callable[
    [Callable[Concatenate[PublicPage, P], HttpResponseBase]],
    Callable[Concatenate[HttpRequest, P], HttpResponseBase],
]:
    """Make a view public and cacheable: GET and HEAD only, called with its
    :class:`PublicPage` instead of the request (``page.request`` has it)."""

    def decorate(
        view: Callable[Concatenate[PublicPage, P], HttpResponseBase],
    ) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
            page = PublicPage(request, query=query)
            return page.finish(view(page, *args, **kwargs))

        return cast(Callable[Concatenate[HttpRequest, P], HttpResponseBase], require_safe(wrapper))

    return decorate


class SameInEveryLanguage:
    """Middleware, outside LocaleMiddleware: takes Accept-Language out of the ``Vary``
    of a machine output's response, which LocaleMiddleware puts on every response
    whose path has no language prefix. A shared cache then keeps one copy for all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.META.get(SAME_IN_EVERY_LANGUAGE) and response.has_header("Vary"):
            kept = [
                h.strip()
                for h in response["Vary"].split(",")
                if h.strip() and h.strip().lower() != "accept-language"
            ]
            if kept:
                response["Vary"] = ", ".join(kept)
            else:
                del response["Vary"]
        return response


def allow_cors(response: HttpResponseBase) -> HttpResponseBase:
    """Public data, readable from any web page; only safe methods, no credentials."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
    return response


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


def clocked(page: PublicPage, news: Published, now: datetime) -> PublicPage:
    """``page``, versioned also by the last time a maintenance window changed state by
    the clock alone: such a change makes no revision, but changes what we answer,
    so the ETag and Last-Modified move with it, and no cache keeps the answer
    past the next such moment.

    The page keeps the catalogue revision it read, as the incident pages do
    (:class:`ClockedPage`): the page cache serves a
    stored page only while that revision is current, so a made-up revision
    here would keep these answers out of the cache's fast path for good."""
    found = ClockedPage(
        request=page.request,
        revision=page.revision,
        query=page.query,
        expires=page.expires,
        machine=page.machine,
        now=now,
    )
    found.follow(news)
    return found


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

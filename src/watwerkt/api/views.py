"""``/api/v1/``: the native read API. Every view parses its parameters, finds what
was asked for (404 otherwise) and answers through
:class:`~watwerkt.public.pages.PublicPage`, so every response is cacheable by
catalogue revision and language, like the public pages. What the objects
contain is decided in :mod:`.native`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone, translation

from watwerkt.catalogue.models import LEVEL_CHOICES
from watwerkt.incidents.readmodel import Published
from watwerkt.public.pages import DatedPage, PublicPage, clocked
from watwerkt.readmodel.machine import published
from watwerkt.readmodel.values import Snapshot

from . import native
from .errors import ApiError, api_view, json_response, not_found
from .history import availability, recovery_progress, service_history
from .openapi import document
from .params import PAGED, Query, choice, encode_cursor, parse_query, text
from .statuspage_views import site_root

LEVELS = [word for word, _ in LEVEL_CHOICES]
LANG = {"lang": None}


def _page(request: HttpRequest, query: Query, data: list[Any], next_cursor: int | None) -> Any:
    """A list response: the page of ``data``, and how to get the next one."""
    after = None
    if next_cursor is not None:
        params = {k: v for k, v in request.GET.items() if k != "cursor"}
        params["cursor"] = encode_cursor(next_cursor)
        after = request.build_absolute_uri(request.path) + "?" + urlencode(params)
    return {
        "data": data,
        "pagination": {
            "limit": query.limit,
            "next_cursor": encode_cursor(next_cursor) if next_cursor is not None else None,
            "next": after,
        },
    }


def _slice(
    request: HttpRequest, query: Query, rows: Sequence[Any], build: Callable[[Any], Any]
) -> Any:
    start = query.cursor or 0
    end = start + query.limit
    more = end < len(rows)
    return _page(request, query, [build(r) for r in rows[start:end]], end if more else None)


def _respond(
    page: PublicPage, query: Query, snapshot: Snapshot, build: Callable[[native.Context], Any]
) -> HttpResponseBase:
    """Answer in the asked language (the ETag says which) with the organisation's
    time zone for generated words, or 304 when the client has this already."""
    language = query.get("lang") or snapshot.organisation.language
    ctx = native.Context(snapshot, language, site_root(page.request))
    with translation.override(language), timezone.override(ctx.tz):
        return page.respond(lambda: json_response(build(ctx)))


@api_view()
def index(request: HttpRequest) -> HttpResponseBase:
    parse_query(request, {})
    root = site_root(request)
    body = {
        "version": "1",
        "links": {
            "openapi": f"{root}api/v1/openapi.json",
            "organisations": f"{root}api/v1/organisations",
        },
    }
    # Through PublicPage like every read: ETag, 304, Cache-Control, the page cache
    # (which compresses). The ETag moves with the revision, though these two change
    # only with the code (whose version is in the ETag too): a spare revalidation.
    return PublicPage(request, machine=True).respond(lambda: json_response(body))


@api_view()
def openapi(request: HttpRequest) -> HttpResponseBase:
    parse_query(request, {})
    return PublicPage(request, machine=True).respond(lambda: json_response(document()))


@api_view()
def organisations(request: HttpRequest) -> HttpResponseBase:
    query = parse_query(request, PAGED)
    page = PublicPage(request, machine=True)
    root = site_root(request)
    entries = page.organisations()
    return page.respond(
        lambda: json_response(
            _slice(request, query, entries, lambda e: native.organisation_entry(e, root))
        )
    )


@api_view()
def organisation(request: HttpRequest, org: str) -> HttpResponseBase:
    query = parse_query(request, LANG)
    page = PublicPage(request, machine=True)
    return _respond(page, query, page.snapshot(org), native.organisation)


@api_view()
def domains(request: HttpRequest, org: str) -> HttpResponseBase:
    query = parse_query(request, {**PAGED, **LANG})
    page = PublicPage(request, machine=True)

    def build(ctx: native.Context) -> Any:
        rows = list(enumerate(ctx.snapshot.domains, start=1))
        return _slice(request, query, rows, lambda r: native.domain(r[1], ctx, r[0]))

    return _respond(page, query, page.snapshot(org), build)


@api_view()
def domain(request: HttpRequest, org: str, domain: str) -> HttpResponseBase:
    query = parse_query(request, LANG)
    page = PublicPage(request, machine=True)
    snapshot = page.snapshot(org)
    found = next(((n, d) for n, d in enumerate(snapshot.domains, 1) if d.slug == domain), None)
    if found is None:
        raise not_found(f"no domain {domain!r} in {org!r}")
    position, chosen = found
    return _respond(page, query, snapshot, lambda ctx: native.domain(chosen, ctx, position))


def _domain_slugs(snapshot: Snapshot) -> dict[int, str]:
    return {d.id: d.slug for d in snapshot.domains}


@api_view()
def services(request: HttpRequest, org: str) -> HttpResponseBase:
    query = parse_query(request, {**PAGED, **LANG, "domain": text, "level": choice(LEVELS)})
    page = PublicPage(request, machine=True)
    snapshot = page.snapshot(org)
    wanted_domain, wanted_level = query.get("domain"), query.get("level")
    if wanted_domain is not None and all(d.slug != wanted_domain for d in snapshot.domains):
        # A filter naming a domain that does not exist names nothing: 404, not 400.
        raise ApiError(404, "not_found", f"no domain {wanted_domain!r} in {org!r}", "domain")
    rows = [
        s
        for d in snapshot.domains
        if wanted_domain in (None, d.slug)
        for s in d.services
        if wanted_level in (None, s.level)
    ]
    slugs = _domain_slugs(snapshot)
    return _respond(
        page,
        query,
        snapshot,
        lambda ctx: _slice(request, query, rows, lambda s: native.service(s, ctx, slugs)),
    )


@api_view()
def service(request: HttpRequest, org: str, service: str) -> HttpResponseBase:
    query = parse_query(request, LANG)
    page = PublicPage(request, machine=True)
    snapshot = page.snapshot(org)
    found = snapshot.service(service)
    if found is None:
        raise not_found(f"no service {service!r} in {org!r}")
    slugs = _domain_slugs(snapshot)
    return _respond(page, query, snapshot, lambda ctx: native.service(found, ctx, slugs))


@api_view()
def history(request: HttpRequest, org: str, service: str) -> HttpResponseBase:
    query = parse_query(request, PAGED)
    page = PublicPage(request, machine=True)
    snapshot = page.snapshot(org)
    found = snapshot.service(service)
    if found is None:
        raise not_found(f"no service {service!r} in {org!r}")

    def build(ctx: native.Context) -> Any:
        org_id = snapshot.organisation.id
        rows, more = service_history(org_id, found, query.cursor, query.limit, ctx.tz)
        return _page(request, query, rows, more)

    return _respond(page, query, snapshot, build)


def _dated(request: HttpRequest, org: str) -> tuple[DatedPage, Snapshot, datetime]:
    """A page that shows days up to now: versioned by the revision and the hour
    (the history pages' :class:`~watwerkt.public.pages.DatedPage`)."""
    page = DatedPage(request, query=None, machine=True)
    snapshot, now = page.dated(org)
    return page, snapshot, now


@api_view()
def service_availability(request: HttpRequest, org: str, service: str) -> HttpResponseBase:
    query = parse_query(request, {})
    page, snapshot, now = _dated(request, org)
    found = snapshot.service(service)
    if found is None:
        raise not_found(f"no service {service!r} in {org!r}")

    def build(ctx: native.Context) -> Any:
        link = ctx.api("services", found.slug, "availability")
        return availability(ctx, "service", found.id, found.level, now, link)

    return _respond(page, query, snapshot, build)


@api_view()
def domain_availability(request: HttpRequest, org: str, domain: str) -> HttpResponseBase:
    query = parse_query(request, {})
    page, snapshot, now = _dated(request, org)
    found = next((d for d in snapshot.domains if d.slug == domain), None)
    if found is None:
        raise not_found(f"no domain {domain!r} in {org!r}")

    def build(ctx: native.Context) -> Any:
        link = ctx.api("domains", found.slug, "availability")
        return availability(ctx, "domain", found.id, str(found.status["level"]), now, link)

    return _respond(page, query, snapshot, build)


@api_view()
def recovery(request: HttpRequest, org: str) -> HttpResponseBase:
    query = parse_query(request, {})
    page, snapshot, now = _dated(request, org)
    news = published(snapshot)
    return _respond(page, query, snapshot, lambda ctx: recovery_progress(ctx, news, now))


def _news(request: HttpRequest, org: str) -> tuple[PublicPage, Snapshot, Published, datetime]:
    """The page (versioned by the clock too), snapshot and published news of ``org``."""
    page = PublicPage(request, machine=True)
    snapshot = page.snapshot(org)
    news, now = published(snapshot), timezone.now()
    return clocked(page, news, now), snapshot, news, now


@api_view()
def incidents(request: HttpRequest, org: str) -> HttpResponseBase:
    query = parse_query(request, PAGED)
    page, snapshot, news, _ = _news(request, org)
    return _respond(
        page,
        query,
        snapshot,
        lambda ctx: _slice(request, query, news.incidents, lambda i: native.incident(i, ctx, news)),
    )


@api_view()
def incident(request: HttpRequest, org: str, incident: str) -> HttpResponseBase:
    query = parse_query(request, {})
    page, snapshot, news, _ = _news(request, org)
    found = news.incident(incident)
    if found is None:
        raise not_found(f"no published incident {incident!r} in {org!r}")
    return _respond(page, query, snapshot, lambda ctx: native.incident(found, ctx, news))


@api_view()
def maintenances(request: HttpRequest, org: str) -> HttpResponseBase:
    query = parse_query(request, PAGED)
    page, snapshot, news, now = _news(request, org)
    return _respond(
        page,
        query,
        snapshot,
        lambda ctx: _slice(
            request, query, news.maintenances, lambda m: native.maintenance(m, ctx, news, now)
        ),
    )


@api_view()
def maintenance(request: HttpRequest, org: str, maintenance: str) -> HttpResponseBase:
    query = parse_query(request, {})
    page, snapshot, news, now = _news(request, org)
    found = next((m for m in news.maintenances if m.slug == maintenance), None)
    if found is None:
        raise not_found(f"no published maintenance {maintenance!r} in {org!r}")
    return _respond(page, query, snapshot, lambda ctx: native.maintenance(found, ctx, news, now))

"""The WSGI wrapper that answers cached public pages before Django runs.

``watwerkt.wsgi.application`` is ``FastPath(Django)``. For a GET or HEAD of a
page it holds at the current revision, it answers from the stored bytes —
plain, gzip or 304 — without building a request object or running a single
middleware: that is what makes the public site hold when everyone looks at
once. Everything else goes through Django untouched.

The stored headers are the ones Django's full stack produced for the page
(Content-Security-Policy, X-Frame-Options, nosniff, Referrer-Policy, HSTS
on HTTPS, ...), so the fast path answers with exactly those: it adds
nothing and drops nothing but the body headers it recomputes.

What is stored: a 200 to a GET that the view marked with a ticket
(:mod:`.ticket`, only :class:`~watwerkt.public.pages.PublicPage` does), and
that does not vary per person — no ``Set-Cookie``, no ``Vary: Cookie``, no
``private``/``no-store``, no CSP nonce. Requests with ``Authorization`` are
never answered from, nor stored in, the cache.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from watwerkt.status.revision import RevisionState

from . import keys
from .answers import Answers, body_of
from .clock import RevisionClock
from .copies import Copies, marked
from .flight import Flights
from .lru import BoundedLRU
from .page import Headers, Page, build
from .shared import SharedPages
from .ticket import ENVIRON_KEY, Ticket

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")
POLICIES = 10_000  # resources whose variant rules are remembered (a few hundred bytes each)
# An answer from the answer table refreshes its page's place in the store every
# this many answers, so the pages asked for most are not the first evicted.
TOUCH_EVERY = 64


@dataclass
class Stats:
    """Counters for tests and for reading a process's behaviour (not exact under threads)."""

    hits: int = 0  # answered from memory
    repeats: int = 0  # of which from the answer kept for an identical request
    renders: int = 0  # full Django responses stored as pages
    shared_hits: int = 0  # pages taken from another instance
    waits: int = 0  # requests that waited for another thread's render
    stale_on_error: int = 0  # previous pages answered because the render failed
    copies: int = 0  # copies from disk answered because the render failed


@dataclass
class Response:
    """A response as Django gave it, not stored: passed on as it is."""

    status: str
    headers: list[tuple[str, str]]
    body: Iterable[bytes]


class FastPath:
    def __init__(
        self,
        app: WSGIApp,
        pages: BoundedLRU[str, Page],
        clock: RevisionClock,
        shared: SharedPages | None = None,
        wait: float = 3.0,
        copies: Copies | None = None,
    ) -> None:
        self.app = app
        self.pages = pages
        self.clock = clock
        self.shared = shared
        self.copies = copies
        self.wait = wait
        self.policies: BoundedLRU[str, keys.Policy] = BoundedLRU(POLICIES)
        self.flights = Flights()
        self.answers = Answers()
        self.stats = Stats()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        request = self.answers.request(environ)
        kept = self.answers.get(request)
        if kept is not None:
            answer, known = kept
            if known.revision == self.clock.current() and _fresh(known):
                self.stats.hits += 1
                self.stats.repeats += 1
                if not self.stats.repeats % TOUCH_EVERY:
                    self.pages.get(answer.key)  # keeps the page recent in the store
                start_response(answer.status, _copy(answer.headers))
                return body_of(answer, known)
        method = environ.get("REQUEST_METHOD")
        if (method != "GET" and method != "HEAD") or "HTTP_AUTHORIZATION" in environ:
            return self.app(environ, start_response)
        resource = keys.resource(environ)
        policy = self.policies.get(resource)
        if policy is None:
            return self._first(environ, start_response, resource)
        key = resource + "?" + policy.variant(environ)
        revision = self.clock.current()
        if revision is not None:
            page = self.pages.get(key)
            if page is not None and page.revision == revision and _fresh(page):
                self.stats.hits += 1
                status, headers, body = _answer(page, environ)
                if policy.by_request_alone:
                    self.answers.keep(request, key, page, status, headers, body)
                return _start(start_response, status, headers, body)
        return self._fill(environ, start_response, resource, key, revision)

    # -- a resource seen for the first time: through Django, kept when allowed --

    def _first(
        self, environ: dict[str, Any], start_response: StartResponse, resource: str
    ) -> Iterable[bytes]:
        result = self._django(environ)
        page = self._keep(environ, resource, result) if environ["REQUEST_METHOD"] == "GET" else None
        if page is None:
            page = self._copy(resource, result)
        if page is None:
            return _pass(result, environ, start_response)
        return _send(page, environ, start_response)

    # -- a known resource without a current page: one render, the others wait --

    def _fill(
        self,
        environ: dict[str, Any],
        start_response: StartResponse,
        resource: str,
        key: str,
        revision: RevisionState | None,
    ) -> Iterable[bytes]:
        flight, leader = self.flights.join((key, revision))
        if not leader:
            self.stats.waits += 1
            if flight.done.wait(self.wait) and flight.page is not None:
                return _send(flight.page, environ, start_response)
            return self._first(environ, start_response, resource)
        page = None
        try:
            page, claimed = self._from_shared(key, revision)
            if page is None:
                try:
                    result = self._render(environ, resource)
                finally:
                    if claimed and self.shared is not None and revision is not None:
                        self.shared.release(key, revision)
                if isinstance(result, Response):
                    page = self._older(key, result) or self._copy(resource, result)
                    if page is None:
                        self.policies.pop(resource)  # its next requests reach Django unchanged
                        return _pass(result, environ, start_response)
                else:
                    page = result
        finally:
            self.flights.land((key, revision), flight, page)
        return _send(page, environ, start_response)

    def _from_shared(self, key: str, revision: RevisionState | None) -> tuple[Page | None, bool]:
        """Another instance's page, or whether this instance claimed the render."""
        if self.shared is None or revision is None:
            return None, False
        page = self.shared.get(key, revision)
        claimed = False
        if page is None:
            claimed = self.shared.claim(key, revision)
            if not claimed:
                page = self.shared.wait(key, revision, self.wait)
        if page is not None:
            self.stats.shared_hits += 1
            self.pages.put(key, page)
        return page, claimed

    def _render(self, environ: dict[str, Any], resource: str) -> Page | Response:
        """The full page from Django, whatever the request's conditions: a 304 would
        leave nothing to store, and a HEAD is answered from the GET's page."""
        full = {k: v for k, v in environ.items() if k not in CONDITIONAL}
        full["REQUEST_METHOD"] = "GET"
        result = self._django(full)
        page = self._keep(full, resource, result)
        return page if page is not None else result

    def _older(self, key: str, result: Response) -> Page | None:
        """For a render that failed with a server error, the page of an earlier
        revision, if one is at hand (stale-if-error: a public page stays up while
        the database is down), marked as a copy when copies are kept. Its
        waiters get it too."""
        if not result.status.startswith("5"):
            return None
        older = self.pages.get(key)
        if older is None:
            return None
        _close(result.body)
        self.stats.stale_on_error += 1
        if self.copies is None:
            return older
        return marked(older.revision, list(older.plain.headers), older.plain.data)

    def _copy(self, resource: str, result: Response) -> Page | None:
        """For a render that failed with a server error, the last copy any worker of
        this machine kept of the page (:mod:`.copies`)."""
        if self.copies is None or not result.status.startswith("5"):
            return None
        copy = self.copies.get(resource)
        if copy is not None:
            _close(result.body)
            self.stats.copies += 1
        return copy

    # -- Django, and what may be kept of its answer --

    def _django(self, environ: dict[str, Any]) -> Response:
        captured: list[Any] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured[:] = [status, headers]
            return _no_write

        body = self.app(environ, capture)
        return Response(captured[0], captured[1], body)

    def _keep(self, environ: dict[str, Any], resource: str, result: Response) -> Page | None:
        ticket = environ.get(ENVIRON_KEY)
        if not isinstance(ticket, Ticket) or not result.status.startswith("200"):
            return None
        named = {k.lower(): v for k, v in result.headers}
        policy = keys.Policy.learn(named.get("vary", ""), ticket.query)
        if policy is None or not storable(named):
            return None
        data = b"".join(result.body)
        _close(result.body)
        page = build(ticket.revision, result.headers, data, ticket.expires)
        key = resource + "?" + policy.variant(environ)
        self.policies.put(resource, policy)
        self.pages.put(key, page)
        if self.shared is not None:
            self.shared.put(key, page)
        if self.copies is not None and not environ.get("QUERY_STRING"):
            self.copies.put(resource, page)
        self.clock.observe(ticket.revision)
        self.stats.renders += 1
        return page


def storable(named: dict[str, str]) -> bool:
    """Whether a response's headers allow keeping it for everyone."""
    if "set-cookie" in named:
        return False
    control = named.get("cache-control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    # A nonce is per response by definition; reusing one would void it.
    return "nonce-" not in named.get("content-security-policy", "")


def _fresh(page: Page) -> bool:
    return page.expires is None or time.time() < page.expires


def _send(page: Page, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
    return _start(start_response, *_answer(page, environ))


def _answer(page: Page, environ: dict[str, Any]) -> tuple[str, Headers, bytes]:
    status, headers, body = page.answer(environ)
    return status, headers, b"" if environ.get("REQUEST_METHOD") == "HEAD" else body


def _start(
    start_response: StartResponse, status: str, headers: Headers, body: bytes
) -> list[bytes]:
    start_response(status, _copy(headers))
    return [body] if body else []


def _copy(headers: Headers) -> list[tuple[str, str]]:
    # A fresh list: some servers (wsgiref) add Date and Server to the list they are given.
    return list(headers)


def _pass(
    result: Response, environ: dict[str, Any], start_response: StartResponse
) -> Iterable[bytes]:
    start_response(result.status, result.headers)
    if environ.get("REQUEST_METHOD") == "HEAD":
        _close(result.body)  # a HEAD may have been rendered as a GET
        return []
    return result.body


def _close(body: Iterable[bytes]) -> None:
    close = getattr(body, "close", None)
    if close is not None:
        close()  # Django's request_finished: returns database connections


def _no_write(data: bytes) -> None:
    raise RuntimeError("the write() callable of WSGI is not supported by the fast path")


def fast_path(app: WSGIApp) -> WSGIApp:
    """``app`` behind the page cache configured in settings; ``app`` itself when the
    cache is off (``WATWERKT_PAGE_CACHE_MB=0``)."""
    budget = settings.PAGE_CACHE_MB * 1024 * 1024
    if budget <= 0:
        return app
    return FastPath(
        app,
        pages=BoundedLRU(budget, lambda page: page.size),
        clock=RevisionClock(settings.REVISION_CHECK_MS / 1000),
        shared=SharedPages.from_settings(),
        copies=Copies.from_settings(),
    )

"""Calling WSGI applications the way a server does, and a stand-in public site.

Django's test client skips the WSGI layer where the fast path lives, so these
tests call ``FastPath(...)`` with a plain environ, like granian does.
"""

from __future__ import annotations

import gzip
import io
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from watwerkt.status.revision import RevisionState
from watwerkt.webcache.clock import RevisionClock
from watwerkt.webcache.fastpath import FastPath, StartResponse
from watwerkt.webcache.lru import BoundedLRU
from watwerkt.webcache.page import Page
from watwerkt.webcache.shared import SharedPages
from watwerkt.webcache.ticket import ENVIRON_KEY, Ticket


class Counting:
    """Django, counting the requests that reach it."""

    def __init__(self) -> None:
        self.django = WSGIHandler()
        self.calls = 0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        self.calls += 1
        return self.django(environ, start_response)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes

    def text(self) -> str:
        data = self.body
        if self.headers.get("content-encoding") == "gzip":
            data = gzip.decompress(data)
        return data.decode()


def environ(path: str = "/stad/", method: str = "GET", **headers: str) -> dict[str, Any]:
    """A WSGI environ for ``path`` (with its query string); headers as ``if_none_match=...``."""
    path_info, _, query = path.partition("?")
    env: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for name, value in headers.items():
        env[f"HTTP_{name.upper()}"] = value
    return env


@contextmanager
def quiet_connections() -> Iterator[None]:
    """Keep Django's request signals off the test's database connection, as Django's
    own test client does: closing it would end the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def call(app: Callable[..., Iterable[bytes]], path: str = "/stad/", **kw: str) -> Answer:
    method = kw.pop("method", "GET")
    got: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        got["status"], got["headers"] = status, headers

    with quiet_connections():
        chunks = app(environ(path, method, **kw), start_response)
        try:
            body = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
    headers = {k.lower(): v for k, v in got["headers"]}
    return Answer(int(got["status"].split()[0]), headers, body)


class Ticking:
    """A clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def fast(
    app: Callable[..., Iterable[bytes]],
    read: Callable[[], RevisionState] | None = None,
    interval: float = 0.5,
    now: Ticking | None = None,
    budget: int = 8 * 1024 * 1024,
    shared: SharedPages | None = None,
    wait: float = 1.0,
) -> FastPath:
    clock = RevisionClock(interval, now=now or Ticking(), **({"read": read} if read else {}))
    pages: BoundedLRU[str, Page] = BoundedLRU(budget, lambda page: page.size)
    return FastPath(app, pages=pages, clock=clock, shared=shared, wait=wait)


# -- a stand-in public site, for the machinery on its own -------------------------


@dataclass
class Revisions:
    """The catalogue revision, as a stand-in database holds it."""

    number: int = 1
    fail: bool = False

    def read(self) -> RevisionState:
        if self.fail:
            from django.db import OperationalError

            raise OperationalError("the database is down")
        return self.state()

    def state(self) -> RevisionState:
        return RevisionState(self.number, datetime(2022, 12, 6, 9, self.number, tzinfo=UTC))

    def bump(self) -> None:
        self.number += 1


@dataclass
class FakeSite:
    """Answers every GET like a public page: a ticket, an ETag, a body naming the revision
    and the language. ``extra`` headers and ``status`` make it misbehave on purpose."""

    revisions: Revisions
    delay: float = 0.0
    status: str = "200 OK"
    extra: list[tuple[str, str]] = field(default_factory=list)
    vary: str = "Accept-Encoding"
    ticket: bool = True
    expires: float | None = None
    calls: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        with self.lock:
            self.calls += 1
        revision = self.revisions.state()
        if self.delay:
            time.sleep(self.delay)
        language = environ.get("HTTP_ACCEPT_LANGUAGE", "nl")[:2]
        body = f"<p>revision {revision.number} in {language} {environ['QUERY_STRING']}</p>" * 40
        if self.ticket:
            environ[ENVIRON_KEY] = Ticket(revision, None, self.expires)
        start_response(
            self.status,
            [
                ("Content-Type", "text/html; charset=utf-8"),
                ("ETag", f'W/"{revision.number}-{language}"'),
                ("Vary", self.vary),
                ("X-Frame-Options", "DENY"),
                *self.extra,
            ],
        )
        return [body.encode()]

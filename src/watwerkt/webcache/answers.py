"""The answers the fast path gave, kept under the exact request that got them.

Working an answer out of a stored page takes a few microseconds of Python:
the resource key, the page's variant rules, the language that
Accept-Language picks, gzip or not, 304 or not. Under load most requests
repeat an earlier one byte for byte (the same browsers, the same
aggregators polling), so the answer a request got is kept under the request
values that decided it, and an identical request costs one dictionary
lookup and a revision check. Every microsecond a worker thread spends
holding the interpreter lock is one the worker's other threads wait, so
this is worth more under load than it saves on its own (docs/performance.md).

The key is every request value the answer depends on: the method, what
:func:`.keys.resource` reads, the query string, Accept-Language,
Accept-Encoding and the two conditional headers. Only pages whose ``Vary``
names nothing else have their answers kept. Authorization is in the key and
answers are kept only for requests without it, so a request that carries
credentials never matches one.

An answer holds its page weakly: the page store's memory budget stays the
only one, and a page that is evicted or replaced takes its answers with it.
The table holds at most :data:`ENTRIES` answers and starts again empty when
it is full, so a client cycling through header values leaves nothing behind.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import Any, NamedTuple

from .page import Headers, Page

FIELDS = (
    "REQUEST_METHOD",
    "HTTP_AUTHORIZATION",
    "wsgi.url_scheme",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_HOST",
    "SERVER_NAME",
    "HTTP_X_FORWARDED_HOST",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_ACCEPT_ENCODING",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
)
ENTRIES = 4096  # a few hundred bytes each
CREDENTIALS = FIELDS.index("HTTP_AUTHORIZATION")

Request = tuple[Any, ...]


class Answer(NamedTuple):
    page: weakref.ref[Page]
    key: str  # the page's key in the page store
    status: str
    headers: Headers
    gzipped: bool | None  # which body: None for none (304, HEAD)


class Answers:
    def __init__(self, entries: int = ENTRIES) -> None:
        self.entries = entries
        self._table: dict[Request, Answer] = {}

    @staticmethod
    def request(environ: Mapping[str, Any]) -> Request:
        return tuple(map(environ.get, FIELDS))

    def get(self, request: Request) -> tuple[Answer, Page] | None:
        """The answer kept for ``request`` and its page, while the page lives."""
        answer = self._table.get(request)
        if answer is None:
            return None
        page = answer.page()
        return None if page is None else (answer, page)

    def keep(
        self, request: Request, key: str, page: Page, status: str, headers: Headers, body: bytes
    ) -> None:
        """Keep the answer ``page`` gave ``request`` (not one to a request with credentials)."""
        if request[CREDENTIALS] is not None:
            return
        gzipped = None if not body else body is not page.plain.data
        if len(self._table) >= self.entries:
            self._table.clear()
        self._table[request] = Answer(weakref.ref(page), key, status, headers, gzipped)

    def __len__(self) -> int:
        return len(self._table)


def body_of(answer: Answer, page: Page) -> list[bytes]:
    if answer.gzipped is None:
        return []
    if answer.gzipped and page.gzipped is not None:
        return [page.gzipped.data]
    return [page.plain.data]

"""The least any WSGI application can do: stored bytes, answered with no thought.

``bench/http.sh`` serves this with granian, with the same workers and threads as
``watwerkt serve``, for the same pages, with the very bodies and headers that
watwerkt sent. It is the ceiling of a WSGI answer on that server: what is
between it and nginx is the server's WSGI bridge, what is between watwerkt
and it is watwerkt's own work.

It reads the directory named by ``BARE_WWW``, as ``bench/http.sh`` fills it:
per page its plain body (``index.html`` for a path ending in ``/``), the gzip
body next to it (``.gz``), and the headers watwerkt sent for each answer
(``.plain.headers``, ``.gz.headers``, ``.304.headers``: ``name: value`` lines).
It answers 304 to any If-None-Match and gzip to any Accept-Encoding naming it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NamedTuple

Headers = list[tuple[str, str]]
SKIPPED = {"date", "server"}  # the server adds its own


class Stored(NamedTuple):
    plain: bytes
    gzipped: bytes
    plain_headers: Headers
    gzip_headers: Headers
    not_modified_headers: Headers


def _headers(path: Path) -> Headers:
    found = []
    for line in path.read_text().splitlines():
        name, _, value = line.partition(":")
        if value and name.lower() not in SKIPPED:
            found.append((name.strip(), value.strip()))
    return found


def _load(root: Path) -> dict[str, Stored]:
    pages = {}
    for body in root.rglob("*.plain.headers"):
        file = body.with_name(body.name.removesuffix(".plain.headers"))
        url = "/" + str(file.relative_to(root)).removesuffix("index.html")
        pages[url] = Stored(
            file.read_bytes(),
            file.with_name(file.name + ".gz").read_bytes(),
            _headers(body),
            _headers(file.with_name(file.name + ".gz.headers")),
            _headers(file.with_name(file.name + ".304.headers")),
        )
    return pages


PAGES = _load(Path(os.environ.get("BARE_WWW", ".")))


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    page = PAGES.get(environ["PATH_INFO"])
    if page is None:
        start_response("404 Not Found", [("Content-Length", "0")])
        return []
    if "HTTP_IF_NONE_MATCH" in environ:
        start_response("304 Not Modified", list(page.not_modified_headers))
        return []
    if "gzip" in environ.get("HTTP_ACCEPT_ENCODING", ""):
        start_response("200 OK", list(page.gzip_headers))
        return [page.gzipped]
    start_response("200 OK", list(page.plain_headers))
    return [page.plain]

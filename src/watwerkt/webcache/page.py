"""A stored response: its bytes, plain and gzipped, and how to answer any request for it.

Everything a request can ask for is worked out once, when the page is
stored: the gzip body (compressing costs ~0.3 ms for the demo overview, so
doing it per request would cost more than the rest of the answer), and the
header lists of each answer — plain, gzip, 304 — so answering is a choice
between prepared values.

The ETag is weak (``W/"..."``), as nginx makes it when it compresses: the
plain and the gzip bytes are one representation in two encodings, so one
validator answers both, and ``If-None-Match`` compares weakly anyway.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.utils.http import parse_http_date_safe

from watwerkt.status.revision import RevisionState

Headers = tuple[tuple[str, str], ...]

# Below this, gzip's own header and trailer eat most of what it saves.
MIN_COMPRESS = 256
GZIP_LEVEL = 6  # level 9 saves 0.2% more on the demo overview for the same time: not worth it
COMPRESSIBLE = ("text/", "application/json", "application/xml", "image/svg+xml")
COMPRESSIBLE_SUFFIXES = ("+json", "+xml")
# Headers that describe the body, left out of a 304 (RFC 9110, 15.4.5).
BODY_HEADERS = frozenset({"content-type", "content-length", "content-encoding"})


@dataclass(frozen=True, slots=True)
class Body:
    data: bytes
    headers: Headers  # for a 200 (and a HEAD) with this body


@dataclass(frozen=True, slots=True, weakref_slot=True)
class Page:
    revision: RevisionState
    etag: str
    last_modified: int | None  # seconds since the epoch
    expires: float | None  # seconds since the epoch: the content changes by itself then
    plain: Body
    gzipped: Body | None
    not_modified: Headers

    @property
    def size(self) -> int:
        """Bytes this page holds, roughly: what the in-process store counts."""
        headers = sum(len(k) + len(v) for k, v in self.plain.headers) * 3
        return len(self.plain.data) + (len(self.gzipped.data) if self.gzipped else 0) + headers

    def answer(self, environ: dict[str, Any]) -> tuple[str, Headers, bytes]:
        """Status line, headers and body for this request: 304, gzip or plain."""
        if self._not_modified(environ):
            return "304 Not Modified", self.not_modified, b""
        body = self.plain
        if self.gzipped is not None and accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", "")):
            body = self.gzipped
        return "200 OK", body.headers, body.data

    def _not_modified(self, environ: dict[str, Any]) -> bool:
        # RFC 9110, 13.2.2: If-Modified-Since counts only without If-None-Match.
        tags = environ.get("HTTP_IF_NONE_MATCH")
        if tags is not None:
            return etag_matches(tags, self.etag)
        since = environ.get("HTTP_IF_MODIFIED_SINCE")
        if since is None or self.last_modified is None:
            return False
        stamp = _http_date(since)
        return stamp is not None and self.last_modified <= stamp


def build(
    revision: RevisionState, headers: Iterable[tuple[str, str]], data: bytes, expires: float | None
) -> Page:
    """A page from a full response's headers and body; gzipped here, once."""
    kept = [(k, v) for k, v in headers if k.lower() != "content-length"]
    named = {k.lower(): v for k, v in kept}
    etag = named.get("etag", "")
    last_modified = _http_date(named.get("last-modified", ""))
    compress = _compressible(named, data)
    if compress:
        kept = _vary_on_encoding(kept)
    plain = Body(data, (*kept, ("Content-Length", str(len(data)))))
    gzipped = None
    if compress:
        packed = gzip.compress(data, GZIP_LEVEL, mtime=0)  # mtime 0: same bytes on every instance
        if len(packed) < len(data):
            encoded = [*kept, ("Content-Encoding", "gzip"), ("Content-Length", str(len(packed)))]
            gzipped = Body(packed, tuple(encoded))
    not_modified = tuple((k, v) for k, v in kept if k.lower() not in BODY_HEADERS)
    return Page(revision, etag, last_modified, expires, plain, gzipped, not_modified)


def _vary_on_encoding(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``headers`` with Accept-Encoding in Vary (PublicPage puts it there; a page
    that comes without it must not be cached by a proxy as if it never varied)."""
    vary = [v for k, v in headers if k.lower() == "vary"]
    if any("accept-encoding" in v.lower() for v in vary):
        return headers
    others = [(k, v) for k, v in headers if k.lower() != "vary"]
    return [*others, ("Vary", ", ".join([*vary, "Accept-Encoding"]))]


def _compressible(named: dict[str, str], data: bytes) -> bool:
    if len(data) < MIN_COMPRESS or "content-encoding" in named:
        return False
    kind = named.get("content-type", "").split(";")[0].strip().lower()
    return kind.startswith(COMPRESSIBLE) or kind.endswith(COMPRESSIBLE_SUFFIXES)


@lru_cache(maxsize=256)
def accepts_gzip(header: str) -> bool:
    """Whether ``Accept-Encoding`` allows gzip: named (or ``*``) with a q above 0."""
    wildcard = None
    for part in header.lower().split(","):
        coding, _, params = part.partition(";")
        coding = coding.strip()
        q = _quality(params)
        if coding in ("gzip", "x-gzip"):
            return q > 0
        if coding == "*":
            wildcard = q > 0
    return bool(wildcard)


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


@lru_cache(maxsize=1024)
def etag_matches(header: str, etag: str) -> bool:
    """Weak comparison (RFC 9110, 8.8.3.2), which is what If-None-Match uses."""
    if header.strip() == "*":
        return True
    mine = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == mine for tag in header.split(","))


@lru_cache(maxsize=256)
def _http_date(value: str) -> int | None:
    return parse_http_date_safe(value) if value else None

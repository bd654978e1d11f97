"""Which requests share one stored page.

A key has two parts, as in Django's own cache middleware: the *resource* —
scheme, host and path, what is known before anything is rendered — and the
*variant* within it, which depends on what the stored response said it
varies on: its ``Vary`` header and its ticket's query parameters. The
variant rules of a resource (its :class:`Policy`) are learnt from the first
response stored for it, so the fast path asks nothing it does not need.

Everything here runs on every cached request: plain string work, and
``lru_cache`` for the parsing that clients repeat byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.http import HttpRequest
from django.utils import translation

Environ = Mapping[str, Any]

# Request headers a stored page may never vary on: they identify a person.
PERSONAL = frozenset({"cookie", "authorization", "*"})


def resource(environ: Environ) -> str:
    """Scheme, host and path: what Django reads to build absolute URLs and to decide
    on HSTS. The forwarded headers are in the key as sent, so a page built for
    one proxy's view of the request is never answered to another."""
    return "|".join(
        (
            environ.get("wsgi.url_scheme", "http"),
            environ.get("HTTP_X_FORWARDED_PROTO", ""),
            environ.get("HTTP_HOST", "") or environ.get("SERVER_NAME", ""),
            environ.get("HTTP_X_FORWARDED_HOST", ""),
            environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""),
        )
    )


@dataclass(frozen=True, slots=True)
class Policy:
    """How the pages of one resource differ: the request headers they vary on
    (as WSGI environ names) and the query parameters they read."""

    headers: tuple[str, ...]
    query: tuple[str, ...] | None

    @classmethod
    def learn(cls, vary: str, query: tuple[str, ...] | None) -> Policy | None:
        """The policy of a response with this ``Vary`` header; None when it varies per person."""
        names = [h.strip().lower() for h in vary.split(",") if h.strip()]
        if PERSONAL.intersection(names):
            return None
        # Accept-Encoding is what this cache itself answers, from one stored page.
        headers = sorted({_environ_name(h) for h in names if h != "accept-encoding"})
        return cls(tuple(headers), query)

    @property
    def by_request_alone(self) -> bool:
        """Whether the variant follows from the request values that
        :mod:`.answers` keys on: no header but Accept-Language."""
        return all(name == "HTTP_ACCEPT_LANGUAGE" for name in self.headers)

    def variant(self, environ: Environ) -> str:
        """The part of the key that tells this request's page from its siblings."""
        query = canonical_query(self.query, environ.get("QUERY_STRING", ""))
        if not self.headers:
            return query
        parts = [query]
        for name in self.headers:
            if name == "HTTP_ACCEPT_LANGUAGE":
                parts.append(negotiated_language(environ))
            else:
                parts.append(environ.get(name, ""))
        return "\n".join(parts)


def _environ_name(header: str) -> str:
    return "HTTP_" + header.upper().replace("-", "_")


def canonical_query(names: tuple[str, ...] | None, query: str) -> str:
    """The query string as far as a page reads it: all of it (``names`` None), or
    only the named parameters, sorted, so ``?_=123`` cache-busters share a page."""
    if names is None or not query:
        return query
    return _only(names, query)


@lru_cache(maxsize=1024)
def _only(names: tuple[str, ...], query: str) -> str:
    kept = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k in names]
    return urlencode(sorted(kept))


def negotiated_language(environ: Environ) -> str:
    """The language Django would pick from Accept-Language (not from the path: the
    path is in the resource already). Keying on this and not on the raw header
    keeps a page to one copy per language.

    Not from Django's language cookie either: this site never sets it (public
    pages take their language from the URL, the console is Dutch, the APIs
    say theirs), and a page that says ``Vary: Accept-Language`` must depend on
    that header alone, or a shared cache in front would hand one visitor's
    cookie-chosen page to everyone with the same header. The public pages'
    language offer (watwerkt.public.languages) is decided by this function.
    """
    return _negotiate(environ.get("HTTP_ACCEPT_LANGUAGE", ""))


@lru_cache(maxsize=512)
def _negotiate(accept: str) -> str:
    request = HttpRequest()
    request.META["HTTP_ACCEPT_LANGUAGE"] = accept
    return translation.get_language_from_request(request)

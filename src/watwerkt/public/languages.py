"""The language of a public page: in its URL, offered from Accept-Language, switched.

Every public page exists in each language of :data:`settings.LANGUAGES`, at
the same path behind a language prefix: ``/antwerpen/`` (Dutch, the
default, without prefix), ``/fr/antwerpen/``, ``/en/antwerpen/``,
``/de/antwerpen/``. The URL alone decides the language, so a link always
opens the page in the language it was shared in, and each URL is one page in
every cache.

A visitor whose browser prefers another language and arrives at an
unprefixed (Dutch) URL is *offered* that language — a link at the top of
the page, "Cette page existe aussi en français." — and not redirected: a
redirect would send a shared Dutch link to someone else's language, and
would make every unprefixed URL a redirect for some and a page for others.
The offer depends on the Accept-Language header and on nothing else, so the
unprefixed pages say ``Vary: Accept-Language`` (Django's LocaleMiddleware
sends it there anyway), the page cache keeps them once per negotiated
language (:func:`watwerkt.webcache.keys.negotiated_language`, the same
function that decides the offer), and their ETag names the offer. Prefixed
pages offer nothing and vary on nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.translation import pgettext

from watwerkt.webcache.keys import canonical_query, negotiated_language

# PublicPage leaves the query parameters its page reads here, so that links to
# the same page in another language keep exactly those (see PublicPage.query).
QUERY_KEY = "watwerkt.public.query"


def default_language() -> str:
    return str(settings.LANGUAGE_CODE)


def codes() -> tuple[str, ...]:
    return tuple(code for code, _name in settings.LANGUAGES)


def split(path: str) -> tuple[str, str]:
    """``path`` (without script prefix) as (its language, the path without prefix)."""
    for code in codes():
        if code != default_language() and path.startswith(f"/{code}/"):
            return code, path[len(code) + 1 :]
    return default_language(), path


def path_in(language: str, rest: str) -> str:
    """The path of the page at ``rest`` (unprefixed) in ``language``."""
    return rest if language == default_language() else f"/{language}{rest}"


@dataclass(frozen=True)
class Version:
    """The page in one language."""

    language: str
    name: str  # the language's own name: "Français"
    href: str  # path and query, for links
    url: str  # absolute, for hreflang
    current: bool


def versions(request: HttpRequest) -> tuple[Version, ...]:
    """The page being shown, in every language (its own included)."""
    here, rest = split(request.path_info)
    prefix = get_script_prefix().rstrip("/")
    query = _query(request)
    found = []
    for code, name in settings.LANGUAGES:
        href = f"{prefix}{path_in(code, rest)}{query}"
        found.append(Version(code, name, href, request.build_absolute_uri(href), code == here))
    return tuple(found)


def _query(request: HttpRequest) -> str:
    """The query parameters the page reads (none for a page that did not say)."""
    if QUERY_KEY not in request.META:
        return ""
    query = canonical_query(request.META[QUERY_KEY], request.META.get("QUERY_STRING", ""))
    return f"?{query}" if query else ""


def offer(request: HttpRequest) -> str:
    """The language to offer a visitor of an unprefixed page: the one their browser
    prefers, when it is not the page's; "" for none (and on prefixed pages)."""
    here, _rest = split(request.path_info)
    if here != default_language():
        return ""
    wanted = negotiated_language(request.META)
    return wanted if wanted != here and wanted in codes() else ""


def offer_text(language: str) -> str:
    """ "Cette page existe aussi en français.", said in ``language`` itself."""
    with translation.override(language):
        return pgettext("language offer", "Deze pagina bestaat ook in het Nederlands.")

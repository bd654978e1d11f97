"""Template tags of the public site."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext

from watwerkt.present import foreign
from watwerkt.present.fragments import lines_html
from watwerkt.present.overview import Line
from watwerkt.public import languages

register = template.Library()


@register.simple_tag
def service_lines(lines: Iterable[Line]) -> SafeString:
    """The ``<li>`` of every line in a group (see :mod:`watwerkt.present.fragments`)."""
    return lines_html(lines)


# -- texts in another language (watwerkt.present.foreign) ---------------------------------


@register.filter(is_safe=True)
def marked(value: Any) -> SafeString:
    """A text as HTML, its parts in another language than the page's in ``<span lang>``.
    Only in element content: in an attribute or ``<title>``, write the text plainly."""
    if isinstance(value, SafeString):
        return value
    return mark_safe(foreign.html_of(str(value) if not isinstance(value, str) else value))  # noqa: S308 -- escaped


@register.filter(is_safe=True)
def marked_join(values: Iterable[str], separator: str) -> SafeString:
    return mark_safe(foreign.html_of(foreign.join(separator, values)))  # noqa: S308 -- escaped


@register.simple_tag
def lang_note(*values: Any) -> SafeString:
    """ "(en néerlandais)" once for a block whose texts fall back to another language."""
    return mark_safe(foreign.note_html(foreign.languages_of(*values)))  # noqa: S308 -- escaped


# -- the page in other languages (watwerkt.public.languages) -----------------------------


@register.inclusion_tag("public/fragment_languages.html", takes_context=True)
def language_switcher(context: template.Context) -> dict[str, Any]:
    """Links to this page in every other language, each named in its own."""
    request = context.get("request")
    found = languages.versions(request) if request is not None else ()
    return {"versions": found, "label": pgettext("language switcher", "Taal")}


@register.simple_tag(takes_context=True)
def hreflang_links(context: template.Context) -> SafeString:
    """``<link rel="alternate" hreflang>`` for every language, and ``x-default``:
    the unprefixed URL, which offers each visitor their browser's language."""
    request = context.get("request")
    if request is None:
        return SafeString("")
    out = []
    for version in languages.versions(request):
        url = foreign.escape(version.url)
        out.append(f'<link rel="alternate" hreflang="{version.language}" href="{url}">')
        if version.language == languages.default_language():
            out.append(f'<link rel="alternate" hreflang="x-default" href="{url}">')
    return mark_safe("\n".join(out))  # noqa: S308 -- escaped


@register.inclusion_tag("public/fragment_language_offer.html", takes_context=True)
def language_offer(context: template.Context) -> dict[str, Any]:
    """On an unprefixed (Dutch) page, a link to the version in the browser's language."""
    request = context.get("request")
    code = languages.offer(request) if request is not None else ""
    if request is None or not code:
        return {"offer": None}
    version = next(v for v in languages.versions(request) if v.language == code)
    return {"offer": version, "text": languages.offer_text(code)}

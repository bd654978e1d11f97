"""Catalogue texts shown in another language than the page's, and how they are marked.

A French page of an organisation whose catalogue is only partly translated
shows some texts in Dutch (the organisation's language, field by field, see
:func:`watwerkt.lib.i18n.pick`). Such a text is marked twice:

- in the markup, with a ``lang`` attribute on the text itself, so screen
  readers pronounce it in its own language (WCAG 2.1, 3.1.2 Language of
  Parts);
- visibly, with one short note per block in the page's language — "(en
  néerlandais)" after an overview line, a help text, a heading — not one per
  word.

The texts stay plain ``str`` everywhere (titles, attributes, SVG titles,
search, the press overview, JSON): :class:`Foreign` and :class:`Mixed` are
``str`` subclasses that also know their marked-up HTML and the languages in
them. Only the writers of HTML ask for that (:func:`html_of` in Python, the
``marked`` filter in templates), so a text in an attribute or a ``<title>``
can never carry markup by accident. A phrase built around a foreign text
("behalve enkele formulieren ...") is built with :func:`fmt` or :func:`join`
to keep the marking of its parts; plain ``%`` or f-strings give plain text.

Names of back-end systems in explanations are not marked: they are proper
names, which 3.1.2 leaves out.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping
from html import escape as _escape
from typing import Any

from django.utils.translation import gettext as _

from watwerkt.lib.i18n import LANGUAGES, Localised

_SPECIAL = re.compile(r"[&<>\"']")


def escape(text: str) -> str:
    """HTML-escape ``text`` (most texts need nothing: one search first)."""
    return _escape(text) if _SPECIAL.search(text) else str(text)


class Marked(str):
    """A text that is, wholly or in part, in another language than the page's."""

    languages: frozenset[str]

    @property
    def html(self) -> str:
        raise NotImplementedError


class Foreign(Marked):
    """A catalogue text in one language, ``language``, that is not the page's."""

    language: str

    def __new__(cls, text: str, language: str) -> Foreign:
        made = super().__new__(cls, text)
        made.language = language
        made.languages = frozenset((language,))
        return made

    @property
    def html(self) -> str:
        return f'<span lang="{self.language}">{escape(self)}</span>'

    def lower(self) -> Foreign:
        return Foreign(str.lower(self), self.language)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Foreign, (str(self), self.language))


class Mixed(Marked):
    """A phrase in the page's language around one or more foreign texts."""

    _html: str

    def __new__(cls, text: str, html: str, languages: frozenset[str]) -> Mixed:
        made = super().__new__(cls, text)
        made._html = html
        made.languages = languages
        return made

    @property
    def html(self) -> str:
        return self._html

    def __reduce__(self) -> tuple[Any, ...]:
        return (Mixed, (str(self), self._html, self.languages))


def marked(found: Localised, wanted: str) -> str:
    """A text :func:`~watwerkt.lib.i18n.pick` found: :class:`Foreign` when it is not
    in ``wanted``, the page's language."""
    return Foreign(found.text, found.language) if found.is_fallback(wanted) else found.text


def html_of(text: str) -> str:
    """``text`` as HTML: escaped, its foreign parts in ``<span lang>``."""
    return text.html if isinstance(text, Marked) else escape(text)


def fmt(template: str, **values: Any) -> str:
    """``template % values``, keeping the marking of foreign values (plain otherwise)."""
    marked = [v for v in values.values() if isinstance(v, Marked)]
    if not marked:
        return template % values
    html = escape(template) % {
        k: html_of(v) if isinstance(v, str) else v for k, v in values.items()
    }
    return Mixed(template % values, html, frozenset().union(*(v.languages for v in marked)))


def join(separator: str, parts: Iterable[str]) -> str:
    """``separator.join(parts)``, keeping the marking of foreign parts."""
    parts = list(parts)
    marked = [p for p in parts if isinstance(p, Marked)]
    if not marked:
        return separator.join(parts)
    html = escape(separator).join(html_of(p) for p in parts)
    return Mixed(separator.join(parts), html, frozenset().union(*(p.languages for p in marked)))


def languages_of(*values: Any) -> frozenset[str]:
    """Every language other than the page's that ``values`` show.

    Understands marked texts, values that say their ``languages`` (lines,
    help texts), values with ``fallback`` and ``language`` (incident titles
    and texts), and tuples, lists and dataclasses of any of these.
    """
    found: set[str] = set()
    stack = list(values)
    while stack:
        value = stack.pop()
        if isinstance(value, Marked):
            found |= value.languages
        elif isinstance(value, str) or value is None:
            continue
        elif isinstance(value, list | tuple):
            stack.extend(value)
        elif hasattr(value, "languages"):
            found |= value.languages
        elif hasattr(value, "fallback") and hasattr(value, "language"):
            if value.fallback:
                found.add(value.language)
        elif dataclasses.is_dataclass(value):  # a table row, a cell: look inside
            stack.extend(getattr(value, f.name) for f in dataclasses.fields(value))
    return frozenset(found)


# The note, in the page's language: one per language a block falls back to.
NOTES: Mapping[str, Callable[[], str]] = {
    "nl": lambda: _("(in het Nederlands)"),
    "fr": lambda: _("(in het Frans)"),
    "en": lambda: _("(in het Engels)"),
    "de": lambda: _("(in het Duits)"),
}


def note(languages: Iterable[str]) -> str:
    """ "(en néerlandais)": what a block's foreign texts are in, said in the page's language."""
    wanted = set(languages)
    return " ".join(NOTES[code]() for code in LANGUAGES if code in wanted)


def note_html(languages: Iterable[str]) -> str:
    """The note as HTML (a leading space included), or nothing when there is none."""
    said = note(languages)
    return f' <span class="lang-note">{escape(said)}</span>' if said else ""

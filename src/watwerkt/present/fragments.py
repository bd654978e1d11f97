"""The HTML of overview lines, written out in Python.

An overview of a large city has 5,000 lines; Django's template engine needs
about 100 µs per line, which alone is several times the budget for the whole
page (bench/overview.py prints the figures). Writing the same markup with
string joins takes a few µs per line. The page around the lines stays a
template; only the loop that runs thousands of times lives here. Every text
is escaped; the markup is the one the CSS in ``static/public/site.css`` styles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape as _escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .foreign import Marked, languages_of, note_html
from .overview import HelpView, Line

_SPECIAL = re.compile(r"[&<>\"']")


def escape(text: str) -> str:
    """HTML-escape ``text``; most texts need nothing, and one search is cheaper
    than the five replacements that :func:`html.escape` always makes. A text in
    another language than the page's comes out in ``<span lang>``."""
    if isinstance(text, Marked):
        return text.html
    return _escape(text) if _SPECIAL.search(text) else text


def alternatives_html(items: Iterable[HelpView], out: list[str]) -> None:
    out.append('<ul class="help alternatives">')
    for h in items:
        out.append("<li>")
        if h.scope:
            out.append(f'<span class="scope">{escape(h.scope)}:</span> ')
        out.append(escape(h.text))
        if h.channel:
            out.append(f" ({escape(h.channel)})")
        if h.hours:
            out.append(f' <span class="hours">{escape(h.hours)}</span>')
        for link in h.links:
            out.append(
                f' <a class="link link-{link.kind}" href="{escape(link.href)}">'
                f"{escape(link.label)}</a>"
            )
        out.append(f"{note_html(h.languages)}</li>")
    out.append("</ul>")


def notes_html(items: Iterable[HelpView], out: list[str]) -> None:
    out.append('\n<ul class="help notes">')
    for h in items:
        scope = f'<span class="scope">{escape(h.scope)}:</span> ' if h.scope else ""
        out.append(
            f'<li class="note-{h.kind}"><span class="kind">{escape(h.kind_label)}:</span> '
            f"{scope}{escape(h.text)}{note_html(h.languages)}</li>"
        )
    out.append("</ul>")


def lines_html(lines: Iterable[Line]) -> SafeString:
    """``<li>`` elements for the lines of one group of the overview."""
    out: list[str] = []
    what_to_do = ""
    for line in lines:
        out.append(
            f'<li class="line level-{line.level}"><a class="name" href="{escape(line.href)}">'
            f"{escape(line.name)}</a>"
        )
        if line.badge:
            out.append(f' <span class="badge">({escape(line.badge)})</span>')
        if line.qualifiers:
            out.append(": " + ", ".join(escape(q) for q in line.qualifiers))
        languages = line.languages
        if languages:
            out.append(note_html(languages))
        if line.parts:
            out.append('\n<ul class="parts">')
            for p in line.parts:
                details = ", ".join(escape(q) for q in p.qualifiers)
                out.append(
                    f'<li class="level-{p.level}">{escape(p.label)}: '
                    f"<strong>{escape(p.level_label)}</strong>"
                    + (f", {details}" if details else "")
                    + (f" ({escape(p.expected)})" if p.expected else "")
                    + note_html(languages_of(p.label, p.qualifiers))
                    + "</li>\n"
                )
            out.append("</ul>")
        if line.since or line.expected:
            between = " · " if line.since and line.expected else ""
            out.append(
                f'\n<p class="when">{escape(line.since)}{between}{escape(line.expected)}</p>'
            )
        if line.alternatives:
            what_to_do = what_to_do or escape(_("Wat kun je doen?"))
            out.append(f'\n<div class="instead"><p class="label">{what_to_do}</p>\n')
            alternatives_html(line.alternatives, out)
            out.append("</div>")
        if line.instructions:
            notes_html(line.instructions, out)
        out.append("</li>\n")
    return mark_safe("".join(out))  # noqa: S308 -- every text above is escaped

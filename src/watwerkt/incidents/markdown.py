"""Markdown as the comms team writes it, as HTML the public may safely see.

Two layers, so that neither has to be perfect on its own:

1. markdown-it-py renders CommonMark with raw HTML switched off (a pasted
   ``<script>`` shows as text), images shown as their description, and
   headings moved below the page's own (``#`` becomes ``<h3>``);
2. nh3 then keeps only a small allow-list of tags, ``href`` only with safe
   schemes, and gives every link ``rel="noopener noreferrer"``.

Rendering is pure (same Markdown, same HTML) and cached, so pages that show
the same update in every request pay for it once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from watwerkt.lib.i18n import pick

ALLOWED_TAGS = frozenset(
    {"p", "br", "ul", "ol", "li", "strong", "em", "a", "h3", "h4", "blockquote", "code"}
)
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Content that is never text: dropped with the tag, not unwrapped.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "iframe", "object", "svg"})
LEVELS = (3, 4)  # the headings a text may use: the page has h1 and h2 of its own


def _image_as_text(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """No images in updates: say what the image showed instead."""
    token = tokens[idx]
    return escapeHtml(token.content)


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.add_render_rule("image", _image_as_text)
    return md


_MD = _parser()


def _shift_headings(tokens: list[Token], top: int) -> None:
    """``#`` becomes ``<h{top}>``, deeper levels follow, never beyond ``<h4>``."""
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(top + int(token.tag[1]) - 1, LEVELS[-1])
            token.tag = f"h{level}"


@lru_cache(maxsize=4096)
def to_html(text: str, top: int = 3) -> SafeString:
    """``text`` (Markdown) as sanitised HTML, its headings starting at ``<h{top}>``
    (3 or 4: below the headings of the page around it); empty for empty text."""
    if top not in LEVELS:
        raise ValueError(f"headings start at h3 or h4, not h{top}")
    if not text.strip():
        return mark_safe("")
    tokens = _MD.parse(text)
    _shift_headings(tokens, top)
    html = _MD.renderer.render(tokens, _MD.options, {})
    clean = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return mark_safe(clean.strip())  # noqa: S308 -- sanitised by nh3 just above


@dataclass(frozen=True)
class Rendered:
    """A text rendered for one language, and which language it really is in."""

    html: SafeString
    language: str
    fallback: bool  # True: not in the language asked for (mark it, e.g. with ``lang``)

    def __bool__(self) -> bool:
        return bool(self.html)


def render(texts: Mapping[str, str] | None, language: str, default: str, top: int = 3) -> Rendered:
    """The Markdown of ``texts`` in ``language``, else in ``default`` (the
    organisation's language), else in any language there is, as HTML."""
    found = pick(texts, language, default)
    return Rendered(to_html(found.text, top), found.language, found.is_fallback(language))

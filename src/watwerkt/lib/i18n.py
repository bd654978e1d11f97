"""Translatable content: a mapping from language code to text.

Interface strings go through gettext; catalogue content (service names,
alternatives, instructions) is stored per language as ``{"nl": ..., "fr": ...}``
and falls back, field by field, to the organisation's default language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

LANGUAGES = ("nl", "fr", "en", "de")
DEFAULT_LANGUAGE = "nl"


class Localised(NamedTuple):
    text: str
    language: str  # the language the text is actually in

    def is_fallback(self, wanted: str) -> bool:
        return bool(self.text) and self.language != wanted


def pick(texts: Mapping[str, str] | None, language: str, fallback: str) -> Localised:
    """The text in ``language``, else in ``fallback``, else in any language we have."""
    if not texts:
        return Localised("", fallback)
    for code in (language, fallback, *LANGUAGES):
        value = texts.get(code)
        if value:
            return Localised(value, code)
    return Localised("", fallback)

"""Reading a page the way a screen reader picks voices: every text with its language."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from watwerkt.catalogue.models import (
    Alternative,
    Channel,
    Domain,
    Function,
    Instruction,
    Measure,
    Organisation,
    Service,
)

VOID = {"meta", "link", "br", "img", "input", "hr", "source", "wbr"}


@dataclass
class Text:
    text: str
    language: str  # the nearest lang attribute around it
    classes: tuple[str, ...]  # of every element around it, innermost last


class Voices(HTMLParser):
    """Every text node of a page, with the language in force there."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.stack: list[tuple[str, str, tuple[str, ...]]] = [("#root", "", ())]
        self.texts: list[Text] = []
        self.skip = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        language = values.get("lang", self.stack[-1][1])
        classes = (*self.stack[-1][2], *values.get("class", "").split())
        if tag in ("title", "style", "script"):
            self.skip += 1
        if tag not in VOID:
            self.stack.append((tag, language, classes))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("title", "style", "script"):
            self.skip -= 1
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        text = re.sub(r"\s+", " ", data).strip()
        if text and not self.skip:
            _tag, language, classes = self.stack[-1]
            self.texts.append(Text(text, language, classes))


def only_in(language: str, missing: str) -> set[str]:
    """Catalogue texts of every organisation given in ``language`` but not in ``missing``:
    on a ``missing`` page they must show, marked as ``language``."""
    found: set[str] = set()

    def add(texts: Any) -> None:
        if isinstance(texts, dict) and texts.get(language) and not texts.get(missing):
            found.add(re.sub(r"\s+", " ", texts[language]).strip())

    for model, fields in (
        (Organisation, ("name",)),
        (Domain, ("name",)),
        (Service, ("name", "description")),
        (Function, ("name",)),
        (Channel, ("name",)),
        (Alternative, ("text", "hours")),
        (Instruction, ("text",)),
        (Measure, ("text",)),
    ):
        for row in model._default_manager.values_list(*fields):
            for texts in row:
                add(texts)
    return found

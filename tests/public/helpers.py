"""Reading public pages the way a checker would: structure, text, markup rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    children: list[Element] = field(default_factory=list)

    def find_all(self, tag: str) -> list[Element]:
        return [e for e in descendants(self) if e.tag == tag]


def descendants(element: Element) -> list[Element]:
    found = []
    for child in element.children:
        found.append(child)
        found.extend(descendants(child))
    return found


class Page(HTMLParser):
    """A small DOM: enough to find sections, headings, lists and attributes."""

    VOID = {"meta", "link", "br", "img", "input", "hr"}

    def __init__(self, html: str) -> None:
        super().__init__()
        self.root = Element("#root", {})
        self.stack = [self.root]
        self.all: list[Element] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        self.all.append(element)
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        for element in self.stack:
            element.text += data

    def find_all(self, tag: str, **attrs: str) -> list[Element]:
        return [
            e
            for e in self.all
            if e.tag == tag
            and all(
                v in e.attrs.get(k, "").split() or e.attrs.get(k) == v for k, v in attrs.items()
            )
        ]

    def by_id(self, id_: str) -> Element:
        (found,) = [e for e in self.all if e.attrs.get("id") == id_]
        return found


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def section(page: Page, heading_id: str) -> Element:
    """The <section> labelled by the heading with id ``heading_id``."""
    (found,) = [
        e for e in page.all if e.tag == "section" and e.attrs.get("aria-labelledby") == heading_id
    ]
    return found


def groups(domain: Element) -> dict[str, list[str]]:
    """A domain section's groups: heading text -> the service names listed under it."""
    found: dict[str, list[str]] = {}
    heading = ""
    for child in domain.children:
        if child.tag == "h3":
            heading = words(child.text)
        elif child.tag == "ul" and heading:
            found[heading] = [
                words(a.text)
                for li in child.children
                if li.tag == "li"
                for a in li.children[:1]
                if a.tag == "a"
            ]
    return found


def line(domain: Element, name: str) -> str:
    """The whole text of one service's line in a domain section."""
    for ul in domain.children:
        for li in ul.children if ul.tag == "ul" else ():
            if li.children and words(li.children[0].text) == name:
                return words(li.text)
    raise AssertionError(f"no line for {name!r}")


def inline_code(html: str) -> list[str]:
    """Everything a strict CSP (no inline script or style) would block."""
    page = Page(html)
    found = [f"<{e.tag}>" for e in page.all if e.tag in ("script", "style")]
    found += [
        f"{e.tag}[{name}]"
        for e in page.all
        for name in e.attrs
        if name == "style" or name.startswith("on")
    ]
    found += [
        f"{e.tag}[href=javascript:]"
        for e in page.all
        if e.attrs.get("href", "").lower().startswith("javascript:")
    ]
    return found

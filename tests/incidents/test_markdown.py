"""Markdown from the comms team, made safe for the public page: hostile input included."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from watwerkt.incidents.markdown import ALLOWED_TAGS, render, to_html


class Tags(HTMLParser):
    """Every tag and attribute in a fragment, as a browser's parser sees them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {k: v or "" for k, v in attrs}))


def assert_safe(html: str) -> None:
    for tag, attrs in Tags(html).found:
        assert tag in ALLOWED_TAGS, tag
        allowed = {"href", "rel"} if tag == "a" else set()
        assert set(attrs) <= allowed, (tag, attrs)
        href = attrs.get("href", "").strip().lower()
        scheme = href.split(":", 1)[0] if ":" in href.split("/", 1)[0] else ""
        assert scheme in ("", "http", "https", "mailto", "tel"), href
        if tag == "a":
            assert attrs["rel"] == "noopener noreferrer"


def test_everyday_markdown_keeps_its_structure() -> None:
    html = to_html(
        "# Wat werkt\n\nHet **e-loket** werkt, _betalen_ niet.\n\n"
        "- afspraak via [de website](https://stad.example/afspraak)\n"
        "- of bel [03 338 00 00](tel:+3233380000)\n\n"
        "1. eerst\n2. dan\n\n> Citaat\n\nCode `ABC-123`.\n\n## Meer"
    )
    assert html == (
        "<h3>Wat werkt</h3>\n"
        "<p>Het <strong>e-loket</strong> werkt, <em>betalen</em> niet.</p>\n"
        "<ul>\n"
        '<li>afspraak via <a href="https://stad.example/afspraak" rel="noopener noreferrer">'
        "de website</a></li>\n"
        '<li>of bel <a href="tel:+3233380000" rel="noopener noreferrer">03 338 00 00</a></li>\n'
        "</ul>\n"
        "<ol>\n<li>eerst</li>\n<li>dan</li>\n</ol>\n"
        "<blockquote>\n<p>Citaat</p>\n</blockquote>\n"
        "<p>Code <code>ABC-123</code>.</p>\n"
        "<h4>Meer</h4>"
    )


def test_headings_start_below_the_page_around_them() -> None:
    assert (
        to_html("# Een\n## Twee\n### Drie", top=4) == "<h4>Een</h4>\n<h4>Twee</h4>\n<h4>Drie</h4>"
    )
    with pytest.raises(ValueError, match="headings start at h3 or h4"):
        to_html("# x", top=1)


HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)" onclick="alert(2)">klik</a>',
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](javascript&colon;alert(1))",
    "[klik](&#106;avascript:alert(1))",
    "[klik](java\tscript:alert(1))",
    "[klik](vbscript:msgbox(1))",
    "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[klik](<data:text/html,<script>alert(1)</script>>)",
    "![beeld](data:image/png;base64,iVBORw0KGgo=)",
    '![x" onerror="alert(1)](https://evil.example/x.png)',
    "<iframe src=https://evil.example></iframe>",
    '<div style="position:fixed;top:0">overlay</div>',
    "<svg><script>alert(1)</script></svg>",
    "<style>body{display:none}</style>",
    "<!-- <script>alert(1)</script> -->",
    '<p><b><i><a href="javascript:x">geneste</a></i></b></p>',
    "<<script>script>alert(1)<</script>/script>",
    '[a](https://ok.example "titel" onmouseover="alert(1)")',
    "<form action=https://evil.example><input name=pw></form>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "<details open ontoggle=alert(1)>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_comes_out_harmless(text: str) -> None:
    html = to_html(text)
    assert_safe(html)
    # Text such as "&lt;script&gt;" or 'onerror=' is harmless: only markup counts,
    # and assert_safe read every tag and attribute as a browser would.
    assert not re.search(
        r"<(script|img|iframe|style|svg|math|form|input|details|div)\b", html, re.I
    )


def test_raw_html_is_shown_as_text_not_run() -> None:
    assert to_html("<b>vet</b>") == "<p>&lt;b&gt;vet&lt;/b&gt;</p>"


def test_an_image_becomes_its_description() -> None:
    assert to_html("Zie ![het nieuwe loket](https://stad.example/loket.png).") == (
        "<p>Zie het nieuwe loket.</p>"
    )


def test_links_to_the_site_itself_are_kept() -> None:
    assert to_html("[Reispas](/stad/reispas/)") == (
        '<p><a href="/stad/reispas/" rel="noopener noreferrer">Reispas</a></p>'
    )


@given(
    st.text(
        alphabet=st.sampled_from(list("<>/\"'=:&#;[]()!*_`-#\n ajsvcrptiognlhef1")), max_size=80
    )
)
def test_any_input_comes_out_within_the_allow_list(text: str) -> None:
    assert_safe(to_html(text))


def test_a_text_falls_back_to_the_organisations_language_and_says_so() -> None:
    texts = {"nl": "Alles **werkt**."}
    english = render(texts, "en", "nl")
    assert (english.html, english.language, english.fallback) == (
        "<p>Alles <strong>werkt</strong>.</p>",
        "nl",
        True,
    )
    dutch = render(texts, "nl", "nl")
    assert (dutch.language, dutch.fallback) == ("nl", False)
    translated = render({**texts, "en": "All good."}, "en", "nl")
    assert (translated.html, translated.fallback) == ("<p>All good.</p>", False)
    assert not render({}, "en", "nl")

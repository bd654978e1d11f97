"""Texts in another language than the page's: plain strings that know their markup."""

from __future__ import annotations

import json
import pickle

from django.utils import translation

from watwerkt.present.foreign import Foreign, fmt, html_of, join, languages_of, note, note_html
from watwerkt.present.overview import HelpView
from watwerkt.present.words import Localiser


def test_a_text_in_the_pages_language_stays_a_plain_string() -> None:
    loc = Localiser("fr", "nl")
    said = loc.text({"nl": "Reispas", "fr": "Passeport"})
    assert type(said) is str
    assert html_of(said) == "Passeport"


def test_a_fallback_is_a_string_that_knows_its_language_and_markup() -> None:
    said = Localiser("fr", "nl").text({"nl": "Kom <niet>"})
    assert said == "Kom <niet>"  # a str everywhere: titles, attributes, JSON, search
    assert isinstance(said, Foreign)
    assert said.language == "nl"
    assert html_of(said) == '<span lang="nl">Kom &lt;niet&gt;</span>'
    assert json.dumps(said) == '"Kom <niet>"'
    assert pickle.loads(pickle.dumps(said)).language == "nl"  # noqa: S301 -- our own bytes
    assert Localiser("fr", "nl").text({"de": "Nur Deutsch"}).language == "de"
    assert Localiser("fr", "nl").text({}) == ""


def test_a_phrase_keeps_the_marking_of_its_parts() -> None:
    own = Foreign("enkele formulieren", "nl")
    phrase = fmt("sauf %(text)s & co", text=own)
    assert phrase == "sauf enkele formulieren & co"
    assert html_of(phrase) == 'sauf <span lang="nl">enkele formulieren</span> &amp; co'
    assert languages_of(phrase) == {"nl"}
    assert type(fmt("sauf %(text)s", text="tout")) is str
    listed = join(", ", ["avec du retard", own, Foreign("Nur hier", "de")])
    assert html_of(listed) == (
        'avec du retard, <span lang="nl">enkele formulieren</span>, <span lang="de">Nur hier</span>'
    )
    assert languages_of(listed) == {"nl", "de"}
    assert html_of(Foreign("Afhalen", "nl").lower()) == '<span lang="nl">afhalen</span>'


def test_a_block_gets_one_note_per_language_in_the_pages_language() -> None:
    help_text = HelpView(
        "contact", "Contact", Foreign("Bel ons", "nl"), hours=Foreign("9-12", "nl")
    )
    assert languages_of(help_text, "plain", None, [Foreign("x", "de")]) == {"nl", "de"}
    with translation.override("fr"):
        assert note({"nl"}) == "(en néerlandais)"
        assert note({"de", "nl"}) == "(en néerlandais) (en allemand)"
        assert note_html(set()) == ""
        assert note_html({"nl"}) == ' <span class="lang-note">(en néerlandais)</span>'
    with translation.override("de"):
        assert note(help_text.languages) == "(auf Niederländisch)"

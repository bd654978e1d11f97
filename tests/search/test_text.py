"""Words as search compares them: folding, splitting, stop words, stems, synonyms."""

from __future__ import annotations

import pytest

from watwerkt.search.synonyms import BUILT_IN, Synonyms, parse
from watwerkt.search.text import clean, fold, index_words, query_stems, stem, tokens


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Réispas", "reispas"),
        ("Führerschein", "fuhrerschein"),
        ("STRAẞE", "strasse"),
        ("crèche", "creche"),
        ("ideeën", "ideeen"),
        ("\uff32\uff45\uff49\uff53\uff50\uff41\uff53", "reispas"),  # full-width letters
    ],
)
def test_it_folds_case_and_accents_away(typed: str, folded: str) -> None:
    assert fold(typed) == folded


def test_a_hyphenated_word_is_kept_whole_and_in_parts() -> None:
    (token,) = tokens("Kids-ID")
    assert token.word == "kidsid"
    assert token.parts == ("kids", "id")
    assert list(index_words("de A-kaart")) == ["akaart", "kaart"]


def test_it_drops_the_words_of_a_question() -> None:
    assert list(index_words("Kan ik mijn rijbewijs nog afhalen?")) == ["rijbewijs", "afhalen"]
    assert list(index_words("Can I pick up my passport?")) == ["pick", "up", "passport"]
    assert list(index_words("Comment renouveler mon passeport ?")) == [
        "renouveler",
        "passeport",
    ]


def test_catalogue_words_are_not_stop_words() -> None:
    assert list(index_words("pas werken kaart")) == ["pas", "werken", "kaart"]


@pytest.mark.parametrize(
    ("form", "base"),
    [
        ("rijbewijzen", "rijbewijs"),
        ("parkeerkaarten", "parkeerkaart"),
        ("sporthallen", "sporthal"),
        ("afgehaald", "afhalen"),
        ("aangevraagd", "aanvragen"),
        ("gereserveerd", "reserveren"),
    ],
)
def test_dutch_word_forms_share_a_stem(form: str, base: str) -> None:
    assert stem("nl", form) == stem("nl", base)


def test_a_verb_form_the_stemmer_keeps_also_tries_without_its_ending() -> None:
    assert ("nl", stem("nl", "betalen")) in query_stems("betaald")
    assert ("nl", stem("nl", "verlengen")) in query_stems("verlengd")


def test_numbers_are_not_stemmed() -> None:
    assert stem("nl", "2023") == "2023"
    assert set(query_stems("17")) == {(lang, "17") for lang in ("nl", "fr", "en", "de")}


def test_clean_removes_control_characters_and_cuts() -> None:
    assert clean("rij\x00bewijs\u202e  \t afhalen\n", 100) == "rij bewijs afhalen"
    assert clean("a" * 500, 200) == "a" * 200


def test_the_built_in_synonyms_link_common_words_both_ways() -> None:
    assert "reispas" in BUILT_IN.of("paspoort")
    assert "paspoort" in BUILT_IN.of("reispas")
    assert "parkeervergunning" in BUILT_IN.of("parkeerkaarten")  # by its stem
    assert BUILT_IN.of("paspoort").count("paspoort") == 0
    assert BUILT_IN.of("onbekendwoord") == ()


def test_a_synonym_list_refuses_phrases_and_words_in_two_groups() -> None:
    with pytest.raises(ValueError, match="line 1: 'permis de conduire' is not one word"):
        parse("rijbewijs, permis de conduire")
    with pytest.raises(ValueError, match="line 2: 'bib' is already in line 1"):
        parse("bibliotheek, bib\nbib, boekerij")


def test_a_synonym_list_is_read_one_group_a_line() -> None:
    synonyms = Synonyms(parse("fiets, rijwiel\n\nloket, balie, Schalter"))
    assert synonyms.of("rijwiel") == ("fiets",)
    assert synonyms.of("schalter") == ("loket", "balie")
    assert "rijwiel" in synonyms.vocabulary()

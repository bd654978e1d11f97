"""The index alone, on documents made here: how words find services, and how they rank."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from watwerkt.search.index import MAX_TERMS, Document, Index
from watwerkt.search.synonyms import Synonyms, parse


def doc(
    slug: str,
    name: str,
    keywords: tuple[str, ...] = (),
    description: str = "",
    functions: tuple[str, ...] = (),
    domain: str = "Loketten",
    **other: str,
) -> Document:
    return Document(
        service_id=hash(slug) % 10_000,
        slug=slug,
        name={"nl": name, **other},
        keywords=keywords,
        description={"nl": description} if description else {},
        domain={"nl": domain},
        functions=tuple((i, f.lower(), {"nl": f}) for i, f in enumerate(functions)),
    )


DOCS = [
    doc("reispas", "Reispas", ("paspoort",), functions=("Aanvragen", "Afhalen"), en="Passport"),
    doc("rijbewijs", "Rijbewijs", functions=("Aanvragen", "Afhalen"), en="Driving licence"),
    doc("parkeren", "Parkeervergunning", ("bewonerskaart",), functions=("Aanvragen",)),
    doc("sporthal", "Sportfaciliteiten reserveren", ("sporthal", "zwembad")),
    doc("kids", "Kids-ID voor kinderen", ("kids-id",)),
    doc("attest", "Attesten", description="Een attest over je rijbewijs of reispas."),
    doc("afval", "Grofvuil laten ophalen", domain="Afval en recyclage"),
]
SYNONYMS = Synonyms(parse("paspoort, reispas\nafval, vuilnis"))


def index(documents: list[Document] = DOCS, language: str = "nl") -> Index:
    return Index(documents, language, "nl", SYNONYMS)


def slugs(query: str, documents: list[Document] = DOCS, language: str = "nl") -> list[str]:
    found = index(documents, language).find(query)
    return [documents[m.document].slug for m in found.matches]


def test_an_exact_name_ranks_above_a_keyword_above_a_function_above_a_description() -> None:
    documents = [
        doc("in-description", "Eerste", description="alles over de fiets"),
        doc("in-function", "Tweede", functions=("Fiets",)),
        doc("in-keyword", "Derde", ("fiets",)),
        doc("in-domain", "Vierde", domain="Fiets"),
        doc("in-name", "Fiets"),
    ]
    assert slugs("fiets", documents) == [
        "in-name",
        "in-keyword",
        "in-function",
        "in-domain",
        "in-description",
    ]


def test_a_question_finds_the_service_and_the_function_it_names() -> None:
    found = index().find("kan ik mijn rijbewijs afhalen?")
    first = found.matches[0]
    assert DOCS[first.document].slug == "rijbewijs"
    assert first.function == 1  # Afhalen
    # The other services offering "afhalen" follow, well behind.
    assert DOCS[found.matches[1].document].slug == "reispas"
    assert found.matches[1].score < first.score / 2


def test_a_word_in_the_name_itself_names_no_function() -> None:
    documents = [doc("sorteerpas", "Sorteerpas opladen", functions=("Opladen",))]
    (match,) = index(documents).find("sorteerpas opladen").matches
    assert match.function is None


def test_a_keyword_finds_its_service() -> None:
    assert slugs("bewonerskaart") == ["parkeren"]
    assert slugs("zwembad") == ["sporthal"]


def test_a_synonym_finds_the_service_by_its_name() -> None:
    documents = [doc("reispas", "Reispas"), doc("afval", "Afvalkalender", ("afval",))]
    assert slugs("paspoort", documents) == ["reispas"]
    assert slugs("vuilnis", documents) == ["afval"]


def test_plurals_and_verb_forms_find_the_base_word() -> None:
    assert slugs("rijbewijzen")[0] == "rijbewijs"
    assert slugs("sporthallen") == ["sporthal"]
    found = index().find("reispas afgehaald").matches[0]
    assert (DOCS[found.document].slug, found.function) == ("reispas", 1)


def test_accents_and_case_do_not_matter() -> None:
    assert slugs("RÉISPAS")[0] == "reispas"
    assert slugs("Rijbewíjs")[0] == "rijbewijs"


def test_typos_are_read_as_the_nearest_catalogue_word() -> None:
    found = index().find("rijbewjis")  # two letters swapped: one edit
    assert DOCS[found.matches[0].document].slug == "rijbewijs"
    assert found.corrections == (("rijbewjis", "rijbewijs"),)
    assert slugs("parkeervergunnnig")[0] == "parkeren"  # two edits in a long word
    assert index().find("rijbewijs").corrections == ()


def test_a_short_word_is_not_read_as_a_typo() -> None:
    assert slugs("bal") == []  # "bal" is not "pas", "bib" or anything else


def test_a_compound_is_split_into_known_words() -> None:
    found = index().find("rijbewijsaanvraag")
    first = found.matches[0]
    assert DOCS[first.document].slug == "rijbewijs"
    assert first.function == 0  # Aanvragen
    assert slugs("reispasaanvraag")[0] == "reispas"
    # the head of a compound may be a plural: "afval" + "containers"
    documents = [doc("park", "Recyclagepark", ("container",)), doc("kalender", "Afvalkalender")]
    assert "park" in slugs("afvalcontainers", documents)


def test_the_start_of_a_word_and_the_head_of_a_compound_find_it_lower() -> None:
    assert slugs("parkeer") == ["parkeren"]  # the start of "parkeervergunning"
    documents = [doc("vergunning", "Vergunning"), *DOCS]
    assert slugs("vergunning", documents) == ["vergunning", "parkeren"]


def test_hyphenated_words_match_written_together_or_apart() -> None:
    assert slugs("kids-id") == ["kids"]
    assert slugs("kidsid") == ["kids"]
    assert slugs("kids id") == ["kids"]


def test_matching_more_of_the_query_ranks_higher() -> None:
    assert slugs("rijbewijs reispas attest")[0] == "attest"  # only its description has all three


def test_other_languages_are_searched_too_below_the_page_language() -> None:
    assert slugs("passport") == ["reispas"]
    assert slugs("driving licence")[0] == "rijbewijs"
    en = index(language="en")
    nl = index(language="nl")
    assert en.find("passport").matches[0].score > nl.find("passport").matches[0].score


def test_only_stop_words_or_nothing_known_finds_nothing() -> None:
    assert index().find("kan ik dat?").matches == ()
    assert index().find("kan ik dat?").typed == ()
    assert index().find("xylofoon").matches == ()
    assert index().find("xylofoon").typed == ("xylofoon",)
    assert index().find("").matches == ()


def test_ties_keep_the_catalogue_order() -> None:
    documents = [doc(f"s{i}", f"Premie {i}") for i in range(5)]
    assert slugs("premie", documents) == ["s0", "s1", "s2", "s3", "s4"]


def test_a_long_query_is_cut_to_the_first_words() -> None:
    query = " ".join(["rijbewijs"] + ["xylofoon"] * 50)
    assert len(index().find(query).typed) == MAX_TERMS
    assert slugs(query)[0] == "rijbewijs"


def test_suggestions_offer_catalogue_words_that_look_alike() -> None:
    assert "reispas" in index().suggestions("reisbus")
    assert index().suggestions("kan ik") == []


@given(st.text(max_size=120))
def test_no_text_breaks_the_index(text: str) -> None:
    found = index().find(text)
    scores = [m.score for m in found.matches]
    assert scores == sorted(scores, reverse=True)
    assert all(s > 0 for s in scores)
    assert all(0 <= m.document < len(DOCS) for m in found.matches)
    index().suggestions(text)

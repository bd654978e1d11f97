"""search() and read_out() on the Antwerp demo, as the console's contact-centre view calls them."""

from __future__ import annotations

import dataclasses
import gc
import weakref
from datetime import UTC, datetime

import pytest

from tests.factories import TEST_ACTOR
from watwerkt.catalogue.models import FunctionChannel, Organisation
from watwerkt.engine import Level, Qualifier
from watwerkt.readmodel.load import load
from watwerkt.readmodel.snapshot import current
from watwerkt.search.services import (
    MAX_QUERY,
    NoSuchOrganisation,
    QueryTooLong,
    SearchError,
    indexes,
    read_out,
    results,
    search,
)
from watwerkt.status.services import set_status
from watwerkt.status.values import ManualStatus, QualifierValue, parse_expected

pytestmark = pytest.mark.usefixtures("demo")


def first(query: str, language: str = "nl") -> tuple[str, str]:
    """The slug and function slug ("" for none) of the best hit."""
    hit = search("antwerpen", query, language)[0]
    return hit.service.slug, hit.function.slug if hit.function else ""


@pytest.mark.parametrize(
    ("query", "service", "function"),
    [
        ("kan ik mijn rijbewijs afhalen", "rijbewijs", "afhalen"),
        ("Kan ik mijn rijbewijs afhalen?", "rijbewijs", "afhalen"),
        ("parkeerkaart", "parkeervergunning", ""),
        ("kan ik een parkeerkaart kopen?", "parkeervergunning", ""),
        ("paspoort", "reispas", ""),
        ("pasport", "reispas", ""),  # a typo of a keyword
        ("paspoort afhalen", "reispas", "afhalen"),
        ("sporthal", "sporthal", ""),
        ("sporthallen", "sporthal", ""),  # plural
        ("réispas", "reispas", ""),  # accent
        ("rijbewijzen", "rijbewijs", ""),
        ("rijbewjis", "rijbewijs", ""),  # letters swapped
        ("rijbewijsaanvraag", "rijbewijs", "aanvragen"),  # compound
        ("identiteitskaart afgehaald", "identiteitskaart", "afhalen"),  # verb form
        ("kids-id", "identiteitskaart", ""),
        ("verhuizen", "adreswijziging", ""),  # synonym
        ("containerpark", "recyclagepark", ""),  # synonym
        ("bouwvergunning", "omgevingsvergunning", ""),
        ("sorteerpas opladen", "sorteerpas", ""),
        ("bibsaldo betalen", "bibsaldo", ""),
    ],
)
def test_it_finds_what_people_say(query: str, service: str, function: str) -> None:
    assert first(query) == (service, function)


@pytest.mark.parametrize(
    ("query", "language", "service"),
    [
        ("passeport", "fr", "reispas"),
        ("permis de conduire", "fr", "rijbewijs"),
        ("driving licence", "en", "rijbewijs"),
        ("can I pick up my passport?", "en", "reispas"),
        ("Führerschein", "de", "rijbewijs"),
        # The page's language is not the query's: other languages are searched too.
        ("passport", "nl", "reispas"),
        ("reispas", "fr", "reispas"),
    ],
)
def test_other_languages_fall_back_sensibly(query: str, language: str, service: str) -> None:
    assert first(query, language)[0] == service


def test_hits_are_named_in_the_language_asked_for() -> None:
    hit = search("antwerpen", "passeport afhalen", "fr")[0]
    assert (hit.name, hit.function_name, hit.domain) == ("Passeport", "Retirer", "Guichets")
    assert hit.href == "/fr/antwerpen/reispas/"
    assert hit.line.level_label == "fonctionne"  # interface words: gettext


def test_a_function_the_query_names_ranks_its_service_first_and_names_it() -> None:
    hits = search("antwerpen", "kan ik mijn rijbewijs afhalen")
    assert hits[0].title == "Rijbewijs \N{EN DASH} afhalen"
    assert {h.service.slug for h in hits[1:4]} <= {"reispas", "identiteitskaart", "verblijfskaart"}
    assert all(h.score < hits[0].score / 2 for h in hits[1:])


def test_a_hit_carries_the_read_models_status() -> None:
    (hit, *_) = search("antwerpen", "parkeervergunning")
    snapshot = current("antwerpen")
    assert snapshot is not None
    assert hit.service is snapshot.services["parkeervergunning"]
    assert hit.status["level"] == "unavailable"
    assert hit.line.since == "sinds 6 december 2022"
    assert hit.line.expected == "verwacht: 15 maart 2023"
    assert [a.kind for a in hit.line.alternatives] == ["contact"]
    assert [m.kind for m in hit.measures] == ["fine_waived"]


def test_read_out_says_status_since_expected_why_and_what_to_do() -> None:
    text = read_out(search("antwerpen", "parkeerkaart")[0])
    assert text.startswith("Parkeervergunning: werkt niet. Sinds 6 december 2022. ")
    assert "Verwacht: 15 maart 2023." in text
    assert "Waarom: hangt af van Vergunningenplatform parkeren en LEZ" in text
    assert "Wat kun je doen? Verhuis je of heb je" in text
    assert "Telefoon: 03 22 11 333." in text
    assert "Geen boete: Liep je vergunning af" in text


def test_read_out_of_a_function_names_it_and_its_parts() -> None:
    hit = search("antwerpen", "recyclagepark")[0]
    text = read_out(hit)
    assert text.startswith("Recyclagepark: werkt met beperkingen. ")
    assert "Afspraak maken: werkt niet; Afval binnenbrengen: werkt, zonder afspraak." in text
    assert "Afspraak maken: Kom langs zonder afspraak" in text


def test_read_out_never_names_an_internal_system() -> None:
    text = read_out(search("antwerpen", "a-kaart aanmaken")[0])
    assert "een intern systeem" in text
    assert "Aanmaak en vervanging A-kaarten" not in text


def test_read_out_is_in_the_hits_language() -> None:
    hit = search("antwerpen", "reispas", "en")[0]
    assert read_out(hit).startswith("Passport: ")


def test_a_status_change_shows_at_once_without_building_the_index_again() -> None:
    search("antwerpen", "rijbewijs")
    builds = indexes.builds
    item = FunctionChannel.objects.get(
        function__service__organisation__slug="antwerpen",
        function__service__slug="rijbewijs",
        function__slug="afhalen",
    )
    set_status(
        [item],
        ManualStatus(
            Level.LIMITED,
            (QualifierValue(Qualifier.DELAYS),),
            datetime(2023, 2, 1, 9, tzinfo=UTC),
            parse_expected("weeks"),
            pinned=True,  # the item depends on systems that are up: only a pin holds
        ),
        TEST_ACTOR,
    )
    hit = search("antwerpen", "kan ik mijn rijbewijs afhalen")[0]
    assert indexes.builds == builds
    assert hit.level == "limited"
    assert read_out(hit).startswith(
        "Rijbewijs \N{EN DASH} afhalen: werkt met beperkingen, met vertraging. "
        "Sinds 1 februari 2023. Verwacht: binnen enkele weken."
    )


def test_a_new_name_builds_a_new_index() -> None:
    snapshot = current("antwerpen")
    assert snapshot is not None
    results(snapshot, "reispas", "nl")
    builds = indexes.builds
    domain = snapshot.domains[0]
    renamed = [
        dataclasses.replace(s, name={"nl": "Internationaal paspoortloket"})
        if s.slug == "reispas"
        else s
        for s in domain.services
    ]
    changed = dataclasses.replace(
        snapshot,
        domains=(dataclasses.replace(domain, services=tuple(renamed)), *snapshot.domains[1:]),
    )
    found = results(changed, "paspoortloket", "nl")
    assert indexes.builds == builds + 1
    assert found.hits[0].name == "Internationaal paspoortloket"


def test_the_index_cache_keeps_no_old_snapshot_alive() -> None:
    builds = indexes.builds
    snapshot = load("antwerpen")
    assert snapshot is not None
    assert results(snapshot, "reispas", "nl").hits
    gone = weakref.ref(snapshot)
    del snapshot
    gc.collect()
    assert gone() is None
    assert indexes.builds == builds + 1


def test_it_takes_an_organisation_or_its_slug() -> None:
    organisation = Organisation.objects.get(slug="antwerpen")
    assert search(organisation, "reispas")[0].service.slug == "reispas"


@pytest.mark.parametrize("query", ["", "   ", "kan ik", "?!?", "\x00\x01", "xylofoon", "🚗🚗"])
def test_empty_garbage_or_unknown_queries_find_nothing(query: str) -> None:
    assert search("antwerpen", query) == []


def test_no_results_come_with_suggestions() -> None:
    snapshot = current("antwerpen")
    assert snapshot is not None
    found = results(snapshot, "reisbureau", "nl")
    assert found.hits == ()
    assert found.searched
    assert found.suggestions  # words from the catalogue that look alike


def test_a_limit_caps_the_hits_but_not_the_count() -> None:
    snapshot = current("antwerpen")
    assert snapshot is not None
    found = results(snapshot, "aanvragen", "nl", limit=2)
    assert len(found.hits) == 2
    assert found.total > 2


def test_a_query_of_the_longest_length_is_searched() -> None:
    assert search("antwerpen", ("reispas " * 100)[:MAX_QUERY])[0].service.slug == "reispas"


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: search("antwerpen", "x" * (MAX_QUERY + 1)), QueryTooLong, "201 characters"),
        (lambda: search("nergens", "reispas"), NoSuchOrganisation, "no organisation 'nergens'"),
        (lambda: search("antwerpen", "reispas", "es"), SearchError, "unknown language 'es'"),
        (lambda: search("antwerpen", "reispas", limit=0), SearchError, "between 1 and 100"),
        (lambda: search("antwerpen", "reispas", limit=101), SearchError, "not 101"),
    ],
)
def test_bad_requests_get_a_specific_error(call: object, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        call()  # type: ignore[operator]

"""The contact-centre view: what a caller asks, and the answer to read out."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.console.test_board import text
from tests.personas import People, person, sign_in
from watwerkt.accounts.roles import Role
from watwerkt.catalogue.models import Organisation
from watwerkt.search.services import MAX_QUERY

CONTACT = "/console/antwerpen/contactcenter/"


@pytest.fixture
def agent(demo: Organisation) -> Client:
    return sign_in(Client(), person("carla", {demo: Role.VIEWER}))


def test_a_synonym_finds_the_service_and_the_answer_is_read_out(agent: Client) -> None:
    response = agent.get(CONTACT, {"q": "parkeerkaart"})
    assert response.status_code == 200
    said = text(response)
    assert "1 antwoord Parkeervergunning werkt niet" in said
    assert "Parkeervergunning: werkt niet. Sinds 6 december 2022. Verwacht: 15 maart 2023." in said
    assert "Wat kun je doen?" in said
    assert "Telefoon: 03 22 11 333." in said
    assert 'href="/console/antwerpen/diensten/parkeervergunning/"' in response.content.decode()


def test_a_spoken_question_with_a_typo_names_the_function(agent: Client) -> None:
    said = text(agent.get(CONTACT, {"q": "kan ik mijn rijbwijs afhalen"}))
    assert "Rijbewijs \N{EN DASH} afhalen: werkt." in said


def test_an_empty_box_shows_no_answers(agent: Client) -> None:
    response = agent.get(CONTACT)
    assert response.status_code == 200
    assert "antwoord" not in text(response).replace("Wat vraagt de beller?", "")


def test_nothing_found_says_so(agent: Client) -> None:
    said = text(agent.get(CONTACT, {"q": "xqzw"}))
    assert "0 antwoorden" in said
    assert "Niets gevonden" in said


def test_a_question_too_long_is_refused_in_dutch(agent: Client) -> None:
    response = agent.get(CONTACT, {"q": "a" * (MAX_QUERY + 1)})
    assert response.status_code == 400
    assert "Die vraag is te lang: hoogstens 200 tekens." in text(response)


def test_the_question_is_shown_back_escaped(agent: Client) -> None:
    html = agent.get(CONTACT, {"q": '<script>alert("x")</script>'}).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_every_role_of_the_organisation_may_search_no_one_else(people: People) -> None:
    url = "/console/stad/contactcenter/?q=sporthal"
    for persona in ("viewer", "editor", "admin"):
        assert "Sporthal: werkt." in text(people.client(persona).get(url))
    assert people.client("outsider").get(url).status_code == 404

"""A published incident's texts and facts go out only from a preview: the first
submit shows the public page with the change, publishing it needs the
preview's fingerprint, and a stale or missing one writes nothing. Drafts are
saved straight away. And a refused edit shows the stored values, not the
refused ones."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.test import Client

from tests.console import incident_world as world
from tests.console.test_incident_pages import errors, page
from tests.personas import People
from tests.public.helpers import words
from watwerkt.incidents import services
from watwerkt.incidents.models import Incident

PUBLIC = "/stad/incidenten/storing/"
EN_PUBLIC = "/en/stad/incidenten/storing/"


def published(people: People) -> Incident:
    incident = world.incident(people)
    services.publish_update(world.update(people), world.COMMS)
    incident.refresh_from_db()
    assert incident.published_at is not None
    return incident


def previewed(response: Any) -> str:
    found = re.search(r'name="previewed" value="(\w*)"', response.content.decode())
    assert found is not None
    return found.group(1)


def public_text(url: str = PUBLIC) -> str:
    response = Client().get(url)
    assert response.status_code == 200
    return words(page(response).find_all("main")[0].text)


def notes(response: Any) -> list[str]:
    return [words(p.text) for p in page(response).find_all("p", **{"class": "notice"})]


# -- the sections ------------------------------------------------------------------------------


def sections_url(incident: Incident, language: str = "nl") -> str:
    return f"/console/stad/incidenten/{incident.slug}/teksten/?taal={language}"


def test_saving_a_published_incidents_sections_shows_the_preview_first(people: People) -> None:
    incident = published(people)
    before = world.written()
    response = people.client("editor").post(
        sections_url(incident), {"known_nl": "De **servers** liggen plat.", "actie": "opslaan"}
    )
    assert response.status_code == 200
    assert world.written() == before
    assert "De servers liggen plat." not in public_text()
    preview = page(response).find_all("div", **{"class": "preview"})[0]
    assert "De servers liggen plat." in words(preview.text)
    assert any("bekijk eerst hieronder" in n for n in notes(response))
    assert previewed(response)
    buttons = [b.attrs.get("value") for b in page(response).find_all("button")]
    assert "publiceren" in buttons
    assert "opslaan" not in buttons


def test_the_previewed_sections_are_published_with_the_fingerprint(people: People) -> None:
    incident = published(people)
    client = people.client("editor")
    data = {"known_nl": "De **servers** liggen plat.", "to_do_nl": "Wacht af."}
    shown = client.post(sections_url(incident), {**data, "actie": "voorbeeld"})
    assert shown.status_code == 200
    response = client.post(
        sections_url(incident), {**data, "actie": "publiceren", "previewed": previewed(shown)}
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert (incident.known, incident.to_do) == (
        {"nl": "De **servers** liggen plat."},
        {"nl": "Wacht af."},
    )
    said = public_text()
    assert "De servers liggen plat." in said
    assert "Wacht af." in said


def test_sections_changed_after_the_preview_are_not_published(people: People) -> None:
    incident = published(people)
    client = people.client("editor")
    shown = client.post(
        sections_url(incident), {"known_nl": "Eerste versie.", "actie": "voorbeeld"}
    )
    before = world.written()
    response = client.post(
        sections_url(incident),
        {"known_nl": "Tweede versie.", "actie": "publiceren", "previewed": previewed(shown)},
    )
    assert response.status_code == 200
    assert world.written() == before
    assert any("gewijzigd sinds het voorbeeld" in n for n in notes(response))
    preview = page(response).find_all("div", **{"class": "preview"})[0]
    assert "Tweede versie." in words(preview.text)  # the new preview, to publish next
    assert previewed(response) != previewed(shown)


def test_a_preview_goes_stale_when_someone_else_changes_the_incident(people: People) -> None:
    incident = published(people)
    client = people.client("editor")
    data = {"known_en": "The servers are down."}
    shown = client.post(sections_url(incident, "en"), {**data, "actie": "voorbeeld"})
    services.edit_incident(incident, world.COMMS, sections={"known": {"nl": "Servers plat."}})
    before = world.written()
    response = client.post(
        sections_url(incident, "en"),
        {**data, "actie": "publiceren", "previewed": previewed(shown)},
    )
    assert response.status_code == 200
    assert world.written() == before


def test_a_made_up_fingerprint_is_refused(people: People) -> None:
    incident = published(people)
    before = world.written()
    response = people.client("editor").post(
        sections_url(incident), {"known_nl": "Iets.", "actie": "publiceren", "previewed": "x" * 32}
    )
    assert response.status_code == 200
    assert world.written() == before


def test_a_drafts_sections_are_still_saved_straight_away(people: People) -> None:
    incident = world.incident(people)
    response = people.client("editor").post(
        sections_url(incident), {"known_nl": "Servers plat.", "actie": "opslaan"}
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.known == {"nl": "Servers plat."}


# -- the title, impact, start and affected services ---------------------------------------------


def edit_url(incident: Incident) -> str:
    return f"/console/stad/incidenten/{incident.slug}/bewerken/"


def edit_data(people: People, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title_nl": "Storing bij de sporthal",
        "title_en": "Sports hall outage",
        "impact": "critical",
        "started_at": "2022-12-06T10:10",
        "services": [people.org.services.get(slug="sporthal").pk],
    }
    data.update(extra)
    return data


def test_a_published_incidents_new_title_is_shown_in_every_language_first(
    people: People,
) -> None:
    incident = published(people)
    before = world.written()
    response = people.client("editor").post(edit_url(incident), edit_data(people))
    assert response.status_code == 200
    assert world.written() == before
    assert "Storing bij de sporthal" not in public_text()
    shown = {
        s.attrs["lang"]: words(s.text)
        for s in page(response).find_all("section", **{"class": "preview"})
    }
    assert set(shown) == {"nl", "fr", "en", "de"}
    assert "Storing bij de sporthal" in shown["nl"]
    assert "Sports hall outage" in shown["en"]
    assert "Storing bij de sporthal (en néerlandais)" in shown["fr"]  # falls back, marked
    assert "zeer groot" in shown["nl"]  # the new impact, in the public words
    assert "Début" in shown["fr"]  # the public page's own words, in each language
    assert any("bekijk eerst hieronder" in n for n in notes(response))


def test_the_previewed_title_is_published_with_the_fingerprint(people: People) -> None:
    incident = published(people)
    client = people.client("editor")
    shown = client.post(edit_url(incident), edit_data(people, actie="voorbeeld"))
    response = client.post(
        edit_url(incident), edit_data(people, actie="publiceren", previewed=previewed(shown))
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert (incident.title, incident.impact) == (
        {"nl": "Storing bij de sporthal", "en": "Sports hall outage"},
        "critical",
    )
    assert "Sports hall outage" in public_text(EN_PUBLIC)


def test_a_title_changed_after_the_preview_is_not_published(people: People) -> None:
    incident = published(people)
    client = people.client("editor")
    shown = client.post(edit_url(incident), edit_data(people, actie="voorbeeld"))
    before = world.written()
    for changed in (
        {"title_nl": "Iets anders"},
        {"services": [people.org.services.get(slug="reispas").pk]},
        {"impact": "minor"},
    ):
        data = edit_data(people, actie="publiceren", previewed=previewed(shown), **changed)
        response = client.post(edit_url(incident), data)
        assert response.status_code == 200
        assert any("gewijzigd sinds het voorbeeld" in n for n in notes(response))
    assert world.written() == before


def test_a_drafts_details_are_still_saved_straight_away(people: People) -> None:
    incident = world.incident(people)
    response = people.client("editor").post(edit_url(incident), edit_data(people))
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.title["nl"] == "Storing bij de sporthal"


# -- refusals show what is stored -----------------------------------------------------------------


def test_a_refused_edit_shows_the_stored_title_not_the_refused_one(people: People) -> None:
    incident = world.incident(people)
    services.resolve(incident, world.COMMS, at=world.DEC_6 + timedelta(hours=1))
    before = world.written()
    response = people.client("editor").post(
        edit_url(incident),
        edit_data(people, title_nl="Nieuwe titel", started_at="2022-12-07T10:00"),
    )
    assert response.status_code == 400
    assert errors(response, "started_at") == ["Een incident kan niet opgelost zijn voor het begon."]
    assert world.written() == before
    html = page(response)
    assert words(html.find_all("title")[0].text) == "Gegevens bewerken · Storing · watwerkt"
    back = html.find_all("p", **{"class": "back"})[0]
    assert words(back.text) == "Storing"


def test_a_refused_phase_change_shows_the_stored_phase(people: People) -> None:
    incident = world.incident(people)
    before = world.written()
    response = people.client("editor").post(
        f"/console/stad/incidenten/{incident.slug}/fase/",
        {"phase": "resolved", "resolved_at": "2022-12-05T10:00"},  # before it started
    )
    assert response.status_code == 400
    assert world.written() == before
    facts = words(page(response).find_all("dl", **{"class": "facts"})[0].text)
    assert "Wordt onderzocht" in facts
    assert "Opgelost" not in facts

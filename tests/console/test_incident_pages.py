"""The console's incident pages: the list, a new incident, its details, its
sections per language, its phase, and its public page as it will look."""

from __future__ import annotations

from datetime import UTC, datetime

from django.test import Client

from tests.console import incident_world as world
from tests.personas import People, sign_in
from tests.public.helpers import Page, words
from watwerkt.audit.models import AuditEntry
from watwerkt.incidents import services
from watwerkt.incidents.models import Incident
from watwerkt.status.revision import current_revision

NEW = "/console/stad/nieuw-incident/"


def page(response: object) -> Page:
    return Page(response.content.decode())  # type: ignore[attr-defined]


def errors(response: object, field: str) -> list[str]:
    """The error messages shown on one field of the page's form."""
    (found,) = [
        e
        for e in page(response).all
        if e.tag == "p" and any(c.attrs.get("id") == f"id_{field}" for c in e.children)
    ]
    return [words(c.text) for c in found.children if c.attrs.get("class") == "error"]


def create_data(people: People, **extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title_nl": "Cyberaanval",
        "title_en": "Cyber attack",
        "impact": "critical",
        "phase": "investigating",
        "started_at": "2022-12-06T07:30",
        "services": [people.org.services.get(slug="sporthal").pk],
        "systems": [people.org.systems.get(slug="reservatie").pk],
    }
    data.update(extra)
    return data


# -- the list ---------------------------------------------------------------------------------


def test_the_list_shows_drafts_and_published_incidents_to_everyone_with_a_role(
    people: People,
) -> None:
    draft = world.incident(people)
    shown = services.create_incident(people.org, {"nl": "Overstroming"}, world.COMMS)
    services.post_update(shown, {"nl": "Het water stijgt."}, world.COMMS, publish=True)
    viewer = people.client("viewer").get("/console/stad/incidenten/")
    rows = [[words(td.text) for td in tr.find_all("td")] for tr in page(viewer).find_all("tr")][1:]
    assert sorted(r[:3] for r in rows) == [
        ["Overstroming", "Wordt onderzocht", "ja"],
        [draft.title["nl"], "Wordt onderzocht", "nee, ontwerp"],
    ]
    assert "Nieuw incident" not in viewer.content.decode()
    assert (
        "Nieuw incident"
        in people.client("editor").get("/console/stad/incidenten/").content.decode()
    )


# -- a new incident -----------------------------------------------------------------------------


def test_an_editor_creates_a_draft_incident_with_what_it_affects(people: People) -> None:
    before = current_revision()
    client = people.client("editor")
    response = client.post(NEW, create_data(people))
    assert response.status_code == 302
    assert response["Location"] == "/console/stad/incidenten/cyberaanval/"
    incident = Incident.objects.get(organisation=people.org, slug="cyberaanval")
    assert incident.title == {"nl": "Cyberaanval", "en": "Cyber attack"}
    assert (incident.impact, incident.phase, incident.published_at) == (
        "critical",
        "investigating",
        None,
    )
    assert incident.started_at == datetime(2022, 12, 6, 6, 30, tzinfo=UTC)  # Brussels time
    assert [s.slug for s in incident.affected_services.all()] == ["sporthal"]
    assert [s.slug for s in incident.affected_systems.all()] == ["reservatie"]
    assert current_revision() == before + 1
    entry = AuditEntry.objects.get(action="incident.create")
    assert (entry.actor, entry.source) == ("eddy", "console")
    followed = client.get(response["Location"])
    assert "aangemaakt als ontwerp" in followed.content.decode()
    assert Client().get("/stad/incidenten/cyberaanval/").status_code == 404  # a draft


def test_a_new_incident_without_a_dutch_title_is_refused_there_and_nothing_is_written(
    people: People,
) -> None:
    before = world.written()
    response = people.client("editor").post(NEW, create_data(people, title_nl=""))
    assert response.status_code == 400
    assert errors(response, "title_nl") == ["Dit veld is verplicht."]
    assert world.written() == before


def test_the_services_refusals_land_on_their_field_in_dutch(people: People) -> None:
    world.incident(people)  # takes the id "storing"
    client = people.client("editor")
    before = world.written()
    taken = client.post(NEW, create_data(people, slug="storing"))
    assert taken.status_code == 400
    assert errors(taken, "slug") == ["“storing” is al in gebruik in deze organisatie."]
    future = client.post(NEW, create_data(people, started_at="2099-01-01T10:00"))
    assert future.status_code == 400
    assert errors(future, "started_at") == ["Dit tijdstip ligt in de toekomst."]
    assert world.written() == before


def test_another_organisations_service_or_system_cannot_be_chosen(people: People) -> None:
    theirs = people.other.services.get(slug="zwembad")
    unrelated = people.other.systems.get(slug="kassa")
    client = people.client("editor")
    before = world.written()
    for data in (
        create_data(people, services=[theirs.pk]),
        create_data(people, systems=[unrelated.pk]),
    ):
        response = client.post(NEW, data)
        assert response.status_code == 400
        assert "geen beschikbare keuze" in response.content.decode()
    assert world.written() == before


def test_a_shared_system_the_organisation_depends_on_can_be_chosen(people: People) -> None:
    response = people.client("editor").post(NEW, create_data(people, systems=[people.shared.pk]))
    assert response.status_code == 302
    incident = Incident.objects.get(slug="cyberaanval")
    assert list(incident.affected_systems.all()) == [people.shared]


def test_an_empty_post_is_refused_not_a_crash(people: People) -> None:
    before = world.written()
    response = people.client("editor").post(NEW, {})
    assert response.status_code == 400
    assert world.written() == before


def test_a_form_without_its_csrf_token_changes_nothing(people: People) -> None:
    client = sign_in(Client(enforce_csrf_checks=True), people["editor"])
    before = world.written()
    response = client.post(NEW, create_data(people))
    assert response.status_code == 403
    assert "Er is niets gewijzigd" in response.content.decode()
    assert world.written() == before


# -- one incident ---------------------------------------------------------------------------------


def test_viewers_read_the_incident_with_its_drafts_but_get_no_forms(people: People) -> None:
    incident = world.incident(people)
    response = people.client("viewer").get(f"/console/stad/incidenten/{incident.slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "We zoeken uit wat er mis is." in html  # the draft update
    assert "Reservaties werken weer" in html  # the target
    actions = [f.attrs.get("action", "") for f in page(response).find_all("form")]
    assert actions == ["/console/uitloggen/"]  # only signing out
    assert "Nieuwe update schrijven" not in html


def test_an_editor_sees_the_forms(people: People) -> None:
    incident = world.incident(people)
    response = people.client("editor").get(f"/console/stad/incidenten/{incident.slug}/")
    actions = {f.attrs.get("action", "") for f in page(response).find_all("form")}
    base = f"/console/stad/incidenten/{incident.slug}"
    reach = f"{base}/doelen/{world.target(people).pk}/bereikt/"
    assert {f"{base}/fase/", reach} <= actions
    links = {a.attrs.get("href") for a in page(response).find_all("a")}
    assert {f"{base}/update/", f"{base}/doelen/", f"{base}/teksten/"} <= links


def test_editing_the_details_merges_titles_and_says_when_nothing_changed(people: People) -> None:
    incident = world.incident(people)
    client = people.client("editor")
    url = f"/console/stad/incidenten/{incident.slug}/bewerken/"
    form = page(client.get(url))
    assert form.by_id("id_title_nl").attrs["value"] == "Storing"
    checked = [i.attrs["value"] for i in form.find_all("input") if "checked" in i.attrs]
    assert checked == [str(people.org.services.get(slug="sporthal").pk)]
    data = {
        "title_nl": "Storing",
        "title_fr": "Panne",
        "impact": "major",
        "started_at": "2022-12-06T10:10",
        "services": [people.org.services.get(slug="sporthal").pk],
    }
    assert client.post(url, data).status_code == 302
    incident.refresh_from_db()
    assert incident.title == {"nl": "Storing", "fr": "Panne"}
    assert incident.affected_systems.count() == 0
    before = world.written()
    again = client.post(url, data, follow=True)
    assert "Niets gewijzigd." in again.content.decode()
    assert world.written() == before


def test_sections_are_written_one_language_at_a_time(people: People) -> None:
    incident = world.incident(people)
    services.edit_incident(incident, world.COMMS, sections={"known": {"nl": "Servers plat."}})
    client = people.client("editor")
    url = f"/console/stad/incidenten/{incident.slug}/teksten/"
    tab = page(client.get(url + "?taal=en"))
    assert tab.by_id("id_known_en").text.strip() == ""
    assert not any(e.attrs.get("id") == "id_known_nl" for e in tab.all)
    current = [a for a in tab.find_all("a") if a.attrs.get("aria-current") == "page"]
    assert [words(a.text) for a in current if "taal=" in a.attrs["href"]] == ["Engels"]
    response = client.post(url + "?taal=en", {"known_en": "Servers down.", "actie": "opslaan"})
    assert response.status_code == 302
    assert response["Location"] == url + "?taal=en"
    incident.refresh_from_db()
    assert incident.known == {"nl": "Servers plat.", "en": "Servers down."}


def test_the_sections_preview_renders_as_the_public_page_and_writes_nothing(
    people: People,
) -> None:
    incident = world.incident(people)
    services.edit_incident(incident, world.COMMS, sections={"known": {"nl": "Servers **plat**."}})
    url = f"/console/stad/incidenten/{incident.slug}/teksten/?taal=en"
    before = world.written()
    response = people.client("editor").post(
        url, {"to_do_en": "Do **not** come.", "actie": "voorbeeld"}
    )
    assert response.status_code == 200
    preview = page(response).find_all("div", **{"class": "preview"})[0]
    texts = [words(e.text) for e in preview.find_all("div") if e.attrs.get("class") == "md"]
    assert texts == ["Servers plat.", "Do not come."]
    falls_back = [e for e in preview.find_all("div") if e.attrs.get("lang") == "nl"]
    assert [words(e.text) for e in falls_back] == ["Servers plat."]  # marked as Dutch
    assert [e.tag for e in preview.find_all("strong")] == ["strong", "strong"]
    assert world.written() == before


def test_the_phase_goes_forward_and_back_only_when_reopening(people: People) -> None:
    incident = world.incident(people)
    client = people.client("editor")
    url = f"/console/stad/incidenten/{incident.slug}/fase/"
    assert client.post(url, {"phase": "monitoring"}).status_code == 302
    before = world.written()
    back = client.post(url, {"phase": "identified"})
    assert back.status_code == 400
    assert errors(back, "phase") == [
        "De fase kan niet terug van “Herstel wordt opgevolgd” naar “Oorzaak gevonden”. "
        "Vink “Heropenen” aan als dat de bedoeling is."
    ]
    assert world.written() == before
    assert client.post(url, {"phase": "identified", "reopen": "on"}).status_code == 302
    incident.refresh_from_db()
    assert incident.phase == "identified"


def test_an_incident_is_resolved_at_the_time_given(people: People) -> None:
    incident = world.incident(people)
    url = f"/console/stad/incidenten/{incident.slug}/fase/"
    client = people.client("editor")
    early = client.post(url, {"phase": "monitoring", "resolved_at": "2023-01-02T10:00"})
    assert early.status_code == 400
    assert errors(early, "resolved_at") == ["Een tijdstip van oplossen hoort alleen bij Opgelost."]
    response = client.post(url, {"phase": "resolved", "resolved_at": "2023-02-03T12:00"})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert (incident.phase, incident.resolved_at) == (
        "resolved",
        datetime(2023, 2, 3, 11, 0, tzinfo=UTC),
    )


def test_the_page_preview_is_the_public_page_with_drafts_in_the_language_asked(
    people: People,
) -> None:
    incident = world.incident(people)
    url = f"/console/stad/incidenten/{incident.slug}/voorbeeld/"
    dutch = people.client("viewer").get(url)
    english = people.client("viewer").get(url + "?taal=en")
    for response, code in ((dutch, "nl"), (english, "en")):
        assert response.status_code == 200
        html = page(response)
        assert html.find_all("html")[0].attrs["lang"] == code
        assert html.find_all("p", **{"class": "draft-note"})
        updates = html.find_all("ol", **{"class": "updates"})
        assert "We zoeken uit wat er mis is." in words(updates[0].text)
        assert "no-store" in response["Cache-Control"]
    assert 'href="/en/stad/"' in english.content.decode()  # the public links, in English
    assert Client().get(f"/stad/incidenten/{incident.slug}/").status_code == 404

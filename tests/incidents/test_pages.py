"""The public incident pages: what residents see, and what they never see."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client

from tests.factories import domain, org, service
from tests.incidents.conftest import COMMS, Crisis
from tests.public.helpers import Page, inline_code, section, words
from watwerkt.catalogue.models import System
from watwerkt.incidents import services


def get(client: Client, path: str, status: int = 200) -> Page:
    response = client.get(path)
    assert response.status_code == status, response.status_code
    return Page(response.content.decode())


def test_the_incident_page_shows_everything_published(crisis: Crisis, client: Client) -> None:
    incident = crisis.incident
    services.edit_incident(incident, COMMS, sections={"to_do": {"nl": "Kom **niet** langs."}})
    services.post_update(incident, {"nl": "Oorzaak gevonden."}, COMMS, phase="identified",
                         publish=True)  # fmt: skip
    page = get(client, "/stad/incidenten/cyberaanval/")
    assert words(page.find_all("h1")[0].text) == "Cyberaanval"
    (facts,) = page.find_all("dl", **{"class": "facts"})
    said = dict(zip(
        (words(e.text) for e in facts.find_all("dt")),
        (words(e.text) for e in facts.find_all("dd")),
        strict=True,
    ))  # fmt: skip
    assert said["Fase"] == "Oorzaak gevonden"
    assert said["Begonnen"] == "6 december 2022 10:10"  # Brussels time
    assert said["Impact"] == "zeer groot"
    assert "Opgelost" not in said
    known = section(page, "s-known")
    assert "De servers liggen plat." in words(known.text)
    assert [e.tag for e in known.find_all("strong")] == ["strong"]
    assert "Kom niet langs." in words(section(page, "s-to_do").text)
    headings = [words(h.text) for h in section(page, "updates").find_all("h3")]
    assert [h.split(": ")[1] for h in headings] == ["Oorzaak gevonden", "Wordt onderzocht"]
    affected = section(page, "getroffen")
    assert [(a.attrs["href"], words(a.text)) for a in affected.find_all("a")] == [
        ("/stad/sporthal/", "Sporthal")
    ]
    assert "Sporthal: werkt" in words(affected.text)
    target = words(section(page, "hersteldoelen").text)
    assert "Reservaties werken weer (Sporthal) Doel: 16 maart 2023 · Nog niet bereikt" in target


def test_the_incident_page_has_no_inline_code(crisis: Crisis, client: Client) -> None:
    services.post_update(
        crisis.incident,
        {"nl": '<script>alert(1)</script> [x](javascript:alert(1)) <b onclick="x">b</b>'},
        COMMS,
        publish=True,
    )
    html = client.get("/stad/incidenten/cyberaanval/").content.decode()
    assert inline_code(html) == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_reached_target_says_when(crisis: Crisis, client: Client) -> None:
    target = crisis.incident.targets.get()
    services.reach_target(target, COMMS, at=datetime(2023, 3, 1, 8, 0, tzinfo=UTC))
    text = words(section(get(client, "/stad/incidenten/cyberaanval/"), "hersteldoelen").text)
    assert "Bereikt op 1 maart 2023 09:00" in text


def test_drafts_are_never_public(crisis: Crisis, client: Client) -> None:
    draft = services.create_incident(crisis.c.org, {"nl": "Geheim plan"}, COMMS, slug="geheim")
    services.post_update(draft, {"nl": "Nog niet zeggen"}, COMMS)
    services.post_update(crisis.incident, {"nl": "Klad van een update"}, COMMS)
    get(client, "/stad/incidenten/geheim/", 404)
    listing = client.get("/stad/incidenten/").content.decode()
    overview = client.get("/stad/").content.decode()
    detail = client.get("/stad/incidenten/cyberaanval/").content.decode()
    for html in (listing, overview, detail):
        assert "Geheim plan" not in html
        assert "Klad van een update" not in html
        assert "Nog niet zeggen" not in html


def test_unknown_organisations_and_incidents_are_404(crisis: Crisis, client: Client) -> None:
    get(client, "/stad/incidenten/bestaat-niet/", 404)
    get(client, "/elders/incidenten/", 404)
    get(client, "/elders/incidenten/cyberaanval/", 404)


def test_an_incident_of_another_organisation_is_not_found_here(
    crisis: Crisis, client: Client
) -> None:
    other = org("buur", "Buurgemeente")
    service(domain(other, "d"), "zwembad")
    get(client, "/buur/incidenten/cyberaanval/", 404)
    assert "Cyberaanval" not in client.get("/buur/incidenten/").content.decode()


def test_a_text_in_the_organisations_language_is_marked_on_a_translated_page(
    crisis: Crisis, client: Client
) -> None:
    page = get(client, "/en/stad/incidenten/cyberaanval/")
    assert words(page.find_all("h1")[0].text) == "Cyber attack"
    assert not page.find_all("h1")[0].find_all("span")  # the title is translated: no mark
    known = section(page, "s-known")
    (text,) = known.find_all("div")
    assert text.attrs == {"class": "md", "lang": "nl"}
    notes = [e for e in known.find_all("p") if e.attrs.get("class") == "fallback-note"]
    assert [words(e.text) for e in notes] == ["(in Dutch)"]
    update = section(page, "updates").find_all("div")[0]
    assert update.attrs == {"class": "md"}  # said in English: nothing to mark
    french = get(client, "/fr/stad/incidenten/cyberaanval/")
    title = french.find_all("h1")[0].find_all("span")[0]
    assert title.attrs == {"class": "fallback", "lang": "nl"}


def test_only_public_systems_are_named(crisis: Crisis, client: Client) -> None:
    html = client.get("/stad/incidenten/cyberaanval/").content.decode()
    assert "Reservatie" not in html.replace("Reservaties werken weer", "")
    System.objects.filter(pk=crisis.c.systems["reservatie"].pk).update(
        public=True, name={"nl": "Reservatieplatform"}
    )
    services.edit_incident(crisis.incident, COMMS, impact="major")  # a new revision
    affected = section(get(client, "/stad/incidenten/cyberaanval/"), "getroffen")
    assert "Getroffen systemen: Reservatieplatform" in words(affected.text)


def test_the_list_shows_current_and_past_incidents(crisis: Crisis, client: Client) -> None:
    old = services.create_incident(
        crisis.c.org, {"nl": "Stroompanne"}, COMMS, started_at=datetime(2022, 1, 3, tzinfo=UTC)
    )
    services.resolve(old, COMMS, body={"nl": "Opgelost."})
    page = get(client, "/stad/incidenten/")
    current = section(page, "lopend")
    assert [words(a.text) for a in current.find_all("a")] == ["Cyberaanval"]
    assert "Wordt onderzocht" in words(current.text)
    past = section(page, "voorbij")
    assert [words(a.text) for a in past.find_all("a")] == ["Stroompanne"]
    assert "Opgelost:" in words(past.text)
    assert "Er is geen onderhoud gepland." in words(section(page, "onderhoud").text)


def test_the_list_says_when_nothing_is_going_on(small: object, client: Client) -> None:
    page = get(client, "/stad/incidenten/")
    assert "Er is op dit moment geen incident." in words(section(page, "lopend").text)


def test_every_write_changes_the_etag(crisis: Crisis, client: Client) -> None:
    for path in ("/stad/incidenten/", "/stad/incidenten/cyberaanval/"):
        etag = client.get(path)["ETag"]
        assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304
        services.edit_incident(crisis.incident, COMMS, sections={"unknown": {"nl": path}})
        response = client.get(path, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 200
        assert response["ETag"] != etag


NOW = datetime(2030, 3, 1, 12, 0, tzinfo=UTC)
START = datetime(2030, 3, 4, 21, 0, tzinfo=UTC)


def test_maintenance_moves_from_planned_to_now_by_the_clock(crisis: Crisis, client: Client) -> None:
    with time_machine.travel(NOW, tick=False):
        services.create_maintenance(
            crisis.c.org, {"nl": "Onderhoud e-loket"}, START, START + timedelta(hours=4), COMMS,
            description={"nl": "Het e-loket is **dicht**."},
            services=[crisis.c.services["reispas"]], publish=True,
        )  # fmt: skip
        response = client.get("/stad/incidenten/")
        page = Page(response.content.decode())
        planned = words(section(page, "onderhoud").text)
        assert (
            "Gepland Onderhoud e-loket: Gepland Van 4 maart 2030 22:00 tot 5 maart 2030 02:00"
            in (planned)
        )
        assert "Getroffen diensten: Reispas" in planned
        max_age = int(response["Cache-Control"].split("max-age=")[1].split(",")[0])
        assert max_age <= (START - NOW).total_seconds()
        etag = response["ETag"]
    with time_machine.travel(START + timedelta(minutes=1), tick=False):
        # No write happened, yet a client holding the old page must get the new one.
        response = client.get("/stad/incidenten/", HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 200
        assert response["ETag"] != etag
        now = words(section(Page(response.content.decode()), "onderhoud").text)
        assert "Nu bezig Onderhoud e-loket: Bezig" in now
        again = client.get("/stad/incidenten/", HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304


def test_the_console_preview_shows_drafts_as_they_will_look(crisis: Crisis) -> None:
    from django.template.loader import render_to_string

    from watwerkt.present.incidents import preview
    from watwerkt.readmodel.snapshot import current

    services.post_update(crisis.incident, {"nl": "**Klad**"}, COMMS, phase="identified")
    snapshot = current("stad")
    assert snapshot is not None
    view = preview(crisis.incident, snapshot)
    assert view.draft is False  # the incident itself is published
    assert [(u.phase, u.draft) for u in view.updates] == [
        ("identified", True),
        ("investigating", False),
    ]
    html = render_to_string("incidents/incident.html", {"i": view, "organisation": "Stad"})
    assert "<strong>Klad</strong>" in html
    assert "(ontwerp)" in html


def test_the_incidents_page_offers_the_history_feeds_in_its_head_and_in_words(
    crisis: Crisis, client: Client
) -> None:
    page = get(client, "/stad/incidenten/")
    alternates = {
        link.attrs["type"]: link.attrs
        for link in page.find_all("link")
        if link.attrs.get("rel") == "alternate" and "xml" in link.attrs.get("type", "")
    }
    assert alternates["application/atom+xml"]["href"] == "/stad/history.atom"
    assert alternates["application/rss+xml"]["href"] == "/stad/history.rss"
    assert alternates["application/atom+xml"]["title"].endswith(": incidenten en onderhoud (Atom)")
    assert "<" not in alternates["application/atom+xml"]["title"]
    (follow,) = page.find_all("p", **{"class": "follow"})
    links = {a.text: a.attrs["href"] for a in follow.find_all("a")}
    assert links == {"Atom": "/stad/history.atom", "RSS": "/stad/history.rss"}
    for href in links.values():
        assert client.get(href).status_code == 200


def test_a_translated_incidents_page_links_the_feeds_in_its_language(
    crisis: Crisis, client: Client
) -> None:
    page = get(client, "/fr/stad/incidenten/")
    hrefs = {a.attrs["href"] for a in page.find_all("p", **{"class": "follow"})[0].find_all("a")}
    assert hrefs == {"/fr/stad/history.atom", "/fr/stad/history.rss"}

"""Dated updates and recovery targets in the console: preview, publish, correct,
discard; what the public sees, in which language, and never a draft."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from django.test import Client

from tests.console import incident_world as world
from tests.personas import People
from tests.public.helpers import Element, Page, words
from watwerkt.audit.models import AuditEntry
from watwerkt.incidents import services
from watwerkt.incidents.models import Incident, IncidentUpdate, RecoveryTarget

MARKDOWN = """## Stand van zaken

De **loketten** zijn open. Lees [meer](https://www.antwerpen.be/cyberaanval).

- reispassen: ja
- parkeerkaarten: nog niet
"""
ENGLISH = "The **counters** are open.\n\n1. passports: yes\n2. parking permits: not yet"


def page(response: object) -> Page:
    return Page(response.content.decode())  # type: ignore[attr-defined]


def new_url(incident: Incident) -> str:
    return f"/console/stad/incidenten/{incident.slug}/update/"


def update_url(update: IncidentUpdate) -> str:
    return f"/console/stad/incidenten/{update.incident.slug}/updates/{update.pk}/"


def previews(response: object) -> dict[str, Element]:
    """The preview of each language: {code: the section}."""
    return {
        e.attrs["lang"]: e
        for e in page(response).find_all("section")
        if "preview" in e.attrs.get("class", "").split()
    }


def body_html(html: str) -> list[str]:
    """The inner HTML of every ``div.md`` (the rendered Markdown) in ``html``."""
    return re.findall(r'<div class="md"(?: lang="\w+")?>(.*?)</div>', html, re.S)


def preview_html(response: object) -> dict[str, str]:
    """The raw HTML of each language's preview."""
    html = response.content.decode()  # type: ignore[attr-defined]
    found = re.findall(r'<section class="preview" [^>]*lang="(\w+)">(.*?)</section>', html, re.S)
    return dict(found)


def previewed(response: object) -> str:
    (field,) = page(response).find_all("input", name="previewed")
    return field.attrs["value"]


def write(client: Client, incident: Incident, action: str, **texts: str) -> object:
    data = {f"body_{code}": text for code, text in texts.items()}
    return client.post(new_url(incident), {**data, "phase": "identified", "actie": action})


@pytest.fixture
def live(people: People) -> Incident:
    """A published incident (so its public page exists) with no draft."""
    incident = services.create_incident(
        people.org, {"nl": "Cyberaanval", "en": "Cyber attack"}, world.COMMS, slug="cyberaanval"
    )
    services.post_update(incident, {"nl": "We onderzoeken het."}, world.COMMS, publish=True)
    incident.refresh_from_db()
    return incident


# -- preview and publish -------------------------------------------------------------------


def test_a_preview_shows_the_update_in_every_language_and_writes_nothing(
    people: People, live: Incident
) -> None:
    before = world.written()
    response = write(people.client("editor"), live, "voorbeeld", nl=MARKDOWN, en=ENGLISH)
    assert response.status_code == 200
    shown = previews(response)
    assert list(shown) == ["nl", "fr", "en", "de"]
    assert "Stand van zaken" in words(shown["nl"].text)
    assert "The counters are open." in words(shown["en"].text)
    for code in ("fr", "de"):  # not translated: the Dutch text, marked as Dutch
        assert "Stand van zaken" in words(shown[code].text)
        assert "nog niet vertaald" in words(shown[code].text)
        assert any(
            e.attrs.get("lang") == "nl" and e.tag == "div" for e in shown[code].find_all("div")
        )
    assert previewed(response)
    buttons = [b.attrs.get("value") for b in page(response).find_all("button")]
    assert "publiceren" in buttons
    assert world.written() == before


def test_before_a_preview_there_is_nothing_to_publish(people: People, live: Incident) -> None:
    response = people.client("editor").get(new_url(live))
    assert previewed(response) == ""
    assert "publiceren" not in [b.attrs.get("value") for b in page(response).find_all("button")]


def test_publishing_needs_the_preview_of_exactly_that_text(people: People, live: Incident) -> None:
    client = people.client("editor")
    before = world.written()
    unseen = write(client, live, "publiceren", nl=MARKDOWN)  # no preview at all
    assert unseen.status_code == 200
    assert "gewijzigd sinds het voorbeeld" in unseen.content.decode()
    assert world.written() == before
    seen = write(client, live, "voorbeeld", nl="Eerste versie.")
    data = {"body_nl": "Tweede versie.", "phase": "identified", "actie": "publiceren"}
    changed = client.post(new_url(live), {**data, "previewed": previewed(seen)})
    assert changed.status_code == 200
    assert "Tweede versie." in words(previews(changed)["nl"].text)  # the new preview
    assert world.written() == before
    published = client.post(new_url(live), {**data, "previewed": previewed(changed)})
    assert published.status_code == 302
    assert published["Location"] == f"/console/stad/incidenten/{live.slug}/#updates"
    latest = IncidentUpdate.objects.filter(incident=live).order_by("-pk").first()
    assert latest is not None
    assert (latest.body, latest.phase, latest.author) == (
        {"nl": "Tweede versie."},
        "identified",
        "eddy",
    )
    assert latest.published_at is not None


def test_the_public_page_shows_the_update_as_previewed_in_dutch_and_english(
    people: People, live: Incident
) -> None:
    client = people.client("editor")
    seen = write(client, live, "voorbeeld", nl=MARKDOWN, en=ENGLISH)
    shown = {code: body_html(html) for code, html in preview_html(seen).items()}
    data = {"body_nl": MARKDOWN, "body_en": ENGLISH, "phase": "identified"}
    done = client.post(new_url(live), {**data, "actie": "publiceren", "previewed": previewed(seen)})
    assert done.status_code == 302
    for code, prefix in (("nl", ""), ("en", "/en"), ("fr", "/fr")):
        public = Client().get(f"{prefix}/stad/incidenten/{live.slug}/").content.decode()
        newest = body_html(public)[0]  # updates come newest first, after the sections
        assert newest == shown[code][0], code
    assert "<h4>Stand van zaken</h4>" in shown["nl"][0]
    assert 'href="https://www.antwerpen.be/cyberaanval"' in shown["nl"][0]


def test_hostile_markdown_stays_sanitised_in_the_preview(people: People, live: Incident) -> None:
    hostile = (
        '<script>alert(1)</script> [klik](javascript:alert(1)) <img src=x onerror="alert(2)"> '
        "![foto](data:image/png;base64,AAAA) <svg onload=alert(3)></svg> "
        '[x](JaVaScRiPt:alert(4)) <a href="javascript:alert(5)">a</a>'
    )
    response = write(people.client("editor"), live, "voorbeeld", nl=hostile)
    assert response.status_code == 200
    for code, html in preview_html(response).items():
        rendered = Page("".join(body_html(html)))
        assert {e.tag for e in rendered.all} <= {"p", "a", "strong", "em", "code"}, code
        for element in rendered.all:
            assert not [k for k in element.attrs if k.startswith("on")], element
        hrefs = [a.attrs.get("href", "") for a in rendered.find_all("a")]
        assert hrefs == [], hrefs  # every link above is unsafe: none is a link any more
        text = words(rendered.root.text)
        assert "<script>alert(1)</script>" in text  # shown as text, not run
        assert "foto" in text  # an image shows as its description


# -- drafts ----------------------------------------------------------------------------------


def test_a_draft_is_saved_without_a_preview_and_is_never_public(
    people: People, live: Incident
) -> None:
    client = people.client("editor")
    response = write(client, live, "ontwerp", nl="Geheim ontwerp.")
    draft = IncidentUpdate.objects.get(incident=live, published_at=None)
    assert response.status_code == 302
    assert response["Location"] == update_url(draft)
    for prefix in ("", "/en"):
        public = Client().get(f"{prefix}/stad/incidenten/{live.slug}/").content.decode()
        assert "Geheim ontwerp." not in public
    assert "Geheim ontwerp." not in Client().get("/stad/incidenten/").content.decode()
    assert (
        "Geheim ontwerp." in client.get(f"/console/stad/incidenten/{live.slug}/").content.decode()
    )


def test_a_draft_is_published_as_its_page_showed_it(people: People, live: Incident) -> None:
    draft = services.post_update(live, {"nl": "Versie één."}, world.COMMS)
    client = people.client("editor")
    shown = page(client.get(update_url(draft)))
    (form,) = [f for f in shown.find_all("form") if f.attrs["action"].endswith("/publiceren/")]
    (stamp,) = [
        i.attrs["value"] for i in form.find_all("input") if i.attrs.get("name") == "previewed"
    ]
    services.edit_update(draft, world.COMMS, body={"nl": "Versie twee."})  # someone else, meanwhile
    before = world.written()
    stale = client.post(update_url(draft) + "publiceren/", {"previewed": stamp}, follow=True)
    assert "gewijzigd sinds je het bekeek" in stale.content.decode()
    assert world.written() == before
    fresh = page(stale)
    (form,) = [f for f in fresh.find_all("form") if f.attrs["action"].endswith("/publiceren/")]
    (stamp,) = [
        i.attrs["value"] for i in form.find_all("input") if i.attrs.get("name") == "previewed"
    ]
    done = client.post(update_url(draft) + "publiceren/", {"previewed": stamp})
    assert done.status_code == 302
    draft.refresh_from_db()
    assert draft.published_at is not None
    assert "Versie twee." in Client().get(f"/stad/incidenten/{live.slug}/").content.decode()


def test_a_draft_is_changed_and_then_discarded(people: People, live: Incident) -> None:
    draft = services.post_update(live, {"nl": "Eerst.", "en": "First."}, world.COMMS)
    client = people.client("editor")
    data = {"body_nl": "Daarna.", "body_en": "", "phase": "monitoring", "actie": "opslaan"}
    assert client.post(update_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert (draft.body, draft.phase) == ({"nl": "Daarna."}, "monitoring")
    assert client.post(update_url(draft) + "verwijderen/").status_code == 302
    assert not IncidentUpdate.objects.filter(pk=draft.pk).exists()
    entry = AuditEntry.objects.filter(action="incident.update.discard").get()
    assert entry.before["body"] == {"nl": "Daarna."}


def test_a_published_update_is_corrected_after_a_preview_and_keeps_its_phase_and_time(
    people: People, live: Incident
) -> None:
    update = IncidentUpdate.objects.get(incident=live)
    published_at = update.published_at
    client = people.client("editor")
    data = {"body_nl": "We onderzoeken de aanval.", "body_en": "We are investigating."}
    seen = client.post(update_url(update), {**data, "actie": "voorbeeld"})
    assert seen.status_code == 200
    assert "We are investigating." in words(previews(seen)["en"].text)
    assert "phase" not in {i.attrs.get("name") for i in page(seen).find_all("select")}
    done = client.post(
        update_url(update), {**data, "actie": "corrigeren", "previewed": previewed(seen)}
    )
    assert done.status_code == 302
    update.refresh_from_db()
    assert update.body == {"nl": "We onderzoeken de aanval.", "en": "We are investigating."}
    assert (update.phase, update.published_at) == ("investigating", published_at)
    english = Client().get(f"/en/stad/incidenten/{live.slug}/").content.decode()
    assert "We are investigating." in english


def test_a_published_update_cannot_be_discarded(people: People, live: Incident) -> None:
    update = IncidentUpdate.objects.get(incident=live)
    before = world.written()
    response = people.client("editor").post(update_url(update) + "verwijderen/")
    assert response.status_code == 400
    assert "kan niet weg; corrigeer hem" in response.content.decode()
    assert world.written() == before


def test_a_draft_behind_the_incident_needs_reopening_to_be_published(
    people: People, live: Incident
) -> None:
    draft = services.post_update(live, {"nl": "Oud nieuws."}, world.COMMS)  # investigating
    services.edit_incident(live, world.COMMS, phase="monitoring")
    client = people.client("editor")
    shown = page(client.get(update_url(draft)))
    assert shown.find_all("input", name="reopen")  # the page offers it
    stamp = shown.find_all("input", name="previewed")[0].attrs["value"]  # the publish form
    before = world.written()
    refused = client.post(update_url(draft) + "publiceren/", {"previewed": stamp})
    assert refused.status_code == 400
    assert "De fase kan niet terug" in refused.content.decode()
    assert world.written() == before
    done = client.post(update_url(draft) + "publiceren/", {"previewed": stamp, "reopen": "on"})
    assert done.status_code == 302
    live.refresh_from_db()
    assert live.phase == "investigating"


def test_an_update_is_found_only_under_its_own_incident(people: People, live: Incident) -> None:
    other = world.incident(people)
    theirs = IncidentUpdate.objects.filter(incident=other).first()
    assert theirs is not None
    url = f"/console/stad/incidenten/{live.slug}/updates/{theirs.pk}/"
    assert people.client("editor").get(url).status_code == 404


# -- recovery targets ----------------------------------------------------------------------


def test_a_target_is_added_changed_and_reached(people: People, live: Incident) -> None:
    client = people.client("editor")
    base = f"/console/stad/incidenten/{live.slug}/doelen/"
    hal = people.org.services.get(slug="sporthal")
    added = client.post(
        base, {"text_nl": "Reservaties werken weer", "due": "2023-03-31", "service": hal.pk}
    )
    assert added.status_code == 302
    assert added["Location"].endswith("#hersteldoelen")
    target = RecoveryTarget.objects.get(incident=live)
    assert (target.text, target.target, target.service) == (
        {"nl": "Reservaties werken weer"},
        date(2023, 3, 31),
        hal,
    )
    public = Client().get(f"/stad/incidenten/{live.slug}/").content.decode()
    assert "Reservaties werken weer" in public
    changed = client.post(
        f"{base}{target.pk}/", {"text_nl": "Sporthallen", "text_en": "Sports halls"}
    )
    assert changed.status_code == 302
    target.refresh_from_db()
    assert (target.text, target.target, target.service) == (
        {"nl": "Sporthallen", "en": "Sports halls"},
        None,
        None,
    )
    reached = client.post(
        f"{base}{target.pk}/bereikt/", {"reached": "on", "reached_at": "2023-03-01T09:00"}
    )
    assert reached.status_code == 302
    target.refresh_from_db()
    assert target.reached_at == datetime(2023, 3, 1, 8, 0, tzinfo=UTC)
    assert client.post(f"{base}{target.pk}/bereikt/", {}).status_code == 302  # not after all
    target.refresh_from_db()
    assert target.reached_at is None
    actions = list(
        AuditEntry.objects.filter(action__startswith="incident.target").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "incident.target.add",
        "incident.target.edit",
        "incident.target.reach",
        "incident.target.reach",
    ]


def test_a_target_refused_shows_why_where_it_was_typed(people: People, live: Incident) -> None:
    client = people.client("editor")
    base = f"/console/stad/incidenten/{live.slug}/doelen/"
    before = world.written()
    bad_day = client.post(base, {"text_nl": "Iets", "due": "2023-02-30"})
    assert bad_day.status_code == 400
    assert "Voer een geldige datum in." in bad_day.content.decode()
    no_text = client.post(base, {"text_en": "Something"})
    assert no_text.status_code == 400
    assert world.written() == before
    target = services.add_target(live, {"nl": "Iets"}, world.COMMS)
    before = world.written()
    future = client.post(
        f"{base}{target.pk}/bereikt/", {"reached": "on", "reached_at": "2099-01-01T10:00"}
    )
    assert future.status_code == 400
    assert "Dit tijdstip ligt in de toekomst." in future.content.decode()
    assert world.written() == before

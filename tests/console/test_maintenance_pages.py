"""The console's maintenance pages: plan a window, announce it, state its
progress, call it off; and what the public incident page then says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.test import Client
from django.utils import timezone

from tests.console import incident_world as world
from tests.personas import People
from tests.public.helpers import Page, words
from watwerkt.audit.models import AuditEntry
from watwerkt.incidents import services
from watwerkt.incidents.models import Maintenance


def page(response: object) -> Page:
    return Page(response.content.decode())  # type: ignore[attr-defined]


def local(moment: datetime) -> str:
    """As a datetime-local field sends it, in Brussels time."""
    return timezone.localtime(moment, timezone.get_default_timezone()).strftime("%Y-%m-%dT%H:%M")


def field_errors(response: object, field: str) -> list[str]:
    (found,) = [
        e
        for e in page(response).all
        if e.tag == "p" and any(c.attrs.get("id") == f"id_{field}" for c in e.children)
    ]
    return [words(c.text) for c in found.children if c.attrs.get("class") == "error"]


def test_an_editor_plans_a_window_as_a_draft_and_announces_it(people: People) -> None:
    client = people.client("editor")
    hal = people.org.services.get(slug="sporthal")
    data = {
        "title_nl": "Onderhoud reservaties",
        "title_en": "Booking maintenance",
        "description_nl": "Het platform wordt **bijgewerkt**.",
        "starts": "2099-03-01T20:00",
        "ends": "2099-03-01T23:00",
        "services": [hal.pk],
    }
    created = client.post("/console/stad/nieuw-onderhoud/", data)
    assert created.status_code == 302
    window = Maintenance.objects.get(organisation=people.org)
    assert created["Location"] == f"/console/stad/onderhoud/{window.slug}/"
    assert window.scheduled_for == datetime(2099, 3, 1, 19, 0, tzinfo=UTC)  # Brussels, winter
    assert window.published_at is None
    assert "Onderhoud reservaties" not in Client().get("/stad/incidenten/").content.decode()
    detail = client.get(created["Location"])
    shown = page(detail)
    assert [e.tag for e in shown.find_all("strong") if words(e.text) == "bijgewerkt"] == ["strong"]
    announce = client.post(f"/console/stad/onderhoud/{window.slug}/aankondigen/")
    assert announce.status_code == 302
    public = Client().get("/stad/incidenten/").content.decode()
    assert "Onderhoud reservaties" in public
    assert "Booking maintenance" in Client().get("/en/stad/incidenten/").content.decode()
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions == ["maintenance.create", "maintenance.publish"]


def test_a_window_must_end_after_it_starts_and_nothing_is_written(people: People) -> None:
    before = world.written()
    data = {"title_nl": "Verkeerd", "starts": "2099-03-01T20:00", "ends": "2099-03-01T19:00"}
    response = people.client("editor").post("/console/stad/nieuw-onderhoud/", data)
    assert response.status_code == 400
    assert field_errors(response, "ends") == ["Het onderhoud moet eindigen na het begin."]
    assert world.written() == before


def test_a_window_that_is_over_cannot_be_announced(people: People) -> None:
    past = timezone.now() - timedelta(days=3)
    window = services.create_maintenance(
        people.org, {"nl": "Voorbij"}, past, past + timedelta(hours=1), world.COMMS
    )
    before = world.written()
    response = people.client("editor").post(f"/console/stad/onderhoud/{window.slug}/aankondigen/")
    assert response.status_code == 400
    assert "al voorbij" in response.content.decode()
    assert world.written() == before


def test_progress_is_stated_forward_only(people: People) -> None:
    window = world.window(people)
    client = people.client("editor")
    url = f"/console/stad/onderhoud/{window.slug}/toestand/"
    early = client.post(url, {"state": "in_progress"})
    assert early.status_code == 400
    assert "eerst aan" in early.content.decode()  # announce it first
    services.publish_maintenance(window, world.COMMS)
    assert client.post(url, {"state": "verifying"}).status_code == 302
    before = world.written()
    back = client.post(url, {"state": "in_progress"})
    assert back.status_code == 400
    assert "de toestand gaat alleen vooruit" in back.content.decode()
    assert client.post(url, {"state": "scheduled"}).status_code == 400  # not a choice
    assert world.written() == before
    window.refresh_from_db()
    assert window.state == "verifying"


def test_a_cancelled_window_is_kept_and_can_no_longer_change(people: People) -> None:
    window = world.window(people)
    services.publish_maintenance(window, world.COMMS)
    client = people.client("editor")
    base = f"/console/stad/onderhoud/{window.slug}/"
    assert client.post(base + "annuleren/", {"note": "Leverancier niet klaar"}).status_code == 302
    window.refresh_from_db()
    assert window.cancelled_at is not None
    entry = AuditEntry.objects.get(action="maintenance.cancel")
    assert entry.note == "Leverancier niet klaar"
    detail = client.get(base)
    assert "Gaat niet door" in detail.content.decode()
    assert [f.attrs["action"] for f in page(detail).find_all("form")] == ["/console/uitloggen/"]
    before = world.written()
    data = {
        "title_nl": "Toch",
        "starts": local(window.scheduled_for),
        "ends": local(window.scheduled_until),
    }
    edit = client.post(base + "bewerken/", data)
    assert edit.status_code == 400
    assert "geannuleerd" in edit.content.decode()
    assert world.written() == before
    assert "Gaat niet door" in Client().get("/stad/incidenten/").content.decode()


def test_the_list_says_state_and_whether_it_was_announced(people: People) -> None:
    world.window(people)
    response = people.client("viewer").get("/console/stad/onderhoud/")
    rows = [[words(td.text) for td in tr.find_all("td")] for tr in page(response).find_all("tr")]
    assert rows[1][:3] == ["Onderhoud", "Gepland", "nee, ontwerp"]
    assert "Onderhoud plannen" not in response.content.decode()  # a viewer plans nothing

"""The systems pages: own and shared systems, what depends on what, the impact preview
and its confirm, and the recovery plan."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from tests.console.test_board import text
from tests.factories import TEST_ACTOR
from tests.personas import People, person, sign_in
from watwerkt.accounts.roles import Role
from watwerkt.audit.models import AuditEntry
from watwerkt.catalogue.models import Dependency, FunctionChannel, System
from watwerkt.engine import Level, SystemState
from watwerkt.status.models import EffectiveStatus, StatusEvent
from watwerkt.status.revision import current_revision
from watwerkt.status.services import SystemChange, recompute, set_status, set_system
from watwerkt.status.values import ManualStatus

SYSTEMS = "/console/stad/systemen/"
SHARED = "/console/stad/systemen/elders/betaalplatform/"


def state(owner: str, slug: str) -> str:
    return System.objects.get(organisation__slug=owner, slug=slug).state


def names(response: Any) -> list[str]:
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', response.content.decode())


@pytest.fixture
def shared(people: People) -> People:
    """elders' zwembad depends on its own betaalplatform too, which stad's sporthal shares."""
    pool = people.other.services.get(slug="zwembad")
    Dependency.objects.create(system=people.shared, service=pool)
    recompute(TEST_ACTOR)
    return people


def provider(people: People) -> Client:
    """The crisis team of a shared provider: editor in both organisations."""
    both = person("pim", {people.org: Role.EDITOR, people.other: Role.EDITOR})
    return sign_in(Client(), both)


def test_the_list_holds_own_systems_and_the_shared_ones_the_services_use(people: People) -> None:
    response = people.client("viewer").get(SYSTEMS)
    assert response.status_code == 200
    assert names(response) == ["Datacenter", "Reservatie", "Register", "Betaalplatform"]
    assert "gedeeld, van elders" in text(response)
    assert "Kassa" not in text(response)  # elders' own, used by nothing of stad


def test_a_derived_state_names_the_system_behind_it(people: People) -> None:
    set_system(
        people.org.systems.get(slug="datacenter"), SystemChange(SystemState.DOWN), TEST_ACTOR
    )
    said = text(people.client("viewer").get(SYSTEMS))
    assert "buiten werking sinds" in said
    assert "(hangt af van Datacenter, buiten werking sinds" in said
    assert "(zelf: werkt)" in said


def test_a_system_page_shows_both_directions(people: People) -> None:
    said = text(people.client("viewer").get("/console/stad/systemen/stad/reservatie/"))
    assert "Van jouw organisatie hangen 2 diensten ervan af (3 onderdelen)" in said
    assert "Materiaal — hard" in said
    assert "Sporthal — hard" in said
    assert "Waarvan het afhangt Datacenter — hard" in said
    said = text(people.client("viewer").get("/console/stad/systemen/stad/datacenter/"))
    assert "Systemen Reservatie — hard" in said
    assert "Toestand wijzigen" not in said  # a viewer reads


def test_a_shared_system_shows_only_the_services_one_may_see(shared: People) -> None:
    said = text(shared.client("editor").get(SHARED))
    assert "Een gedeeld systeem van elders" in said
    assert "Sporthal — zacht" in said
    assert "Zwembad" not in said
    assert "Toestand wijzigen" not in said  # only the owner's editors change it
    both = text(provider(shared).get(SHARED))
    assert "Zwembad (elders) — hard" in both


def test_an_unshared_system_of_another_organisation_is_not_found(people: People) -> None:
    assert people.client("editor").get("/console/stad/systemen/elders/kassa/").status_code == 404
    assert (
        people.client("editor").get("/console/stad/systemen/stad/bestaat-niet/").status_code == 404
    )


def change(client: Client, url: str, **fields: str) -> Any:
    data = {"state": "down", "expected": "", "expected_date": "", "note": ""}
    data.update(fields)
    return client.post(url + "toestand/", data)


def digest(response: Any) -> str:
    found = re.search(r'name="confirm" value="(\w+)"', response.content.decode())
    assert found is not None
    return found.group(1)


def test_setting_a_system_down_shows_the_impact_first_and_writes_nothing(people: People) -> None:
    revision, events = current_revision(), StatusEvent.objects.count()
    response = change(people.client("editor"), "/console/stad/systemen/stad/reservatie/")
    assert response.status_code == 200
    said = text(response)
    assert "Reservatie op “buiten werking” zetten?" in said
    assert "0 diensten gaan erop vooruit, 2 diensten gaan erop achteruit." in said
    assert "Materiaal: werkt → werkt niet" in said
    assert "Sporthal \N{EN DASH} Boeken (Telefoon): werkt → werkt niet" in said
    assert "Stad: werkt → werkt met beperkingen" in said
    assert (current_revision(), StatusEvent.objects.count()) == (revision, events)
    assert state("stad", "reservatie") == "up"


def test_confirming_applies_exactly_what_was_previewed(people: People) -> None:
    client = people.client("editor")
    url = "/console/stad/systemen/stad/reservatie/"
    shown = change(client, url, expected="date", expected_date="2023-03-15", note="brand")
    response = change(
        client,
        url,
        expected="date",
        expected_date="2023-03-15",
        note="brand",
        confirm=digest(shown),
    )
    assert response.status_code == 302
    assert response["Location"] == url
    system = System.objects.get(slug="reservatie")
    assert (system.state, system.expected, system.note) == (
        "down",
        {"kind": "date", "value": "2023-03-15"},
        {"nl": "brand"},
    )
    event = StatusEvent.objects.get(subject="system", layer="manual")
    assert (event.actor, event.source, event.note) == ("eddy", "console", "brand")
    changed = {
        (e.subject, e.path)
        for e in StatusEvent.objects.filter(layer="effective", revision=event.revision)
    }
    previewed = re.findall(r"<li class=\"worse\">", shown.content.decode())
    assert len(changed) == len(previewed)  # every line previewed, and nothing else, changed
    page = text(client.get(url))
    assert "Reservatie staat nu op “buiten werking”. 2 diensten werken minder goed." in page


def test_a_confirm_after_the_impact_moved_shows_the_new_impact_instead(people: People) -> None:
    client = people.client("editor")
    url = "/console/stad/systemen/stad/reservatie/"
    shown = change(client, url)
    material = FunctionChannel.objects.get(function__service__slug="materiaal")
    set_status([material], ManualStatus(Level.AVAILABLE, pinned=True), TEST_ACTOR)
    revision = current_revision()
    response = change(client, url, confirm=digest(shown))
    assert response.status_code == 409
    said = text(response)
    assert "Intussen is er iets veranderd" in said
    assert "Materiaal: werkt → werkt niet" not in said
    assert current_revision() == revision
    assert state("stad", "reservatie") == "up"
    assert change(client, url, confirm=digest(response)).status_code == 302
    assert state("stad", "reservatie") == "down"


def test_a_tampered_confirm_applies_nothing(people: People) -> None:
    client = people.client("editor")
    url = "/console/stad/systemen/stad/reservatie/"
    shown = change(client, url, state="degraded")
    assert change(client, url, state="down", confirm=digest(shown)).status_code == 409
    assert state("stad", "reservatie") == "up"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"state": "kapot"}, "Selecteer een geldige keuze"),
        ({"expected": "date", "expected_date": "volgende week"}, "bestaande datum"),
    ],
)
def test_a_bad_state_form_says_why_and_previews_nothing(
    people: People, fields: dict[str, str], message: str
) -> None:
    response = change(people.client("editor"), "/console/stad/systemen/stad/register/", **fields)
    assert response.status_code == 400
    assert message in text(response)


def test_only_the_owners_editors_change_a_shared_system(shared: People) -> None:
    revision = current_revision()
    assert change(shared.client("editor"), SHARED).status_code == 403
    assert (
        shared.client("editor").post(SHARED + "herstelplan/", {"priority": "1"}).status_code == 403
    )
    assert current_revision() == revision
    theirs = change(shared.client("outsider"), "/console/elders/systemen/elders/betaalplatform/")
    assert theirs.status_code == 200


def test_the_owner_sees_the_impact_on_other_organisations_counted_not_shown(shared: People) -> None:
    response = change(shared.client("outsider"), "/console/elders/systemen/elders/betaalplatform/")
    said = text(response)
    assert "Zwembad: werkt → werkt niet" in said
    assert "Sporthal" not in said
    assert "Daarnaast veranderen 5 statussen in organisaties die jij niet mag zien." in said
    both = text(change(provider(shared), "/console/elders/systemen/elders/betaalplatform/"))
    assert "Sporthal: werkt → werkt met beperkingen" in both
    assert "jij niet mag zien" not in both


@pytest.mark.parametrize(
    ("persona", "status"), [("viewer", 403), ("outsider", 404), ("anonymous", 302)]
)
def test_others_cannot_change_a_system(people: People, persona: str, status: int) -> None:
    url = "/console/stad/systemen/stad/datacenter/"
    assert change(people.client(persona), url, confirm="x").status_code == status
    assert (
        people.client(persona).post(url + "herstelplan/", {"priority": "1"}).status_code == status
    )
    assert state("stad", "datacenter") == "up"
    assert not AuditEntry.objects.exists()


def plan(client: Client, **fields: str) -> Any:
    data = {"priority": "", "owner": "", "target": "", "steps": "", "note": ""}
    data.update(fields)
    return client.post("/console/stad/systemen/stad/reservatie/herstelplan/", data)


def test_an_editor_sets_the_recovery_plan(people: People) -> None:
    response = plan(
        people.client("editor"),
        priority="1",
        owner="Sport",
        target="2023-03-01",
        steps="Back-up terugzetten\n\nTesten\n",
        note="overleg",
    )
    assert response.status_code == 302
    system = System.objects.get(slug="reservatie")
    assert (system.recovery_priority, system.recovery_owner, system.recovery_steps) == (
        1,
        "Sport",
        ["Back-up terugzetten", "Testen"],
    )
    entry = AuditEntry.objects.get(action="system.recovery")
    assert (entry.actor, entry.note, entry.after["target"]) == ("eddy", "overleg", "2023-03-01")
    said = text(people.client("viewer").get("/console/stad/systemen/stad/reservatie/"))
    assert "Prioriteit 1 Verantwoordelijke Sport Streefdatum 1 maart 2023" in said


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"priority": "0"}, "minstens 1 is"),
        ({"priority": "een"}, "Voer een geheel getal in"),
        ({"target": "2023-02-30"}, "Schrijf een bestaande datum"),
        ({"steps": "x" * 501}, "Deze waarde kan niet"),
    ],
)
def test_a_bad_recovery_plan_says_why_and_changes_nothing(
    people: People, fields: dict[str, str], message: str
) -> None:
    response = plan(people.client("editor"), **fields)
    assert response.status_code == 400
    assert message in text(response)
    assert System.objects.get(slug="reservatie").recovery_priority is None
    assert not AuditEntry.objects.exists()


def test_the_write_urls_answer_a_get_with_the_system_page(people: People) -> None:
    client = people.client("editor")
    url = "/console/stad/systemen/stad/register/"
    for tail in ("toestand/", "herstelplan/"):
        response = client.get(url + tail)
        assert (response.status_code, response["Location"]) == (302, url)


def test_the_effective_state_follows_a_confirmed_change(people: People) -> None:
    client = people.client("editor")
    url = "/console/stad/systemen/stad/datacenter/"
    change(client, url, confirm=digest(change(client, url)))
    reservation = System.objects.get(slug="reservatie")
    value = EffectiveStatus.objects.get(subject="system", object_id=reservation.pk).value
    assert value["state"] == "down"
    assert value["own"] is False


def test_a_service_page_links_to_the_systems_it_depends_on(people: People) -> None:
    html = people.client("viewer").get("/console/stad/diensten/reispas/").content.decode()
    assert 'href="/console/stad/systemen/stad/register/">Register</a></th><td>Afhalen' in html
    html = people.client("viewer").get("/console/stad/diensten/sporthal/").content.decode()
    assert 'href="/console/stad/systemen/elders/betaalplatform/"' in html

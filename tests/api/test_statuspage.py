"""The Statuspage-compatible API, read by a strict Statuspage client."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.api.client import (
    INCIDENT,
    MAINTENANCE,
    PAGE,
    ClientError,
    read_components,
    read_incident,
    read_summary,
    strict,
)
from tests.api.news import News
from tests.factories import TEST_ACTOR, Catalogue, domain, function, service
from tests.public.conftest import set_item
from tests.public.helpers import Page, groups, section
from watwerkt.catalogue.models import Domain, Organisation, Service, System
from watwerkt.engine import SystemState
from watwerkt.status.services import SystemChange, recompute, set_system

# Which public group allows which component status (see docs/api.md).
ALLOWED = {
    "Wat werkt": {"operational"},
    "Wat werkt met beperkingen": {"degraded_performance", "partial_outage"},
    "Wat werkt niet": {"major_outage", "under_maintenance"},
    "Nog niet bekend": {"degraded_performance"},
}


def get(client: Client, path: str, **headers: str) -> Any:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_a_strict_client_reads_the_demo_summary_as_the_public_overview_shows_it(
    demo: Organisation, client: Client
) -> None:
    summary = read_summary(get(client, "/antwerpen/api/v2/summary.json"))
    page = Page(client.get("/antwerpen/").content.decode())
    components = summary.by_name()
    seen = 0
    for d in Domain.objects.filter(organisation=demo).exclude(services=None):
        group = components[d.name["nl"]]
        assert group.group
        assert group.group_id is None
        children = [c for c in summary.components if c.group_id == group.id]
        assert [c.id for c in children] == group.children
        assert [c.position for c in children] == list(range(1, len(children) + 1))
        for heading, names in groups(section(page, f"d-{d.slug}")).items():
            for name in names:
                assert components[name].status in ALLOWED[heading], (name, heading)
                assert components[name].group_id == group.id
                seen += 1
    assert (
        seen
        == Service.objects.filter(organisation=demo).count()
        == len([c for c in summary.components if not c.group])
    )
    assert summary.indicator == "major"  # the demo has services down and working
    assert summary.page["time_zone"] == "Europe/Brussels"
    assert summary.page["url"] == "http://testserver/antwerpen/"


def test_the_summary_follows_a_write(small: Catalogue, client: Client) -> None:
    before = read_summary(get(client, "/stad/api/v2/summary.json"))
    assert before.indicator == "none"
    assert before.description == "All Systems Operational"
    set_system(small.systems["datacenter"], SystemChange(SystemState.DOWN), TEST_ACTOR)
    after = read_summary(get(client, "/stad/api/v2/summary.json"))
    assert after.by_name()["Sporthal"].status == "major_outage"
    assert after.by_name()["Reispas"].status == "operational"
    assert after.by_name()["Sport"].status == "major_outage"
    assert (after.indicator, after.description) == ("major", "Partial System Outage")


def test_everything_down_is_critical(small: Catalogue, client: Client) -> None:
    set_system(small.systems["datacenter"], SystemChange(SystemState.DOWN), TEST_ACTOR)
    set_system(small.systems["register"], SystemChange(SystemState.DOWN), TEST_ACTOR)
    set_item(small, "pas_apply", "unavailable")
    set_item(small, "pas_pick", "unavailable")
    status = get(client, "/stad/api/v2/status.json")
    strict(status["page"], PAGE, "page")
    assert status["status"] == {"indicator": "critical", "description": "Major System Outage"}


def test_a_service_partly_down_is_a_partial_outage(helped: Catalogue, client: Client) -> None:
    components = read_components(get(client, "/stad/api/v2/components.json")["components"])
    reispas = next(c for c in components if c.name == "Reispas")
    assert reispas.status == "partial_outage"  # applying works with delays, pick-up does not


def test_ids_are_stable_strings_in_statuspage_form(small: Catalogue, client: Client) -> None:
    first = get(client, "/stad/api/v2/components.json")
    recompute(TEST_ACTOR)
    again = get(client, "/stad/api/v2/components.json")
    ids = [c["id"] for c in first["components"]]
    assert ids == [c["id"] for c in again["components"]]
    assert all(len(i) == 12 and i.isalnum() and i.islower() for i in ids)
    assert first["page"]["id"] == again["page"]["id"]


def test_component_names_are_unique_within_an_organisation(
    small: Catalogue, client: Client
) -> None:
    other = domain(small.org, "jeugd", 2)
    function(service(other, "inschrijven", "Inschrijven"))
    function(service(Domain.objects.get(slug="sport"), "inschrijven-sport", "Inschrijven"))
    function(service(other, "sport-jeugd", "Sport"))  # the name of a domain
    recompute(TEST_ACTOR)
    names = [c["name"] for c in get(client, "/stad/api/v2/components.json")["components"]]
    assert len(names) == len(set(names))
    assert {"Inschrijven (Jeugd)", "Inschrijven (Sport)", "Sport (Jeugd)"} <= set(names)


def test_group_names_are_unique_too_and_the_same_on_every_read(
    small: Catalogue, client: Client
) -> None:
    sport = Domain.objects.get(organisation=small.org, slug="sport")
    loketten = Domain.objects.get(organisation=small.org, slug="loketten")
    twin = domain(small.org, "sport-2", 2)
    Domain.objects.filter(pk=twin.pk).update(name={"nl": "Sport"})  # two domains "Sport"
    function(service(twin, "zwembad", "Zwembad"))
    named = domain(small.org, "pas", 3)
    Domain.objects.filter(pk=named.pk).update(name={"nl": "Reispas"})  # a domain named
    function(service(named, "pas-aanvragen", "Pas aanvragen"))  # like a service
    # Two services "Kaart" in Loketten, and one named as the first will be renamed:
    # only the last step (a number) can tell those apart.
    function(service(loketten, "kaart-a", "Kaart"))
    function(service(loketten, "kaart-b", "Kaart"))
    function(service(sport, "kaart-literal", "Kaart (Loketten) [kaart-a]"))
    recompute(TEST_ACTOR)
    rows = get(client, "/stad/api/v2/components.json")["components"]
    names = [c["name"] for c in rows]
    assert len(names) == len(set(names))
    assert [c["name"] for c in rows if c["group"]] == [
        "Loketten",
        "Sport [sport]",
        "Sport [sport-2]",
        "Reispas",  # the domain keeps its name; the service gives way
    ]
    assert {"Reispas (Loketten)", "Zwembad", "Kaart (Loketten) [kaart-b]"} <= set(names)
    assert "Kaart (Loketten) [kaart-a]" in names
    assert "Kaart (Loketten) [kaart-a] #2" in names
    recompute(TEST_ACTOR)  # a new revision: the same names, in the same order
    assert [c["name"] for c in get(client, "/stad/api/v2/components.json")["components"]] == names
    summary = read_summary(get(client, "/stad/api/v2/summary.json"))
    assert len(summary.by_name()) == len(summary.components)


def test_shortlinks_lead_to_the_incident_and_to_the_window(news: News, client: Client) -> None:
    (incident, _resolved) = get(client, "/stad/api/v2/incidents.json")["incidents"]
    assert incident["shortlink"] == "http://testserver/stad/incidenten/cyberaanval/"
    page = client.get(incident["shortlink"].removeprefix("http://testserver"))
    assert page.status_code == 200
    assert "Incident cyberaanval" in page.content.decode()
    windows = get(client, "/stad/api/v2/scheduled-maintenances.json")["scheduled_maintenances"]
    listed = client.get("/stad/incidenten/").content.decode()
    for window in windows:
        path, _, anchor = window["shortlink"].removeprefix("http://testserver").partition("#")
        assert path == "/stad/incidenten/"
        assert f'id="{anchor}"' in listed
    upcoming = next(w for w in windows if w["name"] == "Onderhoud e-loket-upgrade")
    assert upcoming["shortlink"] == "http://testserver/stad/incidenten/#o-e-loket-upgrade"
    assert {
        i["shortlink"] for i in read_summary(get(client, "/stad/api/v2/summary.json")).incidents
    } == {incident["shortlink"]}


def test_only_published_incidents_and_updates_appear(news: News, client: Client) -> None:
    everything = json.dumps(get(client, "/stad/api/v2/incidents.json"))
    incidents = get(client, "/stad/api/v2/incidents.json")["incidents"]
    assert [i["name"] for i in incidents] == ["Incident cyberaanval", "Incident stroomstoring"]
    for n, incident in enumerate(incidents):
        read_incident(incident, INCIDENT, f"incidents[{n}]")
    for secret in ("geheim-concept", "Nog niet publiek", "Jansen", "Geheim Reservatieplatform"):
        assert secret not in everything
    open_one = incidents[0]
    assert [u["status"] for u in open_one["incident_updates"]] == ["identified", "investigating"]
    assert [c["name"] for c in open_one["components"]] == ["Sporthal", "Materiaal"]
    assert open_one["resolved_at"] is None
    resolved = incidents[1]
    assert resolved["status"] == "resolved"
    assert resolved["monitoring_at"] is not None
    assert resolved["resolved_at"] is not None
    unresolved = get(client, "/stad/api/v2/incidents/unresolved.json")["incidents"]
    assert [i["id"] for i in unresolved] == [open_one["id"]]


def test_maintenance_windows_by_state(news: News, client: Client) -> None:
    def names(path: str) -> list[str]:
        rows = get(client, f"/stad/api/v2/{path}")["scheduled_maintenances"]
        for n, row in enumerate(rows):
            read_incident(row, MAINTENANCE, f"scheduled_maintenances[{n}]")
        return [m["name"] for m in rows]

    assert names("scheduled-maintenances/upcoming.json") == ["Onderhoud e-loket-upgrade"]
    assert names("scheduled-maintenances/active.json") == ["Onderhoud netwerkwerken"]
    everything = names("scheduled-maintenances.json")
    assert "Onderhoud concept-onderhoud" not in everything  # a draft
    assert len(everything) == 3
    summary = read_summary(get(client, "/stad/api/v2/summary.json"))
    assert {m["name"] for m in summary.maintenances} == {
        "Onderhoud e-loket-upgrade",
        "Onderhoud netwerkwerken",
    }
    cancelled = next(
        m
        for m in get(client, "/stad/api/v2/scheduled-maintenances.json")["scheduled_maintenances"]
        if m["name"] == "Onderhoud afgelast"
    )
    assert cancelled["status"] == "completed"


def test_a_window_that_starts_changes_the_answer_and_its_etag(news: News, client: Client) -> None:
    path = "/stad/api/v2/scheduled-maintenances/active.json"
    before = client.get(path)
    with time_machine.travel(news.upcoming.scheduled_for + timedelta(minutes=1)):
        after = client.get(path, headers={"if-none-match": before["ETag"]})
        assert after.status_code == 200
        names = [m["name"] for m in json.loads(after.content)["scheduled_maintenances"]]
        assert "Onderhoud e-loket-upgrade" in names


def test_summary_answers_304_and_allows_any_origin(small: Catalogue, client: Client) -> None:
    first = client.get("/stad/api/v2/summary.json")
    assert first["Access-Control-Allow-Origin"] == "*"
    again = client.get("/stad/api/v2/summary.json", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304


def test_the_demo_never_names_an_internal_system(demo_news: News, client: Client) -> None:
    internal = [s.name["nl"] for s in System.objects.filter(public=False)]
    public_names = {s.name["nl"] for s in Service.objects.all()}
    for path in ("summary.json", "incidents.json", "scheduled-maintenances.json"):
        body = client.get(f"/antwerpen/api/v2/{path}").content.decode()
        for name in internal:
            if name not in public_names:
                assert name not in body, (path, name)


def test_the_client_itself_rejects_what_strict_clients_reject() -> None:
    row = {
        "id": "a", "name": "A", "status": "unknown", "created_at": "2022-12-06T09:00:00+01:00",
        "updated_at": "2022-12-06T09:00:00+01:00", "position": 1, "description": None,
        "showcase": True, "start_date": None, "group_id": None, "page_id": "p", "group": False,
        "only_show_if_degraded": False,
    }  # fmt: skip
    with pytest.raises(ClientError, match="not one of"):
        read_components([row])
    with pytest.raises(ClientError, match="without offset"):
        read_components([{**row, "status": "operational", "created_at": "2022-12-06T09:00:00"}])
    with pytest.raises(ClientError, match="unknown fields"):
        read_components([{**row, "status": "operational", "level": "limited"}])


def test_page_updated_at_is_the_latest_change(small: Catalogue, client: Client) -> None:
    set_system(small.systems["register"], SystemChange(SystemState.DEGRADED), TEST_ACTOR)
    page = get(client, "/stad/api/v2/status.json")["page"]
    updated = timezone.datetime.fromisoformat(page["updated_at"])
    assert abs((timezone.now() - updated).total_seconds()) < 60

"""The native read API: catalogue, statuses with causes, help, history, incidents."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from tests.api.news import News
from tests.factories import TEST_ACTOR, Catalogue
from watwerkt.catalogue.models import Organisation, Service
from watwerkt.engine import SystemState
from watwerkt.status.services import SystemChange, set_system

API = "/api/v1/organisations"


def get(client: Client, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def test_a_service_shows_functions_channels_and_why(helped: Catalogue, client: Client) -> None:
    set_system(helped.systems["datacenter"], SystemChange(SystemState.DOWN), TEST_ACTOR)
    hal = get(client, f"{API}/stad/services/sporthal")
    assert hal["status"]["level"] == "unavailable"
    assert hal["status"]["statuspage"] == "major_outage"
    (boeken,) = hal["functions"]
    assert [c["channel"]["id"] for c in boeken["channels"]] == ["online", "telefoon"]
    status = boeken["channels"][0]["status"]
    assert status["derived"] is True
    (cause,) = status["causes"]
    assert [link["name"] for link in cause["chain"]] == [None, "Datacenter Noord"]
    assert [link["public"] for link in cause["chain"]] == [False, True]
    assert "een intern systeem" in status["explanation"]
    assert "Datacenter Noord" in status["explanation"]
    assert "Geheim" not in json.dumps(hal)
    assert hal["alternatives"][0]["phone"] == "03 338 00 00"
    assert hal["instructions"][0]["kind"] == "dont"


def test_help_names_the_part_it_concerns(helped: Catalogue, client: Client) -> None:
    pas = get(client, f"{API}/stad/services/reispas")
    assert pas["alternatives"][0]["scope"] == {"function": "afhalen", "channel": None}
    assert pas["measures"][0]["scope"] == {"function": None, "channel": None}
    assert {f["id"] for f in pas["functions"]} == {"aanvragen", "afhalen"}
    materiaal = get(client, f"{API}/stad/services/materiaal")
    assert materiaal["functions"][0]["id"] == "-"
    assert materiaal["functions"][0]["implicit"] is True
    assert materiaal["functions"][0]["channels"][0]["channel"] is None


def test_the_organisation_has_its_status_and_organisation_wide_help(
    helped: Catalogue, client: Client
) -> None:
    org = get(client, f"{API}/stad")
    assert org["domains"] == ["loketten", "sport"]
    assert org["services_by_level"] == {"limited": 1, "available": 2}
    assert [m["kind"] for m in org["measures"]] == ["fine_waived"]
    assert org["links"]["statuspage"] == "http://testserver/stad/api/v2/summary.json"


def test_pages_of_services_add_up_to_every_service_once(demo: Organisation, client: Client) -> None:
    seen: list[str] = []
    url: str | None = f"{API}/antwerpen/services?limit=7"
    while url:
        page = get(client, url)
        assert len(page["data"]) <= 7
        seen += [s["id"] for s in page["data"]]
        url = page["pagination"]["next"]
    wanted = Service.objects.filter(organisation=demo).order_by(
        "domain__position", "position", "id"
    )
    assert seen == list(wanted.values_list("slug", flat=True))


def test_services_filter_by_domain_and_level(helped: Catalogue, client: Client) -> None:
    sport = get(client, f"{API}/stad/services?domain=sport")
    assert [s["id"] for s in sport["data"]] == ["sporthal", "materiaal"]
    limited = get(client, f"{API}/stad/services?level=limited")
    assert [s["id"] for s in limited["data"]] == ["reispas"]


def test_domains_list_their_services(helped: Catalogue, client: Client) -> None:
    domains = get(client, f"{API}/stad/domains")["data"]
    assert [(d["id"], d["position"], d["services"]) for d in domains] == [
        ("loketten", 1, ["reispas"]),
        ("sport", 2, ["sporthal", "materiaal"]),
    ]
    assert get(client, f"{API}/stad/domains/sport")["status"]["level"] == "available"


def test_history_is_newest_first_and_public_fields_only(small: Catalogue, client: Client) -> None:
    set_system(small.systems["datacenter"], SystemChange(SystemState.DOWN), TEST_ACTOR, "secret")
    set_system(small.systems["datacenter"], SystemChange(SystemState.UP), TEST_ACTOR)
    page = get(client, f"{API}/stad/services/sporthal/history?limit=3")
    events = page["data"]
    assert len(events) == 3
    assert events[0]["id"] > events[1]["id"] > events[2]["id"]
    assert events[0]["after"]["level"] == "available"
    assert "secret" not in json.dumps(page)
    assert "test" not in json.dumps(events)
    rest = get(client, page["pagination"]["next"])
    assert all(e["id"] < events[-1]["id"] for e in rest["data"])
    items = [e for e in events + rest["data"] if e["subject"] == "item"]
    assert {(e["function"], e["channel"]) for e in items} == {
        ("boeken", "online"),
        ("boeken", "telefoon"),
    }


def test_incidents_and_windows_without_drafts(news: News, client: Client) -> None:
    incidents = get(client, f"{API}/stad/incidents")["data"]
    assert [i["id"] for i in incidents] == ["cyberaanval", "stroomstoring"]
    cyber = get(client, f"{API}/stad/incidents/cyberaanval")
    assert [u["phase"] for u in cyber["updates"]] == ["identified", "investigating"]
    assert cyber["affected_systems"] == [{"name": {"nl": "Datacenter Noord"}}]
    assert "Jansen" not in json.dumps(cyber)
    assert client.get(f"{API}/stad/incidents/geheim-concept").status_code == 404
    windows = {w["id"]: w["state"] for w in get(client, f"{API}/stad/maintenances")["data"]}
    assert windows == {
        "afgelast": "completed",
        "e-loket-upgrade": "scheduled",
        "netwerkwerken": "in_progress",
    }


def test_each_language_has_its_own_etag(small: Catalogue, client: Client) -> None:
    dutch = client.get(f"{API}/stad/services/sporthal")
    french = client.get(f"{API}/stad/services/sporthal?lang=fr")
    assert dutch["ETag"] != french["ETag"]
    again = client.get(f"{API}/stad/services/sporthal", headers={"if-none-match": dutch["ETag"]})
    assert again.status_code == 304

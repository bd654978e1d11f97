"""The native API's history: 90-day availability per service and domain, recovery progress.

The figures are the history app's (its rollups, bars and recovery curve): the
tests hold the answers against what those say, and against the outage as it
happened, second by second, under a controlled clock.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from tests.factories import TEST_ACTOR, Catalogue
from tests.history.conftest import Clock, clock, local, small_at  # noqa: F401  (a fixture)
from watwerkt.engine import Level, SystemState
from watwerkt.history import bars, events
from watwerkt.history.days import LEVELS
from watwerkt.incidents.models import Incident
from watwerkt.status.services import SystemChange, set_status, set_system
from watwerkt.status.values import ManualStatus
from watwerkt.status.writing import writing

HOUR = 3600
DAY = 24 * HOUR


@pytest.fixture
def outage(db: None, clock: Clock) -> Catalogue:  # noqa: F811
    """The small catalogue, made on 10 January 2023 at 9:00 (Brussels): its data
    centre down at noon; sporthal's phone line open again on paper on the 12th at
    10:00; the data centre back on the 13th at 8:00; now is the 14th, noon."""
    c = small_at(clock, local(2023, 1, 10, 9))
    clock.to(local(2023, 1, 10, 12))
    set_system(c.systems["datacenter"], SystemChange(SystemState.DOWN), TEST_ACTOR)
    clock.to(local(2023, 1, 12, 10))
    set_status([c.items["hal_phone"]], ManualStatus(Level.LIMITED, pinned=True), TEST_ACTOR)
    clock.to(local(2023, 1, 13, 8))
    set_system(c.systems["datacenter"], SystemChange(SystemState.UP), TEST_ACTOR)
    clock.to(local(2023, 1, 14, 12))
    return c


def api(c: Catalogue, path: str) -> str:
    return f"/api/v1/organisations/{c.org.slug}/{path}"


def get(client: Client, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def seconds(**spent: int) -> dict[str, int]:
    return {level: spent.get(level, 0) for level in LEVELS}


def by_date(answer: Any) -> dict[str, Any]:
    return {day["date"]: day for day in answer["days"]}


def the_bars_say(c: Catalogue, subject: str, object_id: int, clock: Clock) -> list[Any]:  # noqa: F811
    """Each day as the history app's bars have it (the public pages' figures)."""
    current = {key[1]: level for key, level in events.current_levels(c.org.pk, [subject]).items()}
    shown, found = bars.bars(
        c.org.pk, c.org.time_zone, subject, current, [object_id], now=clock.now()
    )
    return [
        (f.day.isoformat(), f.length, dict(zip(LEVELS, f.seconds, strict=True)), f.absent)
        for f in bars.figures(shown, found[object_id])
    ]


def test_a_service_has_90_days_each_with_its_level_and_seconds(
    outage: Catalogue,
    client: Client,
    clock: Clock,  # noqa: F811
) -> None:
    answer = get(client, api(outage, "services/sporthal/availability"))
    assert len(answer["days"]) == 90
    assert answer["from"] == "2022-10-17"
    assert answer["until"] == "2023-01-14T12:00:00+01:00"
    assert answer["time_zone"] == "Europe/Brussels"
    days = by_date(answer)
    assert days["2023-01-09"] == {
        "date": "2023-01-09",
        "level": "absent",
        "length": DAY,
        "seconds": seconds(),
        "absent": DAY,
    }
    # Made at 9:00, down at noon: three kinds of time in one day.
    assert days["2023-01-10"]["level"] == "mixed"
    assert days["2023-01-10"]["seconds"] == seconds(available=3 * HOUR, unavailable=12 * HOUR)
    assert days["2023-01-10"]["absent"] == 9 * HOUR
    assert days["2023-01-11"]["level"] == "unavailable"
    assert days["2023-01-11"]["seconds"] == seconds(unavailable=DAY)
    assert days["2023-01-12"]["seconds"] == seconds(unavailable=10 * HOUR, limited=14 * HOUR)
    assert days["2023-01-13"]["level"] == "limited"  # back online, the phone still on paper
    assert days["2023-01-14"] == {
        "date": "2023-01-14",
        "level": "limited",
        "length": 12 * HOUR,  # today so far
        "seconds": seconds(limited=12 * HOUR),
        "absent": 0,
    }
    assert answer["totals"]["seconds"] == seconds(
        available=3 * HOUR, unavailable=(12 + 24 + 10) * HOUR, limited=(14 + 24 + 12) * HOUR
    )
    assert answer["totals"]["length"] == sum(d["length"] for d in answer["days"])
    assert answer["totals"]["absent"] == sum(d["absent"] for d in answer["days"])
    sporthal = outage.services["sporthal"]
    assert [
        (d["date"], d["length"], d["seconds"], d["absent"]) for d in answer["days"]
    ] == the_bars_say(outage, "service", sporthal.pk, clock)


def test_a_domain_has_its_own_90_days(
    outage: Catalogue,
    client: Client,
    clock: Clock,  # noqa: F811
) -> None:
    answer = get(client, api(outage, "domains/sport/availability"))
    sport = outage.services["sporthal"].domain
    assert [
        (d["date"], d["length"], d["seconds"], d["absent"]) for d in answer["days"]
    ] == the_bars_say(outage, "domain", sport.pk, clock)
    assert by_date(answer)["2023-01-11"]["level"] == "unavailable"
    assert answer["links"]["self"].endswith(f"/{outage.org.slug}/domains/sport/availability")


def test_services_domains_and_the_organisation_link_to_their_history(
    outage: Catalogue, client: Client
) -> None:
    service = get(client, api(outage, "services/sporthal"))
    domain = get(client, api(outage, "domains/sport"))
    org = get(client, f"/api/v1/organisations/{outage.org.slug}")
    for link in (
        service["links"]["availability"],
        domain["links"]["availability"],
        org["links"]["recovery"],
    ):
        assert link.startswith("http://testserver/api/v1/")
        assert client.get(link.removeprefix("http://testserver")).status_code == 200


def test_recovery_counts_from_the_first_outage_without_an_incident(
    outage: Catalogue, client: Client
) -> None:
    answer = get(client, api(outage, "recovery"))
    assert answer["incident"] is None
    assert answer["start"] == "2023-01-10T12:00:00+01:00"
    assert (answer["services"], answer["affected"], answer["working"]) == (3, 2, 2)
    assert answer["points"] == [
        {"at": "2023-01-10T12:00:00+01:00", "working": 0},
        {"at": "2023-01-12T10:00:00+01:00", "working": 1},  # sporthal, on paper
        {"at": "2023-01-13T08:00:00+01:00", "working": 2},
    ]
    assert answer["days"] == [
        {"date": "2023-01-10", "working": 0},
        {"date": "2023-01-11", "working": 0},
        {"date": "2023-01-12", "working": 1},
        {"date": "2023-01-13", "working": 2},
        {"date": "2023-01-14", "working": 2},
    ]
    (sport,) = answer["domains"]  # loketten had nothing stop working
    assert (sport["id"], sport["affected"], sport["working"]) == ("sport", 2, 2)
    assert sport["points"] == answer["points"]


def test_recovery_counts_from_the_latest_published_incident(
    outage: Catalogue,
    client: Client,
    clock: Clock,  # noqa: F811
) -> None:
    started = local(2023, 1, 10, 11)
    with writing(TEST_ACTOR) as write:
        for slug, published in (("storing", clock.now()), ("concept", None)):
            Incident.objects.create(
                organisation=outage.org,
                slug=slug,
                title={"nl": f"Incident {slug}"},
                phase="identified",
                impact="major",
                started_at=started + timedelta(hours=0 if published else 1),
                published_at=published,
                created_at=started,
                updated_at=started,
            )
        write.touched = True
    answer = get(client, api(outage, "recovery"))
    assert answer["incident"] == {
        "id": "storing",
        "title": {"nl": "Incident storing"},
        "links": {"self": f"http://testserver{api(outage, 'incidents/storing')}"},
    }
    assert answer["start"] == "2023-01-10T11:00:00+01:00"  # not the draft's later start
    assert answer["points"][0] == {"at": "2023-01-10T11:00:00+01:00", "working": 2}
    assert answer["points"][-1]["working"] == 2
    assert answer["affected"] == 2


@pytest.mark.parametrize(
    "path", ["services/sporthal/availability", "domains/sport/availability", "recovery"]
)
def test_history_answers_are_cached_by_revision_and_hour(
    outage: Catalogue,
    client: Client,
    clock: Clock,  # noqa: F811
    path: str,
) -> None:
    first = client.get(api(outage, path))
    assert first["Cache-Control"].startswith("public, max-age=")
    assert first["Last-Modified"]
    assert "Accept-Language" not in first.get("Vary", "")
    again = client.get(api(outage, path), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    clock.forward(hours=1)  # today has grown: a new answer, whatever the revision
    later = client.get(api(outage, path), headers={"if-none-match": first["ETag"]})
    assert later.status_code == 200
    assert later["ETag"] != first["ETag"]


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("services/nergens/availability", 404, "not_found"),
        ("domains/nergens/availability", 404, "not_found"),
        ("services/sporthal/availability?days=7", 400, "unknown_parameter"),
        ("recovery?limit=3", 400, "unknown_parameter"),
    ],
)
def test_history_refuses_what_it_does_not_have_in_the_one_error_shape(
    outage: Catalogue, client: Client, path: str, status: int, code: str
) -> None:
    response = client.get(api(outage, path))
    assert response.status_code == status
    assert json.loads(response.content)["error"]["code"] == code
    assert client.get("/api/v1/organisations/nergens/recovery").status_code == 404

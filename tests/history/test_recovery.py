"""Recovery progress on the Antwerp demo, restored system by system with a controlled clock."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from tests.factories import TEST_ACTOR
from tests.history.conftest import Clock, local
from tests.history.test_render import svgs
from tests.public.helpers import Page, inline_code, words
from watwerkt.catalogue.models import Organisation, Service, System
from watwerkt.engine import SystemState
from watwerkt.history import recovery
from watwerkt.history.days import WORKS
from watwerkt.incidents.models import Incident
from watwerkt.status.models import EffectiveStatus
from watwerkt.status.services import SystemChange, set_system

LOADED = local(2023, 2, 1, 9)


def levels() -> dict[int, str]:
    return {
        row.object_id: row.value["level"]
        for row in EffectiveStatus.objects.filter(subject="service", organisation__slug="antwerpen")
    }


def services_now() -> dict[int, recovery.ServiceNow]:
    current = levels()
    return {
        pk: recovery.ServiceNow(domain_id, current[pk])
        for pk, domain_id in Service.objects.filter(organisation__slug="antwerpen").values_list(
            "id", "domain_id"
        )
    }


@pytest.fixture
def restored(db: None, clock: Clock) -> list[tuple[datetime, int]]:
    """The demo loaded on 1 February 2023, then its systems that are down brought back
    one a day at 10:00; returns when, and how many services worked after each."""
    clock.to(LOADED)
    call_command("demo", stdout=StringIO())
    down = list(
        System.objects.filter(organisation__slug="antwerpen", state="down").order_by("slug")
    )
    assert len(down) > 5  # or there is little to restore
    bad = {pk for pk, level in levels().items() if level not in WORKS}
    steps = [(LOADED, 0)]
    for day, system in enumerate(down, start=1):
        moment = clock.to(local(2023, 2, 1 + day, 10))
        set_system(system, SystemChange(SystemState.UP), TEST_ACTOR)
        steps.append((moment, sum(1 for pk, lvl in levels().items() if pk in bad and lvl in WORKS)))
    clock.to(local(2023, 2, 1 + len(down), 18))
    return steps


def test_recovery_follows_each_system_that_comes_back(
    restored: list[tuple[datetime, int]], clock: Clock
) -> None:
    org = Organisation.objects.get(slug="antwerpen")
    found = recovery.progress(org.pk, services_now(), clock.now())
    # No incident: counted from the first outage in the window, the demo's loading.
    assert (found.start, found.incident) == (LOADED, None)
    bad_at_load = restored[0]
    assert found.overall.points[0] == bad_at_load
    # One step for each system that brought services back; none for the others.
    wanted = [bad_at_load]
    for moment, count in restored[1:]:
        if count != wanted[-1][1]:
            wanted.append((moment, count))
    assert list(found.overall.points) == wanted
    assert found.overall.working == restored[-1][1]
    assert found.overall.working < found.overall.affected  # some stay down by hand
    # Restoring only makes things better: the affected are what did not work at loading.
    assert found.overall.affected == len(_affected_at_load())
    assert sum(c.affected for c in found.domains.values()) == found.overall.affected
    assert sum(c.working for c in found.domains.values()) == found.overall.working
    assert found.total == Service.objects.filter(organisation=org).count()


def _affected_at_load() -> set[int]:
    """Services that did not work right after loading, read from their first events."""
    from watwerkt.status.models import StatusEvent

    first: dict[int, str] = {}
    for object_id, new in (
        StatusEvent.objects.filter(
            organisation__slug="antwerpen", subject="service", layer="effective"
        )
        .order_by("id")
        .values_list("object_id", "new")
    ):
        first.setdefault(object_id, new["level"])
    return {pk for pk, level in first.items() if level not in WORKS}


def test_a_published_incident_sets_the_start_and_a_draft_does_not(
    restored: list[tuple[datetime, int]], clock: Clock
) -> None:
    org = Organisation.objects.get(slug="antwerpen")
    without = recovery.progress(org.pk, services_now(), clock.now())
    attack = local(2022, 12, 6, 6, 30)
    common = {"organisation": org, "phase": "identified", "created_at": attack}
    Incident.objects.create(
        slug="cyberaanval",
        title={"nl": "Cyberaanval"},
        started_at=attack,
        published_at=attack,
        updated_at=attack,
        **common,
    )
    Incident.objects.create(
        slug="ontwerp",
        title={"nl": "Nog niet gepubliceerd"},
        started_at=attack + timedelta(days=30),
        updated_at=attack,
        **common,
    )
    found = recovery.progress(org.pk, services_now(), clock.now())
    assert found.start == attack
    assert found.incident == {"nl": "Cyberaanval"}
    # Before the demo was loaded nothing existed, so nothing worked; after, the same steps.
    assert found.overall.points[0] == (attack, 0)
    assert found.overall.points[1:] == without.overall.points[1:]
    assert (found.overall.affected, found.overall.working) == (
        without.overall.affected,
        restored[-1][1],
    )


def test_the_recovery_page_shows_the_demo_recovering(
    restored: list[tuple[datetime, int]], client: Client
) -> None:
    response = client.get("/antwerpen/herstel/")
    assert response.status_code == 200
    html = response.content.decode()
    page = Page(html)
    (headline,) = page.find_all("p", **{"class": "recovery-headline"})
    working = restored[-1][1]
    affected = len(_affected_at_load())
    assert words(headline.text) == f"{working} van de {affected} getroffen diensten werken weer."
    curves = [svg for svg in svgs(html) if "curve" in svg.get("class", "")]
    assert len(curves) == 1 + len(page.find_all("ul", **{"class": "recovery-domains"})[0].children)
    for svg in curves:
        assert svg.findtext("title")
    (overall_table, *_per_domain) = page.find_all("table")
    days = overall_table.find_all("tr")[1:]
    assert len(days) == len(restored)  # the day of loading, then one a day
    assert words(days[-1].text).endswith(str(working))
    assert inline_code(html) == []


def test_only_the_last_90_days_are_listed_one_by_one_and_months_before_them() -> None:
    first = date(2022, 12, 6)
    days = [(first + timedelta(days=i), i) for i in range(200)]  # to 23 June 2023
    listed, daily_from = recovery.listed_days(days)
    assert daily_from == days[110][0] == date(2023, 3, 26)
    assert listed[-90:] == days[110:]
    assert [day for day, _count in listed[:-90]] == [
        date(2022, 12, 31),
        date(2023, 1, 31),
        date(2023, 2, 28),
        date(2023, 3, 25),  # the day before the daily list
    ]
    assert listed[0] == (date(2022, 12, 31), 25)  # how many at the end of that day
    assert recovery.listed_days(days[:90]) == (days[:90], None)


def test_a_long_recovery_lists_months_then_days_and_keeps_its_whole_curve(
    restored: list[tuple[datetime, int]], client: Client
) -> None:
    org = Organisation.objects.get(slug="antwerpen")
    attack = local(2022, 6, 1, 6, 30)  # eight months before the page is made, in February
    Incident.objects.create(
        organisation=org,
        slug="lang",
        title={"nl": "Lange storing"},
        phase="identified",
        started_at=attack,
        published_at=attack,
        created_at=attack,
        updated_at=attack,
    )
    html = client.get("/antwerpen/herstel/").content.decode()
    page = Page(html)
    (overall, *per_domain) = page.find_all("details", **{"class": "curve-days"})
    days = [row.find_all("time")[0].attrs["datetime"] for row in overall.find_all("tr")[1:]]
    assert len(days) == 6 + 90  # June .. October by their last days, 17 November, then 90 days
    assert days[:6] == [
        "2022-06-30",
        "2022-07-31",
        "2022-08-31",
        "2022-09-30",
        "2022-10-31",
        "2022-11-17",
    ]
    assert days[-1] == restored[-1][0].date().isoformat()
    note = words(overall.find_all("p")[0].text)
    assert note.startswith("Vóór ")
    assert "laatste dag van elke maand" in note
    assert all(len(d.find_all("tr")) == 1 + 96 for d in per_domain)
    (curve, *_domains) = [svg for svg in svgs(html) if "curve" in svg.get("class", "")]
    assert "1 juni 2022" in curve.findtext("title")  # the curve starts where the incident does

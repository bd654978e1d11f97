"""The overview's notice of incidents and maintenance, and "changed since the previous update"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client

from tests.factories import TEST_ACTOR, Catalogue, org
from tests.incidents.conftest import COMMS, Crisis
from tests.public.helpers import Page, section, words
from watwerkt.engine import SystemState
from watwerkt.incidents import services
from watwerkt.incidents.models import IncidentUpdate, Maintenance
from watwerkt.readmodel.load import CHANGES_WINDOW, previous_update
from watwerkt.readmodel.snapshot import current
from watwerkt.status.services import SystemChange, set_system


def notice(client: Client, path: str = "/stad/") -> str:
    page = Page(client.get(path).content.decode())
    found = [e for e in page.all if e.attrs.get("aria-labelledby") == "actueel"]
    return words(found[0].text) if found else ""


def test_the_overview_announces_an_unresolved_incident(crisis: Crisis, client: Client) -> None:
    page = Page(client.get("/stad/").content.decode())
    banner = section(page, "actueel")
    (first, *_) = banner.find_all("li")
    link = first.find_all("a")[0]
    assert (link.attrs["href"], words(link.text)) == (
        "/stad/incidenten/cyberaanval/",
        "Cyberaanval",
    )
    update = crisis.incident.updates.get()
    assert update.published_at is not None
    assert words(first.text) == "Cyberaanval: Wordt onderzocht. Laatste update: " + words(
        first.find_all("time")[0].text
    )
    assert first.find_all("time")[0].attrs["datetime"] == update.published_at.isoformat()
    assert banner.find_all("a")[-1].attrs["href"] == "/stad/incidenten/"


def test_no_notice_without_a_published_open_incident(small: Catalogue, client: Client) -> None:
    assert notice(client) == ""
    draft = services.create_incident(small.org, {"nl": "Nog geheim"}, COMMS)
    services.post_update(draft, {"nl": "Klad"}, COMMS)
    assert notice(client) == ""
    services.post_update(draft, {"nl": "Nu wel"}, COMMS, publish=True)
    assert notice(client).startswith("Storingen en onderhoud Nog geheim: Wordt onderzocht.")
    services.resolve(draft, COMMS)
    assert notice(client) == ""


def test_the_notice_names_maintenance_to_come_and_going_on(
    small: Catalogue, client: Client
) -> None:
    start = datetime(2030, 3, 4, 21, 0, tzinfo=UTC)
    with time_machine.travel(start - timedelta(days=2), tick=False):
        window = services.create_maintenance(
            small.org, {"nl": "Onderhoud e-loket"}, start, start + timedelta(hours=4), COMMS,
            publish=True,
        )  # fmt: skip
        services.create_maintenance(
            small.org, {"nl": "Gaat niet door"}, start, start + timedelta(hours=1), COMMS,
            publish=True, slug="weg",
        )  # fmt: skip
        services.cancel_maintenance(Maintenance.objects.get(slug="weg"), COMMS)
        planned = notice(client)
        assert planned == (
            "Storingen en onderhoud Gepland onderhoud: Onderhoud e-loket, "
            "van 4 maart 2030 22:00 tot 5 maart 2030 02:00 Alle incidenten en onderhoud"
        )
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        assert (
            "Onderhoud: Onderhoud e-loket, van 4 maart 2030 22:00 tot 5 maart 2030 02:00 (Bezig)"
            in (notice(client))
        )
    with time_machine.travel(start + timedelta(hours=5), tick=False):
        assert notice(client) == ""
    link = f"/stad/incidenten/#o-{window.slug}"
    with time_machine.travel(start - timedelta(days=1), tick=False):
        page = Page(client.get("/stad/").content.decode())
        assert link in [a.attrs["href"] for a in section(page, "actueel").find_all("a")]


# -- "changed since the previous update" ---------------------------------------------------


def test_without_updates_the_previous_update_is_a_day_before(small: Catalogue) -> None:
    as_of = datetime(2023, 1, 10, 12, 0, tzinfo=UTC)
    assert previous_update(small.org.pk, as_of) == as_of - CHANGES_WINDOW


def test_the_previous_update_is_the_latest_published_before_as_of(crisis: Crisis) -> None:
    incident = crisis.incident
    first = incident.updates.get()
    second = services.post_update(incident, {"nl": "Tweede"}, COMMS, publish=True)
    services.post_update(incident, {"nl": "Klad"}, COMMS)  # drafts do not count
    assert first.published_at is not None
    assert second.published_at is not None
    assert previous_update(crisis.c.org.pk, second.published_at) == first.published_at
    later = second.published_at + timedelta(minutes=5)
    assert previous_update(crisis.c.org.pk, later) == second.published_at
    IncidentUpdate.objects.filter(pk=second.pk).update(published_at=None)
    assert previous_update(crisis.c.org.pk, later) == first.published_at


def test_another_organisations_updates_do_not_count(crisis: Crisis) -> None:
    other = org("buur", "Buurgemeente")
    as_of = datetime(2030, 1, 1, tzinfo=UTC)
    assert previous_update(other.pk, as_of) == as_of - CHANGES_WINDOW


def test_the_overview_lists_what_changed_since_the_latest_update(
    crisis: Crisis, client: Client
) -> None:
    c = crisis.c
    set_system(c.systems["register"], SystemChange(SystemState.DOWN), TEST_ACTOR)  # before
    update = services.post_update(crisis.incident, {"nl": "Stand van zaken"}, COMMS, publish=True)
    set_system(c.systems["reservatie"], SystemChange(SystemState.DOWN), TEST_ACTOR)  # after
    snapshot = current("stad")
    assert snapshot is not None
    assert snapshot.changes_since == update.published_at
    changed = {s for (s,) in [(c.service_id,) for c in snapshot.changes]}
    assert changed == {c.services["sporthal"].pk, c.services["materiaal"].pk}  # not reispas
    page = Page(client.get("/stad/").content.decode())
    names = [words(a.text) for a in section(page, "wijzigingen").find_all("a")]
    assert sorted(names) == ["Materiaal", "Sporthal"]

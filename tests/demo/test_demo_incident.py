"""The demo's illustrative incident, "Cyberaanval op de stad", and posting past updates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.factories import Catalogue
from watwerkt.audit.models import AuditEntry
from watwerkt.catalogue.models import Organisation
from watwerkt.incidents import services
from watwerkt.incidents.models import Incident, IncidentUpdate
from watwerkt.incidents.services import IncidentError
from watwerkt.ops.demo.incident import demo_spec
from watwerkt.status.revision import current_revision
from watwerkt.status.writing import Actor

SLUG = "cyberaanval-op-de-stad"
COMMS = Actor("comms", "console")


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_the_demo_publishes_the_incident_with_dated_updates(demo: Organisation) -> None:
    incident = Incident.objects.get(organisation=demo, slug=SLUG)
    assert incident.title["nl"] == "Cyberaanval op de stad"
    assert (incident.phase, incident.impact) == ("monitoring", "critical")
    assert incident.started_at == datetime(2022, 12, 6, 5, 30, tzinfo=UTC)  # 06:30 in Antwerp
    assert incident.published_at == datetime(2022, 12, 6, 9, 0, tzinfo=UTC)
    for section in ("known", "unknown", "to_do", "data_protection"):
        assert getattr(incident, section)["nl"], section
    updates = list(IncidentUpdate.objects.filter(incident=incident).order_by("published_at"))
    assert len(updates) >= 3
    assert all(u.published_at is not None for u in updates)
    first, last = updates[0].published_at, updates[-1].published_at
    assert first is not None
    assert last is not None
    assert (first.date().isoformat(), last.date().isoformat()) == ("2022-12-06", "2023-02-03")
    assert any("en" in u.body for u in updates)
    assert updates[0].phase == "investigating"
    assert {s.slug for s in incident.affected_services.all()} >= {"sporthal", "parkeervergunning"}
    assert {s.slug for s in incident.affected_systems.all()} >= {"reservatieplatform"}
    targets = list(incident.targets.all())
    assert len(targets) >= 2
    assert any(t.reached_at is not None for t in targets)


def test_its_advice_says_what_residents_must_not_do(demo: Organisation) -> None:
    to_do = Incident.objects.get(organisation=demo, slug=SLUG).to_do["nl"]
    assert "Kom niet naar een afspraak die je online boekte" in to_do
    assert "niet twee keer" in to_do


def test_it_was_made_through_the_services_and_audited_as_the_demo(demo: Organisation) -> None:
    entries = AuditEntry.objects.filter(organisation=demo, action__startswith="incident")
    assert set(entries.values_list("actor", "source").distinct()) == {("demo", "import")}
    actions = list(entries.order_by("id").values_list("action", flat=True))
    assert actions[0] == "incident.create"
    assert actions.count("incident.update.publish") == len(demo_spec()["updates"])


def test_the_public_page_shows_it_in_dutch_and_english(demo: Organisation) -> None:
    dutch = Client().get(f"/antwerpen/incidenten/{SLUG}/")
    english = Client().get(f"/en/antwerpen/incidenten/{SLUG}/")
    assert dutch.status_code == english.status_code == 200
    assert "Twee maanden na de aanval" in dutch.content.decode()
    assert "Two months after the attack" in english.content.decode()
    assert "3 februari 2023" in dutch.content.decode()


def test_a_second_run_changes_nothing(demo: Organisation) -> None:
    incidents = AuditEntry.objects.filter(action__startswith="incident")
    revision, entries = current_revision(), incidents.count()
    output = run_demo()
    assert "The demo incident is already there: nothing changed." in output
    assert (current_revision(), incidents.count()) == (revision, entries)  # the admin's
    # new one-time password is audited on every run (user.password.issue), by design
    assert Incident.objects.filter(organisation=demo).count() == 1


def test_a_second_run_keeps_what_was_edited_since(demo: Organisation) -> None:
    incident = Incident.objects.get(organisation=demo, slug=SLUG)
    services.edit_incident(incident, COMMS, phase="resolved")
    run_demo()
    incident.refresh_from_db()
    assert incident.phase == "resolved"


# -- posting an update from the past (what the demo needs) --------------------------------------


def test_an_update_from_the_past_keeps_its_date(small: Catalogue) -> None:
    started = datetime(2022, 12, 6, 5, 30, tzinfo=UTC)
    incident = services.create_incident(small.org, {"nl": "Aanval"}, COMMS, started_at=started)
    at = datetime(2022, 12, 7, 15, 0, tzinfo=UTC)
    update = services.post_update(incident, {"nl": "Oorzaak gevonden."}, COMMS,
                                  phase="identified", publish=True, at=at)  # fmt: skip
    incident.refresh_from_db()
    assert (update.created_at, update.published_at) == (at, at)
    assert (incident.published_at, incident.phase) == (at, "identified")
    draft = services.post_update(incident, {"nl": "Ontwerp."}, COMMS, at=at + timedelta(days=1))
    assert (draft.created_at, draft.published_at) == (at + timedelta(days=1), None)


@pytest.mark.parametrize(
    ("at", "message"),
    [
        (
            datetime(2022, 12, 6, 5, 0, tzinfo=UTC),
            "at: an update cannot be older than its incident",
        ),
        (None, "at: cannot be in the future"),
        (datetime(2022, 12, 7, 15, 0), "at: needs a time zone"),
    ],
)
def test_an_update_from_the_past_is_refused_outside_the_incident(
    small: Catalogue, at: datetime | None, message: str
) -> None:
    started = datetime(2022, 12, 6, 5, 30, tzinfo=UTC)
    incident = services.create_incident(small.org, {"nl": "Aanval"}, COMMS, started_at=started)
    when = at or timezone.now() + timedelta(hours=1)
    before = (current_revision(), AuditEntry.objects.count(), IncidentUpdate.objects.count())
    with pytest.raises(IncidentError) as refused:
        services.post_update(incident, {"nl": "Te laat."}, COMMS, publish=True, at=when)
    assert str(refused.value).startswith(message)
    assert (
        current_revision(),
        AuditEntry.objects.count(),
        IncidentUpdate.objects.count(),
    ) == before

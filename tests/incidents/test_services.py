"""Incident writes: every rule, and every refusal writes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import Catalogue, domain, org, service, system
from tests.incidents.conftest import COMMS, DEC_6, Crisis, state, unchanged
from watwerkt.audit.models import AuditEntry
from watwerkt.catalogue.models import Dependency
from watwerkt.engine import SystemState
from watwerkt.incidents import services
from watwerkt.incidents.models import Incident, IncidentUpdate
from watwerkt.incidents.services import IncidentError
from watwerkt.status.graphs import graphs
from watwerkt.status.models import Revision
from watwerkt.status.revision import current_revision, revision_state
from watwerkt.status.services import SystemChange, set_system


def create(c: Catalogue, **kwargs: Any) -> Incident:
    return services.create_incident(c.org, kwargs.pop("title", {"nl": "Storing"}), COMMS, **kwargs)


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


# -- creating ---------------------------------------------------------------------------


def test_a_new_incident_is_a_draft_with_an_id_made_from_its_title(small: Catalogue) -> None:
    before = current_revision()
    incident = create(small, title={"nl": "Cyberaanval op de stad!"}, started_at=DEC_6)
    assert (incident.slug, incident.phase, incident.published_at) == (
        "cyberaanval-op-de-stad",
        "investigating",
        None,
    )
    assert incident.started_at == DEC_6
    assert current_revision() == before + 1
    entry = AuditEntry.objects.get(action="incident.create")
    assert (entry.actor, entry.source, entry.target) == (
        "comms",
        "console",
        "stad/cyberaanval-op-de-stad",
    )
    assert entry.after["title"] == {"nl": "Cyberaanval op de stad!"}
    assert entry.after["phase"] == "investigating"


def test_a_second_incident_with_the_same_title_gets_its_own_id(small: Catalogue) -> None:
    assert create(small).slug == "storing"
    assert create(small).slug == "storing-2"


def test_an_incident_may_name_a_shared_system_its_services_depend_on(small: Catalogue) -> None:
    provider = org("provider", "Provider")
    shared = system(provider, "boekhouding")
    Dependency.objects.create(system=shared, service=small.services["reispas"])
    incident = create(small, systems=[shared], services=[small.services["reispas"]])
    assert list(incident.affected_systems.all()) == [shared]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"title": {"en": "Outage"}},
            "title: text in nl (the organisation's language) is required",
        ),
        ({"title": {"nl": "  "}}, "title: text in nl"),
        ({"title": {"nl": "x", "es": "y"}}, "title: unknown language 'es'"),
        ({"title": {"nl": "x" * 201}}, "title: the nl text is longer than 200 characters"),
        ({"impact": "huge"}, "impact: unknown value 'huge'"),
        ({"phase": "resolved"}, "phase: a new incident is open"),
        ({"phase": "gone"}, "phase: unknown value 'gone'"),
        ({"slug": "Cyber Aanval"}, "slug: 'Cyber Aanval' is not an id"),
        ({"sections": {"known": {"nl": 3}}}, "known: the nl text must be text"),
        ({"sections": {"maybe": {"nl": "x"}}}, "sections: unknown section 'maybe'"),
    ],
)
def test_creating_refuses_bad_input_and_writes_nothing(
    small: Catalogue, kwargs: dict[str, Any], message: str
) -> None:
    assert message in unchanged(lambda: create(small, **kwargs), IncidentError)


def test_creating_refuses_a_start_in_the_future_or_without_a_time_zone(small: Catalogue) -> None:
    later = timezone.now() + timedelta(hours=1)
    assert "started_at: cannot be in the future" in unchanged(
        lambda: create(small, started_at=later)
    )
    naive = datetime(2022, 12, 6, 9, 10)
    assert "started_at: needs a time zone" in unchanged(lambda: create(small, started_at=naive))


def test_creating_refuses_a_taken_id_and_other_organisations_things(small: Catalogue) -> None:
    create(small, slug="cyberaanval")
    assert "slug: 'cyberaanval' is already used" in unchanged(
        lambda: create(small, slug="cyberaanval")
    )
    other = org("buur", "Buurgemeente")
    foreign_service = service(domain(other, "d"), "zwembad")
    foreign_system = system(other, "kassa")
    assert "services: not services of stad: zwembad" in unchanged(
        lambda: create(small, services=[foreign_service])
    )
    assert "systems: stad neither owns nor depends on: kassa" in unchanged(
        lambda: create(small, systems=[foreign_system])
    )


# -- updates and publishing -------------------------------------------------------------


def test_a_posted_update_is_a_draft_and_keeps_the_incident_a_draft(small: Catalogue) -> None:
    incident = create(small)
    update = services.post_update(incident, {"nl": "We onderzoeken het."}, COMMS)
    incident.refresh_from_db()
    assert (update.published_at, update.phase, update.author) == (None, "investigating", "comms")
    assert incident.published_at is None
    assert actions() == ["incident.create", "incident.update.post"]


def test_publishing_an_update_publishes_the_incident_and_sets_its_phase(small: Catalogue) -> None:
    incident = create(small)
    update = services.post_update(incident, {"nl": "Oorzaak gevonden."}, COMMS, phase="identified")
    services.publish_update(update, COMMS)
    incident.refresh_from_db()
    update.refresh_from_db()
    revision = Revision.objects.get(pk=1)
    assert incident.phase == "identified"
    assert incident.published_at == update.published_at == revision.changed_at
    entry = AuditEntry.objects.get(action="incident.update.publish")
    assert entry.before == {"incident": {"phase": "investigating", "published_at": None}}
    assert entry.after["incident"]["phase"] == "identified"


def test_publishing_twice_is_refused_even_through_a_stale_copy(crisis: Crisis) -> None:
    update = services.post_update(crisis.incident, {"nl": "Nieuws"}, COMMS)
    stale = IncidentUpdate.objects.get(pk=update.pk)
    services.publish_update(update, COMMS)
    assert "update: already published" in unchanged(lambda: services.publish_update(stale, COMMS))


def test_phases_go_forward_unless_the_incident_is_reopened(crisis: Crisis) -> None:
    incident = crisis.incident
    services.post_update(incident, {"nl": "Herstel loopt"}, COMMS, phase="monitoring", publish=True)
    message = unchanged(
        lambda: services.post_update(incident, {"nl": "Toch niet"}, COMMS, phase="identified")
    )
    assert (
        message
        == "phase: cannot go back from monitoring to identified; reopen the incident to do that"
    )
    update = services.post_update(
        incident, {"nl": "Toch niet"}, COMMS, phase="identified", reopen=True, publish=True
    )
    incident.refresh_from_db()
    assert (update.phase, incident.phase) == ("identified", "identified")


def test_a_draft_whose_phase_fell_behind_is_refused_at_publication(crisis: Crisis) -> None:
    incident = crisis.incident
    draft = services.post_update(incident, {"nl": "Oorzaak"}, COMMS, phase="identified")
    services.post_update(incident, {"nl": "Herstel"}, COMMS, phase="monitoring", publish=True)
    assert "cannot go back from monitoring to identified" in unchanged(
        lambda: services.publish_update(draft, COMMS)
    )


def test_an_update_needs_text_in_the_organisations_language(crisis: Crisis) -> None:
    message = unchanged(
        lambda: services.post_update(crisis.incident, {"en": "Only English"}, COMMS)
    )
    assert message == "body: text in nl (the organisation's language) is required"


def test_preview_renders_without_writing_and_checks_like_posting(small: Catalogue) -> None:
    before = state()
    rendered = services.preview({"nl": "**Let op** <script>x</script>", "en": "_Note_"}, small.org)
    assert rendered == {
        "nl": "<p><strong>Let op</strong> &lt;script&gt;x&lt;/script&gt;</p>",
        "en": "<p><em>Note</em></p>",
    }
    assert state() == before
    with pytest.raises(IncidentError, match="body: text in nl"):
        services.preview({"fr": "Attention"}, small.org)


def test_a_published_update_can_be_corrected_but_keeps_its_phase(crisis: Crisis) -> None:
    update = crisis.incident.updates.get()
    services.edit_update(update, COMMS, body={"nl": "We onderzoeken de cyberaanval.", "en": ""})
    update.refresh_from_db()
    assert update.body == {"nl": "We onderzoeken de cyberaanval."}  # "" removed English
    entry = AuditEntry.objects.filter(action="incident.update.edit").get()
    assert entry.before["body"]["en"] == "We are investigating."
    assert "phase: a published update keeps its phase" in unchanged(
        lambda: services.edit_update(update, COMMS, phase="identified")
    )


def test_a_draft_can_be_discarded_a_published_update_cannot(crisis: Crisis) -> None:
    draft = services.post_update(crisis.incident, {"nl": "Klad"}, COMMS)
    services.discard_update(draft, COMMS)
    assert not IncidentUpdate.objects.filter(pk=draft.pk).exists()
    assert actions()[-1] == "incident.update.discard"
    published = crisis.incident.updates.get()
    assert "update: a published update cannot be discarded" in unchanged(
        lambda: services.discard_update(published, COMMS)
    )


# -- editing, resolving, postmortem -----------------------------------------------------


def test_editing_merges_texts_per_language(crisis: Crisis) -> None:
    incident = crisis.incident
    services.edit_incident(
        incident,
        COMMS,
        title={"fr": "Cyberattaque", "en": ""},
        sections={"known": {"en": "The servers are down."}, "to_do": {"nl": "Wacht af."}},
    )
    incident.refresh_from_db()
    assert incident.title == {"nl": "Cyberaanval", "fr": "Cyberattaque"}
    assert incident.known == {"nl": "De **servers** liggen plat.", "en": "The servers are down."}
    assert incident.to_do == {"nl": "Wacht af."}
    entry = AuditEntry.objects.get(action="incident.edit")
    assert set(entry.after) == {"title", "known", "to_do"}


def test_the_title_in_the_organisations_language_cannot_be_removed(crisis: Crisis) -> None:
    message = unchanged(lambda: services.edit_incident(crisis.incident, COMMS, title={"nl": ""}))
    assert message.startswith("title: text in nl")


def test_an_edit_that_changes_nothing_writes_nothing(crisis: Crisis) -> None:
    before = state()
    services.edit_incident(
        crisis.incident, COMMS, impact="critical", services=[crisis.c.services["sporthal"]]
    )
    assert state() == before


def test_editing_changes_affected_services_and_systems(crisis: Crisis) -> None:
    c = crisis.c
    services.edit_incident(
        crisis.incident, COMMS, services=[c.services["reispas"]], systems=[c.systems["register"]]
    )
    assert [s.slug for s in crisis.incident.affected_services.all()] == ["reispas"]
    entry = AuditEntry.objects.get(action="incident.edit")
    assert (entry.before["services"], entry.after["services"]) == (["sporthal"], ["reispas"])
    assert (entry.before["systems"], entry.after["systems"]) == (["reservatie"], ["register"])


def test_resolving_sets_the_phase_and_the_end(crisis: Crisis) -> None:
    services.resolve(crisis.incident, COMMS)
    incident = Incident.objects.get(pk=crisis.incident.pk)
    assert incident.phase == "resolved"
    assert incident.resolved_at == Revision.objects.get(pk=1).changed_at
    assert "phase: the incident is already resolved" in unchanged(
        lambda: services.resolve(incident, COMMS)
    )


def test_resolving_with_a_text_publishes_a_last_update_in_one_write(crisis: Crisis) -> None:
    before = current_revision()
    end = datetime(2023, 2, 1, 12, 0, tzinfo=UTC)
    incident = services.resolve(crisis.incident, COMMS, body={"nl": "Alles werkt weer."}, at=end)
    assert current_revision() == before + 1
    assert (incident.phase, incident.resolved_at) == ("resolved", end)
    latest = incident.updates.order_by("-id").first()
    assert latest is not None
    assert (latest.phase, latest.body, latest.published_at is not None) == (
        "resolved",
        {"nl": "Alles werkt weer."},
        True,
    )


def test_an_incident_cannot_be_resolved_before_it_started(crisis: Crisis) -> None:
    early = DEC_6 - timedelta(days=1)
    message = unchanged(lambda: services.resolve(crisis.incident, COMMS, at=early))
    assert message == "resolved_at: an incident cannot be resolved before it started"


def test_reopening_a_resolved_incident_clears_its_end(crisis: Crisis) -> None:
    services.resolve(crisis.incident, COMMS)
    services.edit_incident(crisis.incident, COMMS, phase="monitoring", reopen=True)
    incident = Incident.objects.get(pk=crisis.incident.pk)
    assert (incident.phase, incident.resolved_at) == ("monitoring", None)


def test_a_postmortem_follows_a_resolved_incident(crisis: Crisis) -> None:
    body = {"nl": "Wat er gebeurde, en wat we veranderen."}
    message = unchanged(lambda: services.postmortem(crisis.incident, body, COMMS))
    assert message == "phase: a postmortem follows a resolved incident; resolve it first"
    services.resolve(crisis.incident, COMMS)
    update = services.postmortem(crisis.incident, body, COMMS)
    incident = Incident.objects.get(pk=crisis.incident.pk)
    assert (update.phase, incident.phase) == ("postmortem", "postmortem")
    assert incident.resolved_at is not None


# -- revisions -----------------------------------------------------------------------


def test_an_incident_write_takes_a_revision_and_keeps_the_engine_graph(crisis: Crisis) -> None:
    set_system(crisis.c.systems["register"], SystemChange(SystemState.DOWN), COMMS)
    held = graphs.peek(revision_state())
    assert held is not None
    services.edit_incident(crisis.incident, COMMS, impact="minor")
    assert graphs.peek(revision_state()) is held  # no reload for the next status write


def test_a_refused_write_leaves_the_revision_and_trail_alone(crisis: Crisis) -> None:
    before = (current_revision(), AuditEntry.objects.count())
    with pytest.raises(IncidentError):
        services.edit_incident(crisis.incident, COMMS, phase="postmortem", impact="minor")
    crisis.incident.refresh_from_db()
    assert crisis.incident.impact == "critical"
    assert (current_revision(), AuditEntry.objects.count()) == before


# -- recovery targets ------------------------------------------------------------------


def test_a_target_is_added_changed_reached_and_unreached(crisis: Crisis) -> None:
    incident, c = crisis.incident, crisis.c
    target = services.add_target(incident, {"nl": "Afhalen kan weer"}, COMMS,
                                 service=c.services["reispas"])  # fmt: skip
    assert (target.target, target.position) == (None, 1)  # no date yet; after the first
    services.edit_target(target, COMMS, due=datetime(2023, 3, 31, tzinfo=UTC).date(), service=None)
    target.refresh_from_db()
    assert (str(target.target), target.service) == ("2023-03-31", None)
    services.reach_target(target, COMMS, at=datetime(2023, 3, 20, 9, 0, tzinfo=UTC))
    target.refresh_from_db()
    assert target.reached_at == datetime(2023, 3, 20, 9, 0, tzinfo=UTC)
    incident.refresh_from_db()
    assert incident.updated_at == Revision.objects.get(pk=1).changed_at  # Statuspage's too
    services.reach_target(target, COMMS, reached=False)
    target.refresh_from_db()
    assert target.reached_at is None
    assert actions()[-4:] == [
        "incident.target.add",
        "incident.target.edit",
        "incident.target.reach",
        "incident.target.reach",
    ]


def test_targets_refuse_bad_input_and_write_nothing(crisis: Crisis) -> None:
    incident = crisis.incident
    target = incident.targets.get()
    other = org("buur", "Buurgemeente")
    pool = service(domain(other, "d"), "zwembad")
    later = timezone.now() + timedelta(days=1)
    cases = [
        (lambda: services.add_target(incident, {"fr": "x"}, COMMS), "text: text in nl"),
        (
            lambda: services.add_target(incident, {"nl": "x"}, COMMS, service=pool),
            "service: not services of stad: zwembad",
        ),
        (lambda: services.edit_target(target, COMMS, text={"nl": ""}), "text: text in nl"),
        (
            lambda: services.reach_target(target, COMMS, at=later),
            "reached_at: cannot be in the future",
        ),
        (
            lambda: services.edit_target(target, COMMS, due=later),  # a date and time
            "target: must be a date",
        ),
    ]
    for write, message in cases:
        assert message in unchanged(write), message

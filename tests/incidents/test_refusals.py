"""A refused incident write leaves the caller's objects as they are stored: the
console shows the page again with the very object it passed in, so a value
set before the refusal would look saved when it is not."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Model

from tests.incidents.conftest import COMMS, DEC_6, Crisis, unchanged
from tests.incidents.rows import state
from watwerkt.incidents import services


def fields(row: Model) -> dict[str, Any]:
    return {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}


def stored(row: Model) -> dict[str, Any]:
    return fields(type(row)._default_manager.get(pk=row.pk))


def test_a_refused_edit_sets_nothing_on_the_incident(crisis: Crisis) -> None:
    incident = crisis.incident
    services.resolve(incident, COMMS, at=DEC_6 + timedelta(days=1))
    message = unchanged(
        lambda: services.edit_incident(
            incident,
            COMMS,
            title={"nl": "Nieuwe titel"},
            impact="minor",
            sections={"known": {"nl": "Iets anders."}},
            started_at=DEC_6 + timedelta(days=2),  # after it was resolved
        )
    )
    assert message == "started_at: an incident cannot be resolved before it started"
    assert fields(incident) == stored(incident)
    assert incident.title == {"nl": "Cyberaanval", "en": "Cyber attack"}


def test_a_refused_phase_change_sets_nothing_on_the_incident(crisis: Crisis) -> None:
    incident = crisis.incident
    unchanged(lambda: services.edit_incident(incident, COMMS, phase="postmortem", impact="minor"))
    assert fields(incident) == stored(incident)


def test_a_refused_resolution_sets_nothing_on_the_incident(crisis: Crisis) -> None:
    incident = crisis.incident
    early = DEC_6 - timedelta(hours=1)
    unchanged(lambda: services.resolve(incident, COMMS, at=early))
    assert fields(incident) == stored(incident)
    assert (incident.phase, incident.resolved_at) == ("investigating", None)


def test_a_refused_resolution_with_a_last_update_sets_nothing_on_the_incident(
    crisis: Crisis,
) -> None:
    incident = crisis.incident
    early = DEC_6 - timedelta(hours=1)
    unchanged(lambda: services.resolve(incident, COMMS, body={"nl": "Opgelost."}, at=early))
    assert fields(incident) == stored(incident)


def test_a_refused_correction_sets_nothing_on_the_update(crisis: Crisis) -> None:
    update = crisis.incident.updates.get()
    unchanged(
        lambda: services.edit_update(update, COMMS, body={"nl": "Iets anders."}, phase="monitoring")
    )
    assert fields(update) == stored(update)
    assert update.body == {"nl": "We onderzoeken de aanval.", "en": "We are investigating."}


def test_preview_edit_says_what_an_edit_would_store_and_writes_nothing(crisis: Crisis) -> None:
    incident = crisis.incident
    edited = unchanged_preview(
        lambda: services.preview_edit(
            incident, title={"fr": "Cyberattaque"}, sections={"to_do": {"nl": "Wacht af."}}
        )
    )
    assert edited.fields["title"] == {
        "nl": "Cyberaanval",
        "en": "Cyber attack",
        "fr": "Cyberattaque",
    }
    assert edited.fields["to_do"] == {"nl": "Wacht af."}
    assert edited.fields["known"] == {"nl": "De **servers** liggen plat."}
    assert [s.slug for s in edited.services] == ["sporthal"]
    assert fields(incident) == stored(incident)
    saved = services.edit_incident(
        incident, COMMS, title={"fr": "Cyberattaque"}, sections={"to_do": {"nl": "Wacht af."}}
    )
    assert {name: getattr(saved, name) for name in edited.fields} == edited.fields


def test_preview_edit_refuses_what_the_edit_would_refuse(crisis: Crisis) -> None:
    incident = crisis.incident
    services.resolve(incident, COMMS, at=DEC_6 + timedelta(days=1))
    message = unchanged(
        lambda: services.preview_edit(incident, started_at=DEC_6 + timedelta(days=2))
    )
    assert message == "started_at: an incident cannot be resolved before it started"
    assert unchanged(lambda: services.preview_edit(incident, title={"nl": ""})).startswith(
        "title: text in nl"
    )


def unchanged_preview(make: Any) -> services.Edited:
    before = state()
    edited = make()
    assert state() == before
    return edited  # type: ignore[no-any-return]

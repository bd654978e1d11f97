"""Importing a catalogue: what it creates, updates and removes, and what it leaves alone."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine

from tests.authoring.helpers import FILES, IMPORTER, load, text
from watwerkt.audit.models import AuditEntry
from watwerkt.authoring.errors import CatalogueInvalid
from watwerkt.catalogue.models import (
    Alternative,
    Channel,
    Dependency,
    Domain,
    Function,
    FunctionChannel,
    Instruction,
    Measure,
    Organisation,
    Service,
    System,
)
from watwerkt.engine import Level, SystemState
from watwerkt.status.models import EffectiveStatus, StatusEvent
from watwerkt.status.revision import current_revision
from watwerkt.status.services import SystemChange, set_status, set_system
from watwerkt.status.values import ManualStatus, manual_from_row
from watwerkt.status.writing import Actor

pytestmark = pytest.mark.django_db

MODELS = [
    Organisation,
    Channel,
    System,
    Domain,
    Service,
    Function,
    FunctionChannel,
    Dependency,
    Alternative,
    Instruction,
    Measure,
    StatusEvent,
    EffectiveStatus,
    AuditEntry,
]
CONSOLE = Actor("comms", "console")


def snapshot() -> dict[str, int]:
    """How many rows of every kind, and the revision: what a write would change."""
    counts = {model.__name__: model._default_manager.count() for model in MODELS}
    return {**counts, "revision": current_revision()}


def entry(path: str) -> FunctionChannel:
    """``service/function/channel`` ('-' and '*' as in event paths) of organisation stad."""
    service, function, channel = path.split("/")
    return FunctionChannel.objects.get(
        function__service__organisation__slug="stad",
        function__service__slug=service,
        function__slug="" if function == "-" else function,
        channel__slug=None if channel == "*" else channel,
    )


def effective(subject: str, pk: int) -> dict[str, Any]:
    value: dict[str, Any] = EffectiveStatus.objects.get(subject=subject, object_id=pk).value
    return value


def edited(old: str, new: str, source: str | None = None) -> str:
    source = text("valid.yaml") if source is None else source
    assert old in source, old
    return source.replace(old, new)


def test_it_imports_every_kind_of_row() -> None:
    report = load(text("valid.yaml"))
    assert report.counts() == {
        "organisations": (2, 0, 0),
        "channels": (3, 0, 0),
        "systems": (4, 0, 0),
        "domains": (2, 0, 0),
        "services": (3, 0, 0),
        "functions": (4, 0, 0),
        "function x channels": (6, 0, 0),
        "dependencies": (5, 0, 0),
        "alternatives": (2, 0, 0),
        "instructions": (2, 0, 0),
        "measures": (2, 0, 0),
    }
    assert "    stad/reispas/afhalen/e-loket: new -> unavailable\n" in report.render()
    assert "    provider/datacenter: new -> down\n" in report.render()
    stad = Organisation.objects.get(slug="stad")
    assert stad.name == {"nl": "Stad", "fr": "Ville"}
    services = Service.objects.filter(organisation=stad).order_by("domain__position", "position")
    assert [s.slug for s in services] == ["reispas", "attest", "sporthal"]
    reispas = Service.objects.get(slug="reispas")
    assert (reispas.keywords, reispas.audience) == (["paspoort"], ["residents"])
    assert [f.slug for f in reispas.functions.all()] == ["aanvragen", "afhalen"]
    assert Function.objects.get(service__slug="attest").implicit
    assert entry("sporthal/-/*").channel is None


def test_systems_keep_their_recovery_plan_and_cross_organisation_dependencies() -> None:
    load(text("valid.yaml"))
    datacenter = System.objects.get(slug="datacenter")
    assert (datacenter.kind, datacenter.illustrative, datacenter.recovery_priority) == (
        "infrastructure",
        True,
        1,
    )
    assert datacenter.recovery_steps == ["Servers herinstalleren", "Back-ups controleren"]
    assert str(datacenter.recovery_target) == "2023-01-31"
    reservatie = System.objects.get(slug="reservatie")
    upstream = {
        (d.system.organisation.slug, d.system.slug, d.kind)
        for d in Dependency.objects.filter(dependent_system=reservatie)
    }
    assert upstream == {("provider", "datacenter", "hard"), ("provider", "dms", "soft")}


def test_help_is_attached_where_the_file_puts_it() -> None:
    load(text("valid.yaml"))
    online = entry("reispas/afhalen/e-loket")
    alternative = Alternative.objects.get(function_channel=online)
    assert (alternative.kind, alternative.channel.slug if alternative.channel else None) == (
        "channel",
        "loket",
    )
    assert alternative.function_id == online.function_id
    contact = Alternative.objects.get(service__slug="attest")
    assert (contact.phone, contact.email, contact.hours) == (
        "03 123 45 67",
        "attest@stad.example",
        {"nl": "werkdagen 9-12 uur"},
    )
    assert Instruction.objects.get(service=None).kind == "dont"
    assert Measure.objects.get(service__slug="sporthal").kind == "refund"


def test_statuses_are_inherited_from_service_to_function_to_channel() -> None:
    load(text("valid.yaml"))
    counter = manual_from_row(entry("reispas/aanvragen/loket"))
    assert counter.level == Level.AVAILABLE
    assert counter.since == datetime(2022, 12, 19, 23, 0, tzinfo=UTC)  # midnight in Brussels
    online = manual_from_row(entry("reispas/afhalen/e-loket"))
    assert (online.level, online.expected and online.expected.kind) == (
        Level.UNAVAILABLE,
        "weeks",
    )
    assert online.note == {"nl": "Online afhalen kan nog niet.", "en": "Not online yet."}
    for channel in ("e-loket", "telefoon"):
        attest = manual_from_row(entry(f"attest/-/{channel}"))
        assert attest.pinned
        assert [q.code.value for q in attest.qualifiers] == ["delays", "started_before", "except"]


def test_the_engine_derives_statuses_through_dependencies_across_organisations() -> None:
    load(text("valid.yaml"))
    hall = entry("sporthal/-/*")
    assert manual_from_row(hall).level == Level.AVAILABLE  # no status in the file: new = available
    derived = effective("item", hall.pk)
    assert derived["level"] == "unavailable"
    assert derived["causes"][0]["system"] == System.objects.get(slug="reservatie").pk


def test_a_rejected_import_writes_nothing() -> None:
    load(text("valid.yaml"))
    before = snapshot()
    with pytest.raises(CatalogueInvalid) as caught:
        load((FILES / "many-errors.yaml").read_bytes())
    assert len(caught.value.errors) == 12
    assert snapshot() == before


def test_importing_the_same_file_twice_changes_nothing_the_second_time() -> None:
    load(text("valid.yaml"))
    before = snapshot()
    report = load(text("valid.yaml"))
    assert not report.changed
    assert report.render() == f"test.yaml: nothing to change (revision {before['revision']})\n"
    assert snapshot() == before


def test_a_dry_run_reports_what_an_import_would_do_and_writes_nothing() -> None:
    load(text("valid.yaml"))
    changed = edited("name: Attest\n", "name: Attest en uittreksel\n")
    changed = edited("since: 2022-12-06T10:00", "since: 2022-12-08T10:00", changed)
    before = snapshot()
    dry = load(changed, dry_run=True)
    assert snapshot() == before
    real = load(changed)
    assert dry.dry_run
    assert not real.dry_run
    assert (dry.counts(), dry.statuses, dry.effective) == (
        real.counts(),
        real.statuses,
        real.effective,
    )
    assert dry.counts()["services"] == (0, 1, 0)
    assert "  services: 1 updated\n    ~ stad/attest\n" in dry.render()
    assert dry.render().startswith("test.yaml: would change\n")


def test_every_row_an_import_writes_is_in_the_audit_trail_with_before_and_after() -> None:
    load(text("valid.yaml"))
    created = AuditEntry.objects.filter(action="import.create")
    assert created.filter(target="services: stad/attest", organisation__slug="stad").exists()
    assert {e.source for e in created} == {IMPORTER.source}
    assert {e.note for e in created} == {"catalogue import of test.yaml"}
    first = AuditEntry.objects.count()

    renamed = edited("name: Attest\n", "name: Attest en uittreksel\n")
    without_sport = renamed.split("      - id: sport\n")[0]
    load(without_sport)
    (update,) = AuditEntry.objects.filter(action="import.update")
    assert (update.target, update.actor) == ("services: stad/attest", IMPORTER.name)
    assert update.organisation.slug == "stad"
    assert update.before == {"name": {"nl": "Attest"}}
    assert update.after == {"name": {"nl": "Attest en uittreksel"}}
    removed = AuditEntry.objects.filter(action="import.remove", target="services: stad/sporthal")
    (gone,) = removed
    assert gone.after is None
    assert gone.before["slug"] == "sporthal"
    assert AuditEntry.objects.filter(action="import.remove", target__startswith="domains:").count()
    after_second = AuditEntry.objects.count()
    assert after_second > first

    load(without_sport)  # the same file again: nothing written, nothing audited
    assert AuditEntry.objects.count() == after_second


def test_it_removes_what_the_file_no_longer_lists() -> None:
    load(text("valid.yaml"))
    phone = entry("attest/-/telefoon")
    smaller = (
        edited("      - {id: telefoon, kind: phone, name: Telefoon}\n", "")
        .replace("channels: [e-loket, telefoon]", "channels: [e-loket]")
        .replace(
            "    measures:\n      - {kind: fine_waived, text: Geen boetes zolang de systemen plat"
            " liggen.}\n",
            "",
        )
    )
    report = load(smaller)
    assert report.counts()["channels"] == (0, 0, 1)
    assert report.counts()["function x channels"] == (0, 0, 1)
    assert report.changes["measures"].removed == ["stad measures[0]"]
    assert not Channel.objects.filter(slug="telefoon").exists()
    assert Measure.objects.filter(service=None).count() == 0
    gone = StatusEvent.objects.filter(layer="effective", subject="item", new__isnull=True)
    assert [e.object_id for e in gone] == [phone.pk]


def test_removing_a_service_removes_everything_below_it() -> None:
    load(text("valid.yaml"))
    without = text("valid.yaml").split("      - id: sport\n")[0]
    report = load(without)
    assert report.changes["domains"].removed == ["stad/sport"]
    assert report.changes["services"].removed == ["stad/sporthal"]
    assert report.changes["dependencies"].removed == ["stad/sporthal -> stad/reservatie"]
    assert report.changes["instructions"].removed == ["stad/sporthal instructions[0]"]
    assert not Function.objects.filter(service__slug="sporthal").exists()


def test_organisations_not_in_the_file_are_left_alone() -> None:
    load(text("valid.yaml"))
    provider_only = text("valid.yaml").split("  - id: stad\n")[0]
    before = snapshot()
    report = load(provider_only.replace("name: Documentbeheer", "name: DMS"))
    assert report.counts()["systems"] == (0, 1, 0)
    assert Service.objects.filter(organisation__slug="stad").count() == 3
    assert snapshot()["Dependency"] == before["Dependency"]


def test_a_service_moved_to_another_domain_is_updated_not_replaced() -> None:
    load(text("valid.yaml"))
    hall = Service.objects.get(slug="sporthal")
    moved = edited(
        "          - id: attest\n",
        "          - id: sporthal\n"
        "            name: Sporthal reserveren\n"
        "            depends: [reservatie]\n"
        "          - id: attest\n",
    ).split("      - id: sport\n")[0]
    report = load(moved)
    assert report.changes["services"].updated == ["stad/sporthal", "stad/attest"]  # attest: 2nd
    assert Service.objects.get(slug="sporthal").pk == hall.pk
    assert Service.objects.get(slug="sporthal").domain.slug == "loketten"


def test_alternatives_are_matched_by_position() -> None:
    load(text("valid.yaml"))
    before = Alternative.objects.get(service__slug="attest", function=None)
    report = load(edited("text: Bel het contactpunt.", "text: Bel het tijdelijke nummer."))
    assert report.changes["alternatives"].updated == ["stad/attest alternatives[0]"]
    after = Alternative.objects.get(pk=before.pk)
    assert after.text == {"nl": "Bel het tijdelijke nummer."}


def test_an_entry_without_a_status_in_the_file_keeps_the_current_one() -> None:
    load(text("valid.yaml"))
    hall = entry("sporthal/-/*")
    set_status([hall], ManualStatus(Level.LIMITED), CONSOLE)
    report = load(edited("name: Sporthal reserveren", "name: Sporthal boeken"))
    assert report.statuses == []
    assert manual_from_row(entry("sporthal/-/*")).level == Level.LIMITED


def test_a_status_the_file_states_replaces_the_current_one_with_one_manual_event() -> None:
    load(text("valid.yaml"))
    set_status([entry("reispas/aanvragen/loket")], ManualStatus(Level.UNKNOWN), CONSOLE)
    report = load(text("valid.yaml").replace("note: Trager dan gewoonlijk", "note: Traag"))
    assert [(s.path, s.before, s.after) for s in report.statuses] == [
        ("stad/reispas/aanvragen/loket", "unknown", "available"),
        ("stad/register", "degraded", "degraded"),
    ]
    assert "    stad/register: degraded (details changed)\n" in report.render()
    event = StatusEvent.objects.filter(layer="manual", subject="item").latest("id")
    assert (event.source, event.actor, event.path) == (
        "import",
        "tester",
        "stad/reispas/aanvragen/loket",
    )
    assert manual_from_row(entry("reispas/aanvragen/loket")).since == datetime(
        2022, 12, 19, 23, 0, tzinfo=UTC
    )


def test_a_new_level_without_since_starts_at_the_import() -> None:
    load(text("valid.yaml"))
    with time_machine.travel(datetime(2023, 1, 5, 8, 30, tzinfo=UTC), tick=False):
        load(edited("status: {level: available, since: 2022-12-20}", "status: {level: limited}"))
    assert manual_from_row(entry("reispas/aanvragen/loket")).since == datetime(
        2023, 1, 5, 8, 30, tzinfo=UTC
    )


def test_system_statuses_are_kept_unless_the_file_states_one() -> None:
    load(text("valid.yaml"))
    dms = System.objects.get(slug="dms")
    set_system(dms, SystemChange(SystemState.DOWN), CONSOLE)
    load(edited("status: {state: degraded, note: Trager dan gewoonlijk}", "status: {state: up}"))
    assert System.objects.get(slug="dms").state == "down"  # no status in the file
    assert System.objects.get(slug="register").state == "up"  # stated: applied


def test_a_system_of_a_stored_organisation_can_be_named_in_another_file() -> None:
    load(text("valid.yaml"))
    stad_only = (
        "watwerkt: 1\norganisations:\n"
        + "  - id: stad\n"
        + text("valid.yaml").split("  - id: stad\n")[1]
    )
    report = load(stad_only)
    assert not report.changed


def test_it_refuses_to_remove_a_system_another_organisation_depends_on() -> None:
    load(text("valid.yaml"))
    provider = text("valid.yaml").split("  - id: stad\n")[0]
    without_dms = provider.split("      - id: dms\n")[0]
    with pytest.raises(CatalogueInvalid) as caught:
        load(without_dms)
    assert [str(e) for e in caught.value.errors] == [
        "test.yaml:8:5: organisations[0].systems: system 'dms' is missing, but other"
        " organisations depend on it (stad/reservatie); keep it or remove those first",
    ]


def test_it_finds_a_cycle_through_a_stored_organisation() -> None:
    load(text("valid.yaml"))
    provider = text("valid.yaml").split("  - id: stad\n")[0]
    looping = provider.replace("depends: [datacenter]", "depends: [datacenter, stad/reservatie]")
    with pytest.raises(CatalogueInvalid) as caught:
        load(looping)
    assert [str(e) for e in caught.value.errors] == [
        "test.yaml:21:31: organisations[0].systems[1].depends[1]: dependency cycle:"
        " dms -> stad/reservatie -> dms",
    ]

"""Changing a service's help and a system's recovery plan through watwerkt.authoring.edits."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import TEST_ACTOR, Catalogue
from watwerkt.audit.models import AuditEntry
from watwerkt.authoring.edits import (
    CatalogueError,
    HelpEntry,
    RecoveryPlan,
    replace_alternatives,
    replace_instructions,
    replace_measures,
    set_recovery_plan,
)
from watwerkt.catalogue.models import Alternative, Instruction, Measure
from watwerkt.readmodel.snapshot import current
from watwerkt.status.revision import current_revision

PHONE = HelpEntry(
    "contact",
    {"nl": "Bel het contactcenter."},
    phone="03 22 11 333",
    email="info@stad.example",
    url="https://stad.example/hulp",
    hours={"nl": "ma-vr 9-17"},
)
COUNTER = HelpEntry(
    "channel",
    {"nl": "Boek aan het loket.", "en": "Book at the desk."},
    scope="boeken/telefoon",
    channel="loket",
)


def test_alternatives_replace_the_list_in_order_and_show_publicly_at_once(small: Catalogue) -> None:
    hal = small.services["sporthal"]
    before = current_revision()
    assert replace_alternatives(hal, [PHONE, COUNTER], TEST_ACTOR, "storing")
    rows = list(Alternative.objects.filter(service=hal).order_by("position"))
    assert [(r.kind, r.phone, r.position) for r in rows] == [
        ("contact", "03 22 11 333", 0),
        ("channel", "", 1),
    ]
    assert rows[1].function_channel == small.items["hal_phone"]
    assert rows[1].channel == small.channels["loket"]
    assert rows[1].text == {"nl": "Boek aan het loket.", "en": "Book at the desk."}
    assert current_revision() == before + 1
    snapshot = current("stad")
    assert snapshot is not None
    assert [a.kind for a in snapshot.services["sporthal"].alternatives] == ["contact", "channel"]


def test_a_replacement_records_before_and_after_in_the_audit_trail(small: Catalogue) -> None:
    hal = small.services["sporthal"]
    replace_alternatives(hal, [PHONE], TEST_ACTOR)
    replace_alternatives(hal, [COUNTER], TEST_ACTOR, "loket open")
    entry = AuditEntry.objects.filter(action="service.alternatives").last()
    assert entry is not None
    assert entry.organisation == small.org
    assert entry.target == "stad/sporthal"
    assert entry.before[0]["phone"] == "03 22 11 333"
    assert entry.after == [
        {
            "kind": "channel",
            "text": {"nl": "Boek aan het loket.", "en": "Book at the desk."},
            "scope": "boeken/telefoon",
            "channel": "loket",
        }
    ]
    assert entry.note == "loket open"


def test_the_same_list_again_writes_nothing(small: Catalogue) -> None:
    hal = small.services["sporthal"]
    replace_instructions(hal, [HelpEntry("dont", {"nl": "Kom niet langs."})], TEST_ACTOR)
    revision, entries = current_revision(), AuditEntry.objects.count()
    assert not replace_instructions(hal, [HelpEntry("dont", {"nl": "Kom niet langs."})], TEST_ACTOR)
    assert (current_revision(), AuditEntry.objects.count()) == (revision, entries)


def test_an_empty_list_removes_every_entry(small: Catalogue) -> None:
    pas = small.services["reispas"]
    replace_measures(pas, [HelpEntry("fine_waived", {"nl": "Geen boete."})], TEST_ACTOR)
    assert replace_measures(pas, [], TEST_ACTOR)
    assert not Measure.objects.filter(service=pas).exists()


@pytest.mark.parametrize(
    ("entry", "field", "code"),
    [
        (HelpEntry("teleport", {"nl": "x"}), "kind", "unknown"),
        (HelpEntry("contact", {"en": "Call us."}), "text", "required"),
        (HelpEntry("contact", {"nl": "x" * 2001}), "text", "too_long"),
        (HelpEntry("contact", {"nl": "x", "xx": "y"}), "text", "unknown"),
        (HelpEntry("contact", {"nl": "x"}, url="javascript:alert(1)"), "url", "invalid"),
        (HelpEntry("contact", {"nl": "x"}, phone="bel ons"), "phone", "invalid"),
        (HelpEntry("contact", {"nl": "x"}, email="niet@"), "email", "invalid"),
        (HelpEntry("channel", {"nl": "x"}, channel="duif"), "channel", "unknown"),
        (HelpEntry("channel", {"nl": "x"}, scope="zwemmen"), "scope", "unknown"),
        (HelpEntry("channel", {"nl": "x"}, scope="boeken/post"), "scope", "unknown"),
        (HelpEntry("channel", {"nl": "x"}, scope="a/b/c"), "scope", "invalid"),
    ],
)
def test_a_bad_alternative_is_refused_and_changes_nothing(
    small: Catalogue, entry: HelpEntry, field: str, code: str
) -> None:
    hal = small.services["sporthal"]
    replace_alternatives(hal, [PHONE], TEST_ACTOR)
    revision = current_revision()
    with pytest.raises(CatalogueError) as refused:
        replace_alternatives(hal, [COUNTER, entry], TEST_ACTOR)
    assert (refused.value.field, refused.value.code, refused.value.index) == (field, code, 1)
    assert current_revision() == revision
    assert list(Alternative.objects.filter(service=hal).values_list("kind", flat=True)) == [
        "contact"
    ]


def test_instructions_and_measures_concern_the_whole_service(small: Catalogue) -> None:
    hal = small.services["sporthal"]
    with pytest.raises(CatalogueError) as refused:
        replace_instructions(hal, [HelpEntry("do", {"nl": "x"}, scope="boeken")], TEST_ACTOR)
    assert refused.value.code == "not_allowed"
    with pytest.raises(CatalogueError) as refused:
        replace_measures(hal, [HelpEntry("refund", {"nl": "x"}, phone="03 1")], TEST_ACTOR)
    assert refused.value.field == "phone"
    assert not Instruction.objects.exists()
    assert not Measure.objects.exists()


def test_too_many_entries_are_refused(small: Catalogue) -> None:
    many = [HelpEntry("info", {"nl": f"nummer {i}"}) for i in range(51)]
    with pytest.raises(CatalogueError) as refused:
        replace_instructions(small.services["sporthal"], many, TEST_ACTOR)
    assert refused.value.code == "too_many"


def test_a_recovery_plan_is_stored_and_audited(small: Catalogue) -> None:
    system = small.systems["reservatie"]
    plan = RecoveryPlan(2, " Sport ", date(2023, 3, 1), ("Back-up terugzetten", " ", "Testen"))
    assert set_recovery_plan(system, plan, TEST_ACTOR, "crisisoverleg").changed
    system.refresh_from_db()
    assert (system.recovery_priority, system.recovery_owner, system.recovery_target) == (
        2,
        "Sport",
        date(2023, 3, 1),
    )
    assert system.recovery_steps == ["Back-up terugzetten", "Testen"]
    entry = AuditEntry.objects.get(action="system.recovery")
    assert entry.before == {"priority": None, "owner": "", "target": None, "steps": []}
    assert entry.after["target"] == "2023-03-01"
    revision = current_revision()
    assert not set_recovery_plan(system, plan, TEST_ACTOR).changed
    assert current_revision() == revision


@pytest.mark.parametrize(
    ("plan", "field"),
    [
        (RecoveryPlan(priority=0), "priority"),
        (RecoveryPlan(priority=1001), "priority"),
        (RecoveryPlan(owner="x" * 201), "owner"),
        (RecoveryPlan(steps=("x" * 501,)), "steps"),
        (RecoveryPlan(steps=tuple(str(i) for i in range(31))), "steps"),
    ],
)
def test_a_bad_recovery_plan_changes_nothing(
    small: Catalogue, plan: RecoveryPlan, field: str
) -> None:
    system = small.systems["reservatie"]
    with pytest.raises(CatalogueError) as refused:
        set_recovery_plan(system, plan, TEST_ACTOR)
    assert refused.value.field == field
    system.refresh_from_db()
    assert system.recovery_priority is None
    assert system.recovery_steps == []
    assert not AuditEntry.objects.exists()

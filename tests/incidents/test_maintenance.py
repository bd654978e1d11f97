"""Maintenance windows: planned, announced, moved on by the clock or by people, called off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests.factories import Catalogue
from tests.incidents.conftest import COMMS, unchanged
from watwerkt.audit.models import AuditEntry
from watwerkt.incidents import services
from watwerkt.incidents.models import Maintenance
from watwerkt.incidents.readmodel import load
from watwerkt.incidents.services import MaintenanceError, state_at

NOW = datetime(2023, 3, 1, 12, 0, tzinfo=UTC)
START = datetime(2023, 3, 4, 21, 0, tzinfo=UTC)
END = START + timedelta(hours=4)


@pytest.fixture
def clock() -> object:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def plan(c: Catalogue, publish: bool = True, **kwargs: object) -> Maintenance:
    return services.create_maintenance(
        c.org,
        {"nl": "Onderhoud e-loket"},
        START,
        END,
        COMMS,
        publish=publish,
        services=[c.services["sporthal"]],
        **kwargs,  # type: ignore[arg-type]
    )


def test_a_window_is_planned_as_a_draft_then_announced(small: Catalogue, clock: object) -> None:
    window = plan(small, publish=False, description={"nl": "Het e-loket is **dicht**."})
    assert (window.slug, window.published_at, window.state) == ("onderhoud-e-loket", None, "")
    services.publish_maintenance(window, COMMS)
    window.refresh_from_db()
    assert window.published_at == NOW
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["maintenance.create", "maintenance.publish"]


def test_the_clock_moves_a_window_along(small: Catalogue, clock: object) -> None:
    window = plan(small)
    assert state_at(window, NOW) == "scheduled"
    assert state_at(window, START) == "in_progress"
    assert state_at(window, END - timedelta(seconds=1)) == "in_progress"
    assert state_at(window, END) == "completed"


def test_a_stated_state_holds_past_the_planned_end(small: Catalogue, clock: object) -> None:
    window = plan(small)
    services.set_maintenance_state(window, "in_progress", COMMS)  # started early
    window.refresh_from_db()
    assert state_at(window, NOW) == "in_progress"
    assert state_at(window, END + timedelta(hours=3)) == "in_progress"  # running over
    services.set_maintenance_state(window, "verifying", COMMS)
    services.set_maintenance_state(window, "completed", COMMS)
    window.refresh_from_db()
    assert state_at(window, START) == "completed"
    assert AuditEntry.objects.filter(action="maintenance.state").count() == 3


def test_states_only_go_forward(small: Catalogue, clock: object) -> None:
    window = plan(small)
    services.set_maintenance_state(window, "verifying", COMMS)
    message = unchanged(lambda: services.set_maintenance_state(window, "in_progress", COMMS))
    assert message == "state: the window is already verifying; states go forward"
    assert "'scheduled' cannot be set" in unchanged(
        lambda: services.set_maintenance_state(window, "scheduled", COMMS)
    )


def test_a_draft_has_no_progress_to_state(small: Catalogue, clock: object) -> None:
    window = plan(small, publish=False)
    message = unchanged(lambda: services.set_maintenance_state(window, "in_progress", COMMS))
    assert message == "state: publish the window before stating its progress"


@pytest.mark.parametrize(
    ("starts", "ends", "message"),
    [
        (END, START, "scheduled_until: the window must end after it starts"),
        (START, START, "scheduled_until: the window must end after it starts"),
        (START.replace(tzinfo=None), END, "scheduled_for: needs a time zone"),
    ],
)
def test_a_window_must_end_after_it_starts(
    small: Catalogue, clock: object, starts: datetime, ends: datetime, message: str
) -> None:
    def write() -> None:
        services.create_maintenance(small.org, {"nl": "X"}, starts, ends, COMMS)

    assert unchanged(write, MaintenanceError) == message


def test_an_edit_cannot_make_a_window_end_before_it_starts(small: Catalogue, clock: object) -> None:
    window = plan(small)
    message = unchanged(
        lambda: services.edit_maintenance(window, COMMS, ends=START - timedelta(hours=1)),
        MaintenanceError,
    )
    assert message == "scheduled_until: the window must end after it starts"


def test_a_window_that_is_over_cannot_be_announced(small: Catalogue, clock: object) -> None:
    def write() -> None:
        services.create_maintenance(
            small.org,
            {"nl": "Gisteren"},
            NOW - timedelta(days=1),
            NOW - timedelta(hours=20),
            COMMS,
            publish=True,
        )

    assert unchanged(write, MaintenanceError) == "scheduled_until: the window is already over"


def test_a_cancelled_window_is_kept_and_cannot_change(small: Catalogue, clock: object) -> None:
    window = plan(small)
    services.cancel_maintenance(window, COMMS, "leverancier niet beschikbaar")
    window.refresh_from_db()
    assert window.cancelled_at == NOW
    assert state_at(window, NOW) == "completed"
    entry = AuditEntry.objects.get(action="maintenance.cancel")
    assert entry.note == "leverancier niet beschikbaar"
    assert entry.after == {"cancelled_at": NOW.isoformat()}
    assert "the window was cancelled" in unchanged(
        lambda: services.edit_maintenance(window, COMMS, title={"nl": "Nieuw"})
    )
    assert "the window was cancelled" in unchanged(
        lambda: services.cancel_maintenance(window, COMMS)
    )


def test_a_completed_window_cannot_be_cancelled(small: Catalogue, clock: object) -> None:
    window = plan(small)
    with time_machine.travel(END + timedelta(minutes=1), tick=False):
        message = unchanged(lambda: services.cancel_maintenance(window, COMMS))
    assert message == "maintenance: the window is already completed"


def test_the_read_model_sorts_windows_by_the_clock(small: Catalogue, clock: object) -> None:
    plan(small, slug="a")
    later = services.create_maintenance(
        small.org,
        {"nl": "Later"},
        END + timedelta(days=1),
        END + timedelta(days=2),
        COMMS,
        publish=True,
        slug="b",
    )
    plan(small, slug="draft", publish=False)
    services.cancel_maintenance(later, COMMS)
    found = load(small.org)
    assert [m.slug for m in found.upcoming(NOW)] == ["a", "b"]  # cancelled, until its end
    assert [m.slug for m in found.active(START)] == ["a"]
    assert [m.slug for m in found.past(END + timedelta(days=3))] == ["b", "a"]
    assert found.next_change(NOW) == START
    assert found.clock(NOW) is None
    assert found.clock(START + timedelta(minutes=5)) == START
    assert found.next_change(START) == END
    assert found.clock(END + timedelta(days=2)) == END + timedelta(days=2)  # cancelled b ends


def test_a_window_with_a_stated_state_no_longer_follows_the_clock(
    small: Catalogue, clock: object
) -> None:
    window = plan(small)
    services.set_maintenance_state(window, "in_progress", COMMS)
    found = load(small.org)
    assert found.next_change(NOW) is None
    assert [m.slug for m in found.active(NOW)] == [window.slug]

"""A writer that read its items or system before another write still records the truth.

The console, the API and the CLI find what they change before the write takes
its lock; another write may land in between. The write path reads them again
under its lock, so each event starts where the previous one ended and the
caller is told what really changed. Each test lets the other write land between
the read and the write, the way it happens under concurrency.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest

from tests.factories import TEST_ACTOR, Catalogue
from watwerkt.catalogue.models import FunctionChannel, System
from watwerkt.engine import Level, SystemState
from watwerkt.status.models import StatusEvent
from watwerkt.status.revision import current_revision
from watwerkt.status.services import ManualStatus, SystemChange, set_status, set_system
from watwerkt.status.writing import RevisionMoved


def chain(subject: str, pk: int, layer: str = "manual") -> list[tuple[Any, Any]]:
    rows = StatusEvent.objects.filter(subject=subject, object_id=pk, layer=layer).order_by("id")
    return list(rows.values_list("old", "new"))


def unbroken(events: list[tuple[Any, Any]]) -> bool:
    return all(old == before_new for (_, before_new), (old, _) in pairwise(events))


def stale_item(small: Catalogue, name: str) -> FunctionChannel:
    return FunctionChannel.objects.get(pk=small.items[name].pk)


def test_a_stale_item_is_read_again_and_its_events_form_a_chain(small: Catalogue) -> None:
    stale = stale_item(small, "mat")  # read by one writer ...
    set_status([small.items["mat"]], ManualStatus(Level.LIMITED), TEST_ACTOR)  # ... another writes
    done = set_status([stale], ManualStatus(Level.UNAVAILABLE), TEST_ACTOR)
    events = chain("item", small.items["mat"].pk)
    assert unbroken(events)
    assert events[-1][0]["level"] == "limited"
    assert (done.changed, done.manual) == (True, 1)
    assert stale.level == "unavailable"  # the caller's row holds what is stored


def test_a_change_the_stale_row_hides_is_still_made(small: Catalogue) -> None:
    """The stale row already says what is asked, but the other write moved it away."""
    set_status([small.items["mat"]], ManualStatus(Level.UNAVAILABLE), TEST_ACTOR)
    stale = stale_item(small, "mat")
    set_status([small.items["mat"]], ManualStatus(Level.LIMITED), TEST_ACTOR)
    done = set_status([stale], ManualStatus(Level.UNAVAILABLE), TEST_ACTOR)
    assert done.changed, "the item was limited, so setting it unavailable is a change"
    assert FunctionChannel.objects.get(pk=stale.pk).level == "unavailable"
    assert unbroken(chain("item", stale.pk))


def test_restating_what_another_writer_just_set_changes_nothing(small: Catalogue) -> None:
    stale = stale_item(small, "mat")
    set_status([small.items["mat"]], ManualStatus(Level.LIMITED), TEST_ACTOR)
    revision = current_revision()
    done = set_status([stale], ManualStatus(Level.LIMITED), TEST_ACTOR)
    assert (done.changed, done.manual, done.changes) == (False, 0, [])
    assert (current_revision(), done.revision.number) == (revision, revision)


def test_since_follows_the_stored_level_not_the_stale_one(small: Catalogue) -> None:
    stale = stale_item(small, "mat")
    set_status([small.items["mat"]], ManualStatus(Level.LIMITED), TEST_ACTOR)
    first_since = FunctionChannel.objects.get(pk=stale.pk).since
    set_status([stale], ManualStatus(Level.LIMITED, note={"nl": "wachttijden"}), TEST_ACTOR)
    assert FunctionChannel.objects.get(pk=stale.pk).since == first_since  # the level stayed


def test_a_stale_system_is_read_again(small: Catalogue) -> None:
    stale = System.objects.get(pk=small.systems["reservatie"].pk)
    set_system(small.systems["reservatie"], SystemChange(SystemState.DOWN), TEST_ACTOR)
    done = set_system(stale, SystemChange(SystemState.DOWN), TEST_ACTOR)
    assert not done.changed  # already down: the stale "up" must not make a second event
    up = set_system(stale, SystemChange(SystemState.UP), TEST_ACTOR)
    events = chain("system", stale.pk)
    assert (up.changed, len(events)) == (True, 2)
    assert unbroken(events)


def test_an_expected_revision_that_moved_refuses_before_anything_is_written(
    small: Catalogue,
) -> None:
    seen = current_revision()
    set_status([small.items["mat"]], ManualStatus(Level.LIMITED), TEST_ACTOR)
    count = StatusEvent.objects.count()
    with pytest.raises(RevisionMoved) as moved:
        set_status([small.items["mat"]], ManualStatus(Level.AVAILABLE), TEST_ACTOR, expected={seen})
    assert moved.value.current == seen + 1
    assert (StatusEvent.objects.count(), current_revision()) == (count, seen + 1)
    done = set_status(
        [small.items["mat"]], ManualStatus(Level.AVAILABLE), TEST_ACTOR, expected={seen + 1}
    )
    assert done.revision.number == seen + 2

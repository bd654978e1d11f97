"""``watwerkt history rollup``: stores closed days once, rebuilds on request, refuses nonsense."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.factories import TEST_ACTOR
from tests.history.conftest import Clock, local, small_at, stored_rows
from watwerkt.engine import SystemState
from watwerkt.history.models import RollupState
from watwerkt.status.services import SystemChange, set_system


def rollup(*args: str) -> str:
    out = StringIO()
    call_command("history", "rollup", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def city(db: None, clock: Clock) -> str:
    c = small_at(clock, local(2023, 3, 24, 9))
    clock.to(local(2023, 3, 25, 22))
    set_system(c.systems["datacenter"], SystemChange(SystemState.DOWN), TEST_ACTOR)
    clock.to(local(2023, 3, 28, 12))
    return c.org.slug


def test_it_stores_the_closed_days_once(city: str) -> None:
    assert (
        rollup()
        == f"{city}: stored through 2023-03-27; computed 2023-03-24 .. 2023-03-27, 5 rows written\n"
    )
    assert rollup("--org", city) == f"{city}: stored through 2023-03-27; nothing to compute\n"


def test_a_rebuild_from_a_date_gives_the_same_rows(city: str) -> None:
    rollup()
    before = stored_rows(RollupState.objects.get().organisation)
    out = rollup("--since", "2023-03-26", "--org", city)
    assert "computed 2023-03-26 .. 2023-03-27, 0 rows written" in out
    assert stored_rows(RollupState.objects.get().organisation) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2023-02-30"], "impossible date '2023-02-30'"),
        (["--since", "gisteren"], "'gisteren' is not a date (expected YYYY-MM-DD)"),
        (["--since", "2023-03-28"], "only closed days are stored, and the last one"),
        (["--org", "nergens"], "unknown organisation 'nergens'"),
    ],
)
def test_it_refuses_what_makes_no_sense_and_changes_nothing(
    city: str, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=re.escape(message)):
        rollup(*args)
    assert not RollupState.objects.exists()

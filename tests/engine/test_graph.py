"""The engine on small hand-made catalogues: the examples the properties generalise."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from watwerkt.engine import (
    CycleError,
    Dependency,
    DependencyKind,
    Expected,
    Inputs,
    ItemInput,
    Level,
    Manual,
    Status,
    StatusGraph,
    SystemInput,
    SystemState,
    UnknownWordError,
    rollup,
)
from watwerkt.engine.graph import latest_expected
from watwerkt.engine.statuspage import component_status, page_status

DEC6 = datetime(2022, 12, 6, 9, 10, tzinfo=UTC)
DEC8 = datetime(2022, 12, 8, 7, 0, tzinfo=UTC)
SOFT = DependencyKind.SOFT


def city(**items: ItemInput) -> Inputs:
    systems = {
        "datacenter": SystemInput(),
        "reservations": SystemInput(depends=(Dependency("datacenter"),)),
        "mail": SystemInput(expected=Expected("date", "2023-03-01")),
    }
    services = {item.service: "sport" for item in items.values()}
    return Inputs(systems, items, services, {"sport": "city"})


def test_a_hard_dependency_chain_explains_itself_down_to_the_root() -> None:
    graph = StatusGraph(city(hall=ItemInput("hall", depends=(Dependency("reservations"),))))
    graph.set_system("datacenter", SystemState.DOWN, DEC6)
    status = graph.item_status["hall"]
    assert status.level == Level.UNAVAILABLE
    assert status.derived
    assert status.since == DEC6
    assert [c.system for c in status.causes[0].chain()] == ["reservations", "datacenter"]
    assert status.causes[0].chain()[-1].own


def test_a_soft_dependency_only_limits() -> None:
    graph = StatusGraph(city(hall=ItemInput("hall", depends=(Dependency("reservations", SOFT),))))
    graph.set_system("datacenter", SystemState.DOWN, DEC6)
    assert graph.item_status["hall"].level == Level.LIMITED


def test_a_manual_level_worse_than_the_dependencies_keeps_its_qualifiers() -> None:
    manual = Manual(Level.LIMITED, ("delays",), DEC8)
    graph = StatusGraph(city(permit=ItemInput("permit", manual, (Dependency("mail", SOFT),))))
    assert graph.item_status["permit"] == Status(Level.LIMITED, ("delays",), DEC8)


def test_a_derived_level_drops_manual_qualifiers_and_takes_the_system_target() -> None:
    manual = Manual(Level.LIMITED, ("delays",), DEC8)
    graph = StatusGraph(city(permit=ItemInput("permit", manual, (Dependency("mail"),))))
    graph.set_system("mail", SystemState.DOWN, DEC6, Expected("date", "2023-03-01"))
    status = graph.item_status["permit"]
    assert (status.level, status.qualifiers) == (Level.UNAVAILABLE, ())
    assert status.expected == Expected("date", "2023-03-01")


def test_a_pin_holds_and_lists_the_dependency_it_overrides() -> None:
    manual = Manual(Level.LIMITED, ("manual",), DEC8, pinned=True)
    graph = StatusGraph(city(hall=ItemInput("hall", manual, (Dependency("reservations"),))))
    graph.set_system("reservations", SystemState.DOWN, DEC6)
    status = graph.item_status["hall"]
    assert status.level == Level.LIMITED
    assert [c.system for c in status.overridden] == ["reservations"]


def test_restoring_a_system_brings_dependents_back() -> None:
    graph = StatusGraph(city(hall=ItemInput("hall", depends=(Dependency("reservations"),))))
    graph.set_system("datacenter", SystemState.DOWN, DEC6)
    changes = graph.set_system("datacenter", SystemState.UP)
    assert graph.item_status["hall"] == Status(Level.AVAILABLE)
    assert {c.subject for c in changes} == {"system", "item", "service", "domain", "organisation"}


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ([], Level.AVAILABLE),
        ([Level.AVAILABLE, Level.AVAILABLE], Level.AVAILABLE),
        ([Level.AVAILABLE, Level.UNAVAILABLE], Level.LIMITED),
        ([Level.LIMITED, Level.UNAVAILABLE], Level.LIMITED),
        ([Level.UNAVAILABLE, Level.UNAVAILABLE], Level.UNAVAILABLE),
        ([Level.UNKNOWN, Level.UNAVAILABLE], Level.UNAVAILABLE),
        ([Level.MAINTENANCE, Level.MAINTENANCE], Level.MAINTENANCE),
        ([Level.AVAILABLE, Level.UNKNOWN], Level.LIMITED),
    ],
)
def test_rollup_says_limited_when_part_works(levels: list[Level], expected: Level) -> None:
    assert rollup(Status(level) for level in levels).level == expected


def test_a_cycle_between_systems_is_refused_with_its_path() -> None:
    systems = {
        "a": SystemInput(depends=(Dependency("b"),)),
        "b": SystemInput(depends=(Dependency("c"),)),
        "c": SystemInput(depends=(Dependency("a"),)),
        "d": SystemInput(),
    }
    with pytest.raises(CycleError) as error:
        StatusGraph(Inputs(systems, {}, {}, {}))
    assert error.value.cycle == ["a", "b", "c", "a"]


def test_a_dependency_on_an_unknown_system_is_refused() -> None:
    with pytest.raises(KeyError, match="unknown system 'ghost'"):
        StatusGraph(city(hall=ItemInput("hall", depends=(Dependency("ghost"),))))


def test_unknown_words_suggest_the_closest_one() -> None:
    with pytest.raises(UnknownWordError, match="did you mean 'unavailable'"):
        Level.parse("unavailabel")


@pytest.mark.parametrize(
    ("status", "component"),
    [
        (Status(Level.AVAILABLE), "operational"),
        (Status(Level.LIMITED), "degraded_performance"),
        (
            Status(Level.LIMITED, counts=((Level.UNAVAILABLE, 1), (Level.AVAILABLE, 1))),
            "partial_outage",
        ),
        (Status(Level.UNAVAILABLE), "major_outage"),
        (Status(Level.MAINTENANCE), "under_maintenance"),
        (Status(Level.UNKNOWN), "degraded_performance"),
    ],
)
def test_levels_map_onto_statuspage_component_statuses(status: Status, component: str) -> None:
    assert component_status(status) == component


@pytest.mark.parametrize(
    ("components", "indicator"),
    [
        (["operational"], ("none", "All Systems Operational")),
        (["operational", "under_maintenance"], ("none", "Service Under Maintenance")),
        (["operational", "degraded_performance"], ("minor", "Minor Service Outage")),
        (["operational", "partial_outage"], ("major", "Partial System Outage")),
        (["operational", "major_outage"], ("major", "Partial System Outage")),
        (["major_outage", "major_outage"], ("critical", "Major System Outage")),
    ],
)
def test_the_page_indicator_follows_statuspage(
    components: list[str], indicator: tuple[str, str]
) -> None:
    assert page_status(components) == indicator


MARCH, MARCH_1, APRIL_1 = (
    Expected("month", "2023-03"),
    Expected("date", "2023-03-01"),
    Expected("date", "2023-04-01"),
)


@pytest.mark.parametrize(
    ("targets", "expected"),
    [
        ([MARCH_1, MARCH], MARCH),
        ([APRIL_1, MARCH], APRIL_1),
        ([APRIL_1, None], None),
        ([Expected("weeks"), APRIL_1], None),
        ([Expected("none"), APRIL_1], Expected("none")),
        ([], None),
    ],
)
def test_a_derived_return_is_when_the_last_cause_is_back(
    targets: list[Expected | None], expected: Expected | None
) -> None:
    assert latest_expected(targets) == expected

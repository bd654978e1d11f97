"""The synthetic catalogue generator: plain Python, no database."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from watwerkt.authoring.synthetic import Sizes, generate
from watwerkt.authoring.synthetic_inputs import engine_inputs
from watwerkt.engine import StatusGraph


def services(catalogue: dict[str, Any]) -> list[dict[str, Any]]:
    org = catalogue["organisations"][0]
    return [s for d in org["domains"] for s in d["services"]]


def declared_dependencies(catalogue: dict[str, Any]) -> int:
    org = catalogue["organisations"][0]
    count = sum(len(s.get("depends", ())) for s in org["systems"])
    for service in services(catalogue):
        count += len(service.get("depends", ()))
        for function in service["functions"]:
            count += len(function.get("depends", ()))
            count += sum(len(e.get("depends", ())) for e in function["channels"])
    return count


def test_it_is_deterministic_for_a_seed() -> None:
    first, _ = generate(Sizes.for_services(60), seed=7)
    again, _ = generate(Sizes.for_services(60), seed=7)
    other, _ = generate(Sizes.for_services(60), seed=8)
    assert first == again
    assert first != other


@pytest.mark.parametrize("n", [1, 2, 7, 40, 250])
def test_it_builds_the_requested_sizes(n: int) -> None:
    sizes = Sizes.for_services(n)
    catalogue, counts = generate(sizes)
    org = catalogue["organisations"][0]
    assert org["id"] == "synthetic"
    assert len(services(catalogue)) == counts.services == n
    items = sum(len(f["channels"]) for s in services(catalogue) for f in s["functions"])
    assert items == counts.items == 2 * n
    assert len(org["systems"]) == counts.systems == sizes.systems
    assert declared_dependencies(catalogue) == counts.dependencies == sizes.dependencies


def test_explicit_system_and_dependency_counts_are_honoured() -> None:
    catalogue, counts = generate(Sizes.for_services(100, systems=30, dependencies=700))
    assert len(catalogue["organisations"][0]["systems"]) == 30
    assert declared_dependencies(catalogue) == counts.dependencies == 700


def test_5000_services_give_the_scale_the_product_designs_for() -> None:
    _, counts = generate(Sizes.for_services(5000))
    assert counts.items == 10_000
    assert counts.systems == 500
    assert counts.dependencies == 20_000
    assert counts.system_dependencies > 500  # systems really depend on systems


def test_services_have_one_to_three_functions_of_one_to_three_channels() -> None:
    catalogue, _ = generate(Sizes.for_services(300))
    for service in services(catalogue):
        assert 1 <= len(service["functions"]) <= 3
        for function in service["functions"]:
            channels = [e["channel"] for e in function["channels"]]
            assert 1 <= len(channels) <= 3
            assert len(set(channels)) == len(channels)


def test_systems_only_depend_on_earlier_layers_so_there_is_no_cycle() -> None:
    catalogue, _ = generate(Sizes.for_services(400))
    order = {s["id"]: i for i, s in enumerate(catalogue["organisations"][0]["systems"])}
    for system in catalogue["organisations"][0]["systems"]:
        for dep in system.get("depends", ()):
            upstream = dep if isinstance(dep, str) else dep["system"]
            assert order[upstream] < order[system["id"]]
    StatusGraph(engine_inputs(catalogue))  # raises CycleError on a cycle


def test_no_item_depends_on_the_same_system_twice() -> None:
    catalogue, _ = generate(Sizes.for_services(300))
    for key, item in engine_inputs(catalogue).items.items():
        systems = [d.system for d in item.depends]
        assert len(systems) == len(set(systems)), key


def test_the_mix_has_every_level_and_derived_and_pinned_statuses() -> None:
    catalogue, _ = generate(Sizes.for_services(2000))
    graph = StatusGraph(engine_inputs(catalogue))
    levels = Counter(s.level.word for s in graph.item_status.values())
    assert set(levels) == {"available", "limited", "unavailable", "unknown", "maintenance"}
    assert levels["available"] > len(graph.item_status) / 3  # mid-recovery, not a wasteland
    assert any(s.derived for s in graph.item_status.values())
    assert any(s.pinned and s.causes for s in graph.item_status.values())
    alternatives = sum(
        len(e.get("alternatives", ()))
        for s in services(catalogue)
        for f in s["functions"]
        for e in f["channels"]
    )
    assert alternatives > 0


def test_impossible_sizes_are_refused() -> None:
    with pytest.raises(ValueError, match="at least one service"):
        generate(Sizes.for_services(0))
    with pytest.raises(ValueError, match="ask for at least"):
        generate(Sizes.for_services(100, systems=50, dependencies=3))

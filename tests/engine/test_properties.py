"""Properties of the status engine that must hold for every catalogue."""

from __future__ import annotations

import random
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.engine.strategies import catalogues
from watwerkt.engine import Inputs, Level, Status, StatusGraph, SystemState, SystemStatus
from watwerkt.engine.levels import item_effect


def severity(status: Status | SystemStatus) -> int:
    return status.state if isinstance(status, SystemStatus) else status.level


def shuffled(inputs: Inputs, rnd: random.Random) -> Inputs:
    def shuffle_dict(d):  # type: ignore[no-untyped-def]
        keys = list(d)
        rnd.shuffle(keys)
        return {k: d[k] for k in keys}

    def shuffle_deps(x):  # type: ignore[no-untyped-def]
        deps = list(x.depends)
        rnd.shuffle(deps)
        return replace(x, depends=tuple(deps))

    return Inputs(
        shuffle_dict({k: shuffle_deps(v) for k, v in inputs.systems.items()}),
        shuffle_dict({k: shuffle_deps(v) for k, v in inputs.items.items()}),
        shuffle_dict(dict(inputs.services)),
        shuffle_dict(dict(inputs.domains)),
    )


@settings(max_examples=150)
@given(catalogues(), st.data())
def test_a_system_going_down_never_improves_anything(inputs: Inputs, data: st.DataObject) -> None:
    graph = StatusGraph(inputs)
    before = graph.snapshot()
    system = data.draw(st.sampled_from(sorted(inputs.systems)))
    graph.set_system(system, SystemState.DOWN, inputs.systems[system].since)
    after = graph.snapshot()
    for subject, statuses in before.items():
        for key, old in statuses.items():
            assert severity(after[subject][key]) >= severity(old), (subject, key)


@given(catalogues())
def test_recomputing_is_idempotent(inputs: Inputs) -> None:
    graph = StatusGraph(inputs)
    first = graph.snapshot()
    graph.recompute()
    assert graph.snapshot() == first


@given(catalogues(), st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_input_order(inputs: Inputs, rnd: random.Random) -> None:
    assert StatusGraph(shuffled(inputs, rnd)).snapshot() == StatusGraph(inputs).snapshot()


@given(catalogues())
def test_a_pin_always_wins_and_reports_what_it_overrides(inputs: Inputs) -> None:
    graph = StatusGraph(inputs)
    for key, item in inputs.items.items():
        if not item.manual.pinned:
            continue
        status = graph.item_status[key]
        assert status.level == item.manual.level
        assert status.pinned
        worse = sorted(
            (dep.system, dep.kind)
            for dep in item.depends
            if item_effect(dep.kind, graph.system_status[dep.system].state) > item.manual.level
        )
        assert sorted((c.system, c.kind) for c in status.overridden) == worse


@given(catalogues(), st.data())
def test_incremental_changes_equal_a_full_recompute(inputs: Inputs, data: st.DataObject) -> None:
    graph = StatusGraph(inputs)
    for _ in range(3):
        system = data.draw(st.sampled_from(sorted(inputs.systems)))
        state = data.draw(st.sampled_from(list(SystemState)))
        graph.set_system(system, state, inputs.systems[system].since)
    fresh = StatusGraph(Inputs(graph.systems, graph.items, inputs.services, inputs.domains))
    assert graph.snapshot() == fresh.snapshot()


@given(catalogues(), st.data())
def test_a_preview_changes_nothing_and_predicts_the_change(
    inputs: Inputs, data: st.DataObject
) -> None:
    graph = StatusGraph(inputs)
    before = graph.snapshot()
    system = data.draw(st.sampled_from(sorted(inputs.systems)))
    state = data.draw(st.sampled_from(list(SystemState)))
    preview = graph.preview_system(system, state)
    assert graph.snapshot() == before
    applied = graph.set_system(system, state)
    assert preview == applied


@given(catalogues())
def test_an_item_is_never_better_than_its_manual_level_or_its_dependencies(
    inputs: Inputs,
) -> None:
    graph = StatusGraph(inputs)
    for key, item in inputs.items.items():
        status = graph.item_status[key]
        if item.manual.pinned:
            continue
        assert status.level >= item.manual.level
        for dep in item.depends:
            assert status.level >= item_effect(dep.kind, graph.system_status[dep.system].state)


@given(catalogues())
def test_every_derived_status_names_its_causes(inputs: Inputs) -> None:
    graph = StatusGraph(inputs)
    for status in graph.item_status.values():
        if status.derived:
            assert status.causes
            assert status.level > Level.AVAILABLE
            for cause in status.causes:
                chain = cause.chain()
                assert chain[-1].own or not chain[-1].via

"""Benchmark the status engine alone: no Django, no database.

Builds the engine's inputs from the synthetic catalogue (by default 5,000
services = 10,000 function x channel items, 500 systems, 20,000 declared
dependencies) and prints how long the engine takes for what the product asks
of it, with the targets next to the figures. It never fails on a slow figure:
timings depend on the machine, so they are reported, not asserted.

    .venv/bin/python bench/engine.py [--services 5000] [--systems 500]
                                     [--dependencies 20000] [--seed 2022]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from watwerkt.authoring.synthetic import AS_OF, Sizes, generate
from watwerkt.authoring.synthetic_inputs import engine_inputs
from watwerkt.engine import Inputs, StatusGraph, SystemState

T = TypeVar("T")
TARGET_RECOMPUTE_MS = 100.0
TARGET_CHANGE_MS = 10.0


def timed(action: Callable[[], T]) -> tuple[float, T]:
    """Milliseconds one call takes, and what it returned."""
    start = time.perf_counter()
    result = action()
    return (time.perf_counter() - start) * 1000, result


def verdict(value: float, target: float) -> str:
    return f"(target < {target:g} ms: {'met' if value < target else 'NOT met'})"


def line(label: str, value: str, note: str = "") -> None:
    print(f"  {label:<38} {value:>14}  {note}".rstrip())


def build(args: argparse.Namespace) -> tuple[Inputs, dict[str, Any]]:
    """The engine inputs and the catalogue mapping they come from."""
    sizes = Sizes.for_services(args.services, args.systems, args.dependencies)
    catalogue, counts = generate(sizes, seed=args.seed)
    inputs = engine_inputs(catalogue)
    edges = sum(len(item.depends) for item in inputs.items.values())
    system_edges = sum(len(system.depends) for system in inputs.systems.values())
    print(f"synthetic catalogue (seed {args.seed})")
    line("services / functions", f"{counts.services:,} / {counts.functions:,}")
    line("function x channel items", f"{len(inputs.items):,}")
    line("systems", f"{len(inputs.systems):,}")
    line(
        "dependencies declared",
        f"{counts.dependencies:,}",
        f"({counts.system_dependencies:,} system -> system)",
    )
    line(
        "dependency edges in the engine",
        f"{edges + system_edges:,}",
        "(service and function dependencies expanded to their items)",
    )
    return inputs, catalogue


def bench_recompute(inputs: Inputs, runs: int) -> StatusGraph:
    build_ms, graph = timed(lambda: StatusGraph(inputs))
    samples = [timed(graph.recompute)[0] for _ in range(runs)]
    median = statistics.median(samples)
    print("\nfull recompute")
    line("build graph (index + first compute)", f"{build_ms:.1f} ms")
    line(f"recompute, median of {runs}", f"{median:.1f} ms", verdict(median, TARGET_RECOMPUTE_MS))
    line("recompute, fastest / slowest", f"{min(samples):.1f} / {max(samples):.1f} ms")
    return graph


def bench_changes(graph: StatusGraph, sample: int) -> None:
    """Flip many different systems to the opposite state and back, timing each call."""
    keys = sorted(graph.systems, key=str)
    step = max(1, len(keys) // sample)
    chosen = keys[::step][:sample]
    change_ms: list[tuple[float, int, Any]] = []
    preview_ms: list[float] = []
    for key in chosen:
        own = graph.systems[key]
        flipped = SystemState.UP if own.state != SystemState.UP else SystemState.DOWN
        ms, _ = timed(partial(graph.preview_system, key, flipped, AS_OF))
        preview_ms.append(ms)
        ms, changes = timed(partial(graph.set_system, key, flipped, AS_OF))
        change_ms.append((ms, len(changes), key))
        ms, changes = timed(partial(graph.set_system, key, own.state, own.since, own.expected))
        change_ms.append((ms, len(changes), key))
    times = [ms for ms, _, _ in change_ms]
    worst = max(change_ms, key=lambda t: t[0])
    median = statistics.median(times)
    print(f"\none system changes ({len(chosen)} systems, each flipped and restored)")
    line("set_system, median", f"{median:.2f} ms", verdict(median, TARGET_CHANGE_MS))
    line("set_system, 95th percentile", f"{statistics.quantiles(times, n=20)[-1]:.2f} ms")
    note = f"{verdict(worst[0], TARGET_CHANGE_MS)} {worst[2]}: {worst[1]:,} statuses changed"
    line("set_system, worst case", f"{worst[0]:.2f} ms", note)
    line(
        "statuses changed per call, median", f"{statistics.median(n for _, n, _ in change_ms):,.0f}"
    )
    p_median, p_worst = statistics.median(preview_ms), max(preview_ms)
    line("preview_system, median", f"{p_median:.2f} ms", verdict(p_median, TARGET_CHANGE_MS))
    line("preview_system, worst case", f"{p_worst:.2f} ms")


def bench_memory(catalogue: dict[str, Any]) -> None:
    gc.collect()
    tracemalloc.start()
    inputs = engine_inputs(catalogue)
    after_inputs, _ = tracemalloc.get_traced_memory()
    graph = StatusGraph(inputs)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print("\nmemory (tracemalloc)")
    line("engine inputs", f"{after_inputs / 2**20:.1f} MiB")
    line("graph (indexes + every status)", f"{(current - after_inputs) / 2**20:.1f} MiB")
    line("peak, inputs + graph", f"{peak / 2**20:.1f} MiB")
    del graph


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--systems", type=int, default=None, help="default: services / 10")
    parser.add_argument("--dependencies", type=int, default=None, help="default: 4 x services")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--runs", type=int, default=7, help="full recomputes to time")
    parser.add_argument("--sample", type=int, default=200, help="systems to flip")
    args = parser.parse_args(argv)
    print(f"Python {sys.version.split()[0]} on {sys.platform}\n")
    inputs, catalogue = build(args)
    graph = bench_recompute(inputs, args.runs)
    bench_changes(graph, args.sample)
    bench_memory(catalogue)


if __name__ == "__main__":
    main()

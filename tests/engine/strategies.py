"""Hypothesis strategies for random catalogues: acyclic systems, items, pins."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from watwerkt.engine import (
    Dependency,
    DependencyKind,
    Expected,
    Inputs,
    ItemInput,
    Level,
    Manual,
    SystemInput,
    SystemState,
)

EPOCH = datetime(2022, 12, 6, 9, 10, tzinfo=UTC)

times = st.one_of(st.none(), st.integers(0, 1000).map(lambda h: EPOCH + timedelta(hours=h)))
expecteds = st.one_of(
    st.none(),
    st.sampled_from(["2023-01-15", "2023-03-01", "2023-06-30"]).map(lambda d: Expected("date", d)),
    st.sampled_from(["weeks", "none"]).map(Expected),
)
kinds = st.sampled_from(list(DependencyKind))


@st.composite
def manuals(draw: st.DrawFn) -> Manual:
    return Manual(
        level=draw(st.sampled_from(list(Level))),
        qualifiers=tuple(draw(st.lists(st.sampled_from(["delays", "manual"]), max_size=2))),
        since=draw(times),
        expected=draw(expecteds),
        pinned=draw(st.booleans()),
    )


@st.composite
def catalogues(draw: st.DrawFn, max_systems: int = 8, max_items: int = 14) -> Inputs:
    """Systems may only depend on systems with a lower number, so there is no cycle."""
    n_systems = draw(st.integers(1, max_systems))
    systems = {}
    for i in range(n_systems):
        upstream = draw(st.lists(st.integers(0, i - 1), max_size=3, unique=True)) if i else []
        systems[f"s{i}"] = SystemInput(
            state=draw(st.sampled_from(list(SystemState))),
            since=draw(times),
            expected=draw(expecteds),
            depends=tuple(Dependency(f"s{u}", draw(kinds)) for u in upstream),
        )
    n_domains = draw(st.integers(1, 3))
    n_services = draw(st.integers(1, 6))
    services = {f"v{i}": f"d{draw(st.integers(0, n_domains - 1))}" for i in range(n_services)}
    domains = {f"d{i}": f"o{i % 2}" for i in range(n_domains)}
    items = {}
    for i in range(draw(st.integers(n_services, max_items))):
        service = f"v{i}" if i < n_services else f"v{draw(st.integers(0, n_services - 1))}"
        deps = draw(st.lists(st.integers(0, n_systems - 1), max_size=3))
        items[i] = ItemInput(
            service,
            draw(manuals()),
            tuple(Dependency(f"s{d}", draw(kinds)) for d in deps),
        )
    # Domains without services and organisations without domains are allowed
    # but the engine only reports what is reachable; keep every domain used.
    used = set(services.values())
    return Inputs(systems, items, services, {d: o for d, o in domains.items() if d in used})

"""Compute effective statuses from manual statuses, pins and system states.

The inputs are the catalogue as plain values (:class:`Inputs`): systems with
their own state and the systems they depend on; function x channel items with
their manual status and the systems they depend on; and the grouping of items
into services, services into domains and domains into organisations.

:class:`StatusGraph` computes every effective status once, then applies single
changes incrementally, touching only what the change can reach. Results are
immutable values, so "did anything change?" is an equality test and the same
inputs in any order give equal results.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from typing import Any, Literal

from .levels import DependencyKind, Level, SystemState, item_effect, system_effect

Key = Hashable
Subject = Literal["system", "item", "service", "domain", "organisation"]


class CycleError(ValueError):
    """Systems that depend on each other in a circle; ``cycle`` names them in order."""

    def __init__(self, cycle: list[Key]) -> None:
        super().__init__("dependency cycle: " + " -> ".join(map(str, cycle)))
        self.cycle = cycle


@dataclass(frozen=True)
class Expected:
    """When something is expected back: a date, a month, a vague span, or explicitly no date.

    ``kind`` is one of ``date`` (value ``YYYY-MM-DD``), ``month`` (``YYYY-MM``),
    ``days``, ``weeks``, ``months`` (no value) or ``none`` ("no date yet").
    """

    kind: str
    value: str = ""


@dataclass(frozen=True)
class Dependency:
    system: Key
    kind: DependencyKind = DependencyKind.HARD


@dataclass(frozen=True)
class Manual:
    """What a person (or an import) said about a function x channel."""

    level: Level = Level.AVAILABLE
    qualifiers: tuple[Hashable, ...] = ()
    since: datetime | None = None
    expected: Expected | None = None
    pinned: bool = False


@dataclass(frozen=True)
class SystemInput:
    state: SystemState = SystemState.UP
    since: datetime | None = None
    expected: Expected | None = None
    depends: tuple[Dependency, ...] = ()


@dataclass(frozen=True)
class ItemInput:
    service: Key
    manual: Manual = Manual()
    depends: tuple[Dependency, ...] = ()


@dataclass(frozen=True)
class Inputs:
    # Keys are any hashable values; Any because Mapping is invariant in its key type.
    systems: Mapping[Any, SystemInput]
    items: Mapping[Any, ItemInput]
    services: Mapping[Any, Any]  # service -> domain
    domains: Mapping[Any, Any]  # domain -> organisation


@dataclass(frozen=True)
class Cause:
    """One reason for a derived status: a dependency on a system in a bad state.

    ``via`` holds the reasons that system is in that state when it is itself
    derived from its dependencies; ``own`` says the system's own state (set by
    a person or a probe) is that bad too.
    """

    system: Key
    kind: DependencyKind
    state: SystemState
    since: datetime | None
    own: bool
    via: tuple[Cause, ...] = ()

    def chain(self) -> list[Cause]:
        """The first path from this dependency down to a system that is bad on its own."""
        path = [self]
        while path[-1].via and not path[-1].own:
            path.append(path[-1].via[0])
        return path


@dataclass(frozen=True)
class SystemStatus:
    state: SystemState
    since: datetime | None
    expected: Expected | None
    causes: tuple[Cause, ...] = ()
    own: bool = True


@dataclass(frozen=True)
class Status:
    """An effective status of an item or a roll-up (service, domain, organisation).

    For items: ``causes`` are the bad dependencies that set the level (or, when
    ``pinned``, that the pin overrides); ``derived`` says the level comes from
    dependencies rather than from what a person said. For roll-ups: ``counts``
    holds how many children are at each level, worst first.
    """

    level: Level
    qualifiers: tuple[Hashable, ...] = ()
    since: datetime | None = None
    expected: Expected | None = None
    causes: tuple[Cause, ...] = ()
    derived: bool = False
    pinned: bool = False
    counts: tuple[tuple[Level, int], ...] = field(default=())

    @property
    def overridden(self) -> tuple[Cause, ...]:
        """The dependencies a pin overrides (empty unless pinned)."""
        return self.causes if self.pinned else ()


@dataclass(frozen=True)
class Change:
    subject: Subject
    key: Key
    before: SystemStatus | Status | None
    after: SystemStatus | Status | None


def _min_since(values: Iterable[datetime | None]) -> datetime | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None


_NOTHING = Status(Level.AVAILABLE)
# Enum members bound once: looking them up on the class is slow in a hot loop.
_AVAILABLE, _LIMITED = Level.AVAILABLE, Level.LIMITED


def _expected_order(expected: Expected) -> str:
    # A month is back by its end at the latest: "2023-06" sorts after "2023-06-15".
    return expected.value + "-99" if expected.kind == "month" else expected.value


def latest_expected(targets: Iterable[Expected | None]) -> Expected | None:
    """When everything in ``targets`` is back: the latest date or month; "no
    date yet" when any says so; unknown (None) when any is unknown or vague."""
    found = list(targets)
    if not found:
        return None
    if any(t is not None and t.kind == "none" for t in found):
        return Expected("none")
    dated = [t for t in found if t is not None and t.kind in ("date", "month")]
    if len(dated) < len(found):
        return None
    return max(dated, key=_expected_order)


def _cause_order(cause: Cause) -> tuple[int, str, str, bool]:
    return (-cause.state, str(cause.system), cause.kind.value, cause.own)


def rollup(children: Iterable[Status]) -> Status:
    """Combine children into one status: all at one level -> that level; some
    working and some not -> limited; none working -> the worst of them."""
    # Hot path: runs for every service, domain and organisation on a full
    # recompute, so it counts with plain dict operations.
    counts: dict[Level, int] = {}
    bad_since: list[datetime] = []
    for child in children:
        level = child.level
        counts[level] = counts.get(level, 0) + 1
        if level is not _AVAILABLE and child.since is not None:
            bad_since.append(child.since)
    if not counts:
        return _NOTHING
    if len(counts) == 1:
        (level,) = counts
    elif _AVAILABLE in counts or _LIMITED in counts:
        level = _LIMITED
    else:
        level = max(counts)
    ordered = tuple(sorted(counts.items(), reverse=True))
    return _rolled_up(level, min(bad_since) if bad_since else None, ordered)


@lru_cache(maxsize=8192)
def _rolled_up(
    level: Level, since: datetime | None, counts: tuple[tuple[Level, int], ...]
) -> Status:
    # Most roll-ups of a large catalogue are alike (all available, one since);
    # sharing them saves building thousands of equal immutable values.
    return Status(level, since=since, counts=counts)


class StatusGraph:
    """The effective status of everything, kept up to date change by change."""

    def __init__(self, inputs: Inputs) -> None:
        self.systems: dict[Key, SystemInput] = dict(inputs.systems)
        self.items: dict[Key, ItemInput] = dict(inputs.items)
        self.service_domain: dict[Key, Key] = dict(inputs.services)
        self.domain_org: dict[Key, Key] = dict(inputs.domains)
        self._index()
        self.system_status: dict[Key, SystemStatus] = {}
        self.item_status: dict[Key, Status] = {}
        self.service_status: dict[Key, Status] = {}
        self.domain_status: dict[Key, Status] = {}
        self.org_status: dict[Key, Status] = {}
        self._plain_cache: dict[Manual, Status] = {}
        self.recompute()

    # -- structure ---------------------------------------------------------

    def _index(self) -> None:
        self.system_dependents: dict[Key, list[Key]] = defaultdict(list)
        self.item_dependents: dict[Key, list[Key]] = defaultdict(list)
        self.service_items: dict[Key, list[Key]] = defaultdict(list)
        self.domain_services: dict[Key, list[Key]] = defaultdict(list)
        self.org_domains: dict[Key, list[Key]] = defaultdict(list)
        for key, system in self.systems.items():
            for dep in system.depends:
                self._require_system(dep.system, key)
                self.system_dependents[dep.system].append(key)
        for key, item in self.items.items():
            for dep in item.depends:
                self._require_system(dep.system, key)
                self.item_dependents[dep.system].append(key)
            self.service_items[item.service].append(key)
        for service, domain in self.service_domain.items():
            self.domain_services[domain].append(service)
        for domain, org in self.domain_org.items():
            self.org_domains[org].append(domain)
        self.system_order = self._topological_order()
        self.system_rank = {key: rank for rank, key in enumerate(self.system_order)}

    def _require_system(self, key: Key, user: Key) -> None:
        if key not in self.systems:
            raise KeyError(f"{user!r} depends on unknown system {key!r}")

    def _topological_order(self) -> list[Key]:
        """Systems ordered so that every system comes after the ones it depends on."""
        remaining = {key: len(system.depends) for key, system in self.systems.items()}
        ready = sorted((k for k, n in remaining.items() if n == 0), key=str)
        order: list[Key] = []
        while ready:
            key = ready.pop()
            order.append(key)
            for dependent in self.system_dependents.get(key, ()):
                remaining[dependent] -= 1
                if remaining[dependent] == 0:
                    ready.append(dependent)
        if len(order) < len(self.systems):
            raise CycleError(self._find_cycle(set(self.systems) - set(order)))
        return order

    def _find_cycle(self, stuck: set[Key]) -> list[Key]:
        start = min(stuck, key=str)
        seen: dict[Key, int] = {}
        path: list[Key] = []
        node = start
        while node not in seen:
            seen[node] = len(path)
            path.append(node)
            node = next(d.system for d in self.systems[node].depends if d.system in stuck)
        return [*path[seen[node] :], node]

    # -- evaluation ---------------------------------------------------------

    def _eval_system(self, key: Key) -> SystemStatus:
        own = self.systems[key]
        causes = []
        for dep in own.depends:
            upstream = self.system_status[dep.system]
            if upstream.state != SystemState.UP:
                effect = system_effect(dep.kind, upstream.state)
                causes.append((effect, dep, upstream))
        state = max([own.state, *(effect for effect, _, _ in causes)])
        if state == SystemState.UP:
            return SystemStatus(state, None, None)
        relevant = tuple(
            sorted(
                (
                    Cause(dep.system, dep.kind, up.state, up.since, up.own, up.causes)
                    for effect, dep, up in causes
                    if effect == state
                ),
                key=_cause_order,
            )
        )
        own_counts = own.state == state
        since = _min_since([own.since if own_counts else None, *(c.since for c in relevant)])
        expected = own.expected if own_counts else self._latest_expected(relevant)
        return SystemStatus(state, since, expected, relevant, own_counts)

    def _latest_expected(self, causes: Iterable[Cause]) -> Expected | None:
        return latest_expected(self.system_status[c.system].expected for c in causes)

    def _eval_item(self, key: Key) -> Status:
        item = self.items[key]
        manual = item.manual
        bad: list[tuple[Level, Dependency, SystemStatus]] = []
        for dep in item.depends:
            upstream = self.system_status[dep.system]
            if upstream.state:  # anything but UP
                bad.append((item_effect(dep.kind, upstream.state), dep, upstream))
        if not bad:
            return self._plain(manual)
        derived_level = max(effect for effect, _, _ in bad)
        if manual.pinned:
            overridden = [(e, d, u) for e, d, u in bad if e > manual.level]
            return self._manual_status(manual, self._causes(overridden), pinned=True)
        if derived_level <= manual.level:
            return self._plain(manual)
        causes = self._causes([(e, d, u) for e, d, u in bad if e == derived_level])
        return Status(
            derived_level,
            since=_min_since(c.since for c in causes),
            expected=self._latest_expected(causes),
            causes=causes,
            derived=True,
        )

    def _plain(self, manual: Manual) -> Status:
        """The status of an item that nothing below makes worse: shared per manual
        status, because most items of a large catalogue are in this case."""
        status = self._plain_cache.get(manual)
        if status is None:
            status = self._manual_status(manual, (), pinned=manual.pinned)
            self._plain_cache[manual] = status
        return status

    @staticmethod
    def _causes(bad: list[tuple[Level, Dependency, SystemStatus]]) -> tuple[Cause, ...]:
        return tuple(
            sorted(
                (Cause(d.system, d.kind, u.state, u.since, u.own, u.causes) for _, d, u in bad),
                key=_cause_order,
            )
        )

    @staticmethod
    def _manual_status(manual: Manual, causes: tuple[Cause, ...], pinned: bool = False) -> Status:
        return Status(
            manual.level,
            qualifiers=manual.qualifiers,
            since=manual.since,
            expected=manual.expected,
            causes=causes,
            pinned=pinned,
        )

    def recompute(self) -> None:
        """Compute every status from scratch."""
        self.system_status = {}
        for key in self.system_order:
            self.system_status[key] = self._eval_system(key)
        self.item_status = {key: self._eval_item(key) for key in self.items}
        self.service_status = {s: self._eval_service(s) for s in self.service_domain}
        self.domain_status = {d: self._eval_domain(d) for d in self.domain_org}
        self.org_status = {o: self._eval_org(o) for o in self.org_domains}

    def _eval_service(self, key: Key) -> Status:
        return rollup(self.item_status[i] for i in self.service_items.get(key, ()))

    def _eval_domain(self, key: Key) -> Status:
        return rollup(self.service_status[s] for s in self.domain_services.get(key, ()))

    def _eval_org(self, key: Key) -> Status:
        return rollup(self.domain_status[d] for d in self.org_domains.get(key, ()))

    # -- changes -----------------------------------------------------------

    def set_system(
        self,
        key: Key,
        state: SystemState,
        since: datetime | None = None,
        expected: Expected | None = None,
    ) -> list[Change]:
        """Change a system's own state; return every status that changed."""
        current = self.systems[key]
        self.systems[key] = replace(current, state=state, since=since, expected=expected)
        return self._propagate_systems([key])

    def set_item(self, key: Key, manual: Manual) -> list[Change]:
        """Change an item's manual status; return every status that changed."""
        self.items[key] = replace(self.items[key], manual=manual)
        changes: list[Change] = []
        self._refresh_items([key], changes)
        return changes

    def preview_system(
        self,
        key: Key,
        state: SystemState,
        since: datetime | None = None,
        expected: Expected | None = None,
    ) -> list[Change]:
        """What :meth:`set_system` would change, without changing anything."""
        saved = self._save()
        try:
            return self.set_system(key, state, since, expected)
        finally:
            self._restore(saved)

    def _save(
        self,
    ) -> tuple[
        dict[Key, SystemInput],
        dict[Key, SystemStatus],
        dict[Key, Status],
        dict[Key, Status],
        dict[Key, Status],
        dict[Key, Status],
    ]:
        return (
            dict(self.systems),
            dict(self.system_status),
            dict(self.item_status),
            dict(self.service_status),
            dict(self.domain_status),
            dict(self.org_status),
        )

    def _restore(
        self,
        saved: tuple[
            dict[Key, SystemInput],
            dict[Key, SystemStatus],
            dict[Key, Status],
            dict[Key, Status],
            dict[Key, Status],
            dict[Key, Status],
        ],
    ) -> None:
        (
            self.systems,
            self.system_status,
            self.item_status,
            self.service_status,
            self.domain_status,
            self.org_status,
        ) = saved

    def _propagate_systems(self, roots: list[Key]) -> list[Change]:
        changes: list[Change] = []
        dirty = set(roots)
        touched_items: set[Key] = set()
        for key in self._downstream_systems(roots):
            if key not in dirty:
                continue
            before = self.system_status[key]
            after = self._eval_system(key)
            if after == before:
                continue
            self.system_status[key] = after
            changes.append(Change("system", key, before, after))
            dirty.update(self.system_dependents.get(key, ()))
            touched_items.update(self.item_dependents.get(key, ()))
        self._refresh_items(touched_items, changes)
        return changes

    def _downstream_systems(self, roots: list[Key]) -> list[Key]:
        """Every system reachable from ``roots``, in dependency order."""
        reach: set[Key] = set()
        stack = list(roots)
        while stack:
            key = stack.pop()
            if key not in reach:
                reach.add(key)
                stack.extend(self.system_dependents.get(key, ()))
        return sorted(reach, key=self.system_rank.__getitem__)

    def _refresh_items(self, keys: Iterable[Key], changes: list[Change]) -> None:
        services: set[Key] = set()
        for key in keys:
            before = self.item_status[key]
            after = self._eval_item(key)
            if after != before:
                self.item_status[key] = after
                changes.append(Change("item", key, before, after))
                services.add(self.items[key].service)
        domains = self._refresh(
            "service",
            services,
            self.service_status,
            self._eval_service,
            self.service_domain,
            changes,
        )
        orgs = self._refresh(
            "domain", domains, self.domain_status, self._eval_domain, self.domain_org, changes
        )
        self._refresh("organisation", orgs, self.org_status, self._eval_org, {}, changes)

    @staticmethod
    def _refresh(
        subject: Subject,
        keys: set[Key],
        store: dict[Key, Status],
        evaluate: Callable[[Key], Status],
        parent: Mapping[Key, Key],
        changes: list[Change],
    ) -> set[Key]:
        parents: set[Key] = set()
        for key in keys:
            before = store[key]
            after = evaluate(key)
            if after != before:
                store[key] = after
                changes.append(Change(subject, key, before, after))
                if key in parent:
                    parents.add(parent[key])
        return parents

    # -- reading -------------------------------------------------------------

    def snapshot(self) -> dict[Subject, dict[Key, SystemStatus | Status]]:
        """Every status, as plain dictionaries (for comparisons and tests)."""
        return {
            "system": dict(self.system_status),
            "item": dict(self.item_status),
            "service": dict(self.service_status),
            "domain": dict(self.domain_status),
            "organisation": dict(self.org_status),
        }

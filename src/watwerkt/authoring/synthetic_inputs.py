"""A synthetic catalogue (:mod:`.synthetic`) as the engine's inputs, without a database.

``bench/engine.py`` measures the engine alone on it, and the tests check the
generated catalogue against the engine (no cycles, every level reachable).
Like :mod:`.synthetic`, this imports no Django.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

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

from .synthetic import TIME_ZONE


def _deps(raw: Sequence[Any] | None) -> tuple[Dependency, ...]:
    result = []
    for dep in raw or ():
        if isinstance(dep, str):
            result.append(Dependency(dep))
        else:
            result.append(Dependency(dep["system"], DependencyKind(dep.get("kind", "hard"))))
    return tuple(result)


def _when(raw: Any) -> datetime | None:
    if raw is None:
        return None
    return datetime.fromisoformat(str(raw)).replace(tzinfo=TIME_ZONE)


def _engine_expected(raw: Any) -> Expected | None:
    if raw is None:
        return None
    text = str(raw)
    if len(text) == 10:
        return Expected("date", text)
    if len(text) == 7:
        return Expected("month", text)
    return Expected(text)


def _manual(status: dict[str, Any] | None) -> Manual:
    if not status:
        return Manual()
    return Manual(
        Level.parse(status["level"]),
        tuple(str(q) for q in status.get("qualifiers", ())),
        _when(status.get("since")),
        _engine_expected(status.get("expected")),
        bool(status.get("pinned", False)),
    )


def _items(org: dict[str, Any]) -> Iterator[tuple[str, ItemInput]]:
    for domain in org["domains"]:
        for service in domain["services"]:
            service_deps = _deps(service.get("depends"))
            for function in service.get("functions") or [{"id": "-"}]:
                function_deps = _deps(function.get("depends"))
                for entry in function.get("channels") or service.get("channels") or [None]:
                    entry = entry if isinstance(entry, dict) else {"channel": entry or "*"}
                    status = entry.get("status") or function.get("status") or service.get("status")
                    key = f"{service['id']}/{function['id']}/{entry['channel']}"
                    depends = (*service_deps, *function_deps, *_deps(entry.get("depends")))
                    yield key, ItemInput(service["id"], _manual(status), depends)


def engine_inputs(catalogue: dict[str, Any]) -> Inputs:
    """The engine's inputs for a catalogue mapping, with dependencies on services and
    functions expanded to every function x channel under them (as the database
    loader does). Keys are readable ids: ``service/function/channel``."""
    systems: dict[str, SystemInput] = {}
    items: dict[str, ItemInput] = {}
    services: dict[str, str] = {}
    domains: dict[str, str] = {}
    for org in catalogue["organisations"]:
        for system in org.get("systems", ()):
            status = system.get("status") or {}
            systems[system["id"]] = SystemInput(
                SystemState.parse(status.get("state", "up")),
                _when(status.get("since")),
                _engine_expected(status.get("expected")),
                _deps(system.get("depends")),
            )
        items.update(_items(org))
        for domain in org["domains"]:
            domains[domain["id"]] = org["id"]
            services.update((s["id"], domain["id"]) for s in domain["services"])
    return Inputs(systems, items, services, domains)

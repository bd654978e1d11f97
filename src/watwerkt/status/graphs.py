"""Build the engine's inputs from the database, and keep one graph per process.

Keys in the graph are primary keys: systems by System.pk, items by
FunctionChannel.pk, services, domains and organisations by their pk.
Dependencies declared on a service or a function are expanded to every
function x channel under it.
"""

from __future__ import annotations

import threading
from collections import defaultdict

from watwerkt.catalogue.models import (
    Dependency,
    Domain,
    FunctionChannel,
    Service,
    System,
)
from watwerkt.engine import (
    Dependency as EngineDependency,
)
from watwerkt.engine import (
    DependencyKind,
    Inputs,
    ItemInput,
    StatusGraph,
    SystemInput,
    SystemState,
)

from .revision import RevisionState
from .values import expected_from_json, manual_from_row


def load_inputs() -> Inputs:
    by_system: dict[int, list[EngineDependency]] = defaultdict(list)
    by_service: dict[int, list[EngineDependency]] = defaultdict(list)
    by_function: dict[int, list[EngineDependency]] = defaultdict(list)
    by_item: dict[int, list[EngineDependency]] = defaultdict(list)
    targets = {
        "dependent_system_id": by_system,
        "service_id": by_service,
        "function_id": by_function,
        "function_channel_id": by_item,
    }
    for row in Dependency.objects.values(
        "system_id",
        "kind",
        "dependent_system_id",
        "service_id",
        "function_id",
        "function_channel_id",
    ):
        dep = EngineDependency(row["system_id"], DependencyKind(row["kind"]))
        for column, index in targets.items():
            target: int | None = row[column]  # type: ignore[literal-required]
            if target is not None:
                index[target].append(dep)
    systems = {
        row["id"]: SystemInput(
            SystemState.parse(row["state"]),
            row["since"],
            expected_from_json(row["expected"]),
            tuple(by_system.get(row["id"], ())),
        )
        for row in System.objects.values("id", "state", "since", "expected")
    }
    items = {}
    for item in FunctionChannel.objects.values(
        "id",
        "function_id",
        "function__service_id",
        "level",
        "qualifiers",
        "since",
        "expected",
        "pinned",
        "note",
    ):
        service = item["function__service_id"]
        depends = (
            *by_service.get(service, ()),
            *by_function.get(item["function_id"], ()),
            *by_item.get(item["id"], ()),
        )
        items[item["id"]] = ItemInput(service, manual_from_row(item).engine(), depends)
    services = dict(Service.objects.values_list("id", "domain_id"))
    domains = dict(Domain.objects.values_list("id", "organisation_id"))
    return Inputs(systems, items, services, domains)


class GraphCache:
    """The graph of the latest revision this process has seen.

    Writers hold :attr:`lock` while they use and change it; a writer whose
    transaction fails calls :meth:`forget`, so the next one reloads.
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._revision: RevisionState | None = None
        self._graph: StatusGraph | None = None

    def get(self, revision: RevisionState) -> StatusGraph:
        """The graph of ``revision`` (a ``RevisionState``), loaded if not held."""
        if self._graph is None or self._revision != revision:
            self._graph = StatusGraph(load_inputs())
            self._revision = revision
        return self._graph

    def keep(self, revision: RevisionState, graph: StatusGraph) -> None:
        self._revision, self._graph = revision, graph

    def peek(self, revision: RevisionState) -> StatusGraph | None:
        """The graph held, if it is the one of ``revision``; never loads one."""
        return self._graph if self._revision == revision else None

    def forget(self) -> None:
        self._revision, self._graph = None, None


graphs = GraphCache()

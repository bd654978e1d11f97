"""Who depends on what: read the dependency graph both ways.

A dependency ties a system to another system, a whole service, one function
or one function x channel (:class:`~watwerkt.catalogue.models.Dependency`).
"Depends on" here is what the status engine propagates: directly, or through
other systems (a service on the reservation platform also depends on the data
centre the platform runs in). Every function takes the organisations whose
services may be shown, so a shared system never reveals another
organisation's services.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.db.models import Q

from .models import Dependency, FunctionChannel, System


def downstream_system_ids(system_ids: Iterable[int]) -> set[int]:
    """``system_ids`` and every system that depends on one of them, however indirectly."""
    found = set(system_ids)
    frontier = set(found)
    while frontier:  # acyclic by catalogue validation
        dependents = set(
            Dependency.objects.filter(
                system_id__in=frontier, dependent_system__isnull=False
            ).values_list("dependent_system_id", flat=True)
        )
        frontier = dependents - found
        found |= frontier
    return found


def items_depending_on(system_id: int, organisation_ids: Collection[int]) -> set[int]:
    """Function x channel items of ``organisation_ids`` that depend on the system,
    directly or through other systems (as the engine propagates a failure)."""
    reach = downstream_system_ids([system_id])
    rows = Dependency.objects.filter(system_id__in=reach).values_list(
        "service_id", "function_id", "function_channel_id"
    )
    services, functions, items = set(), set(), set()
    for service, function, item in rows:
        if service:
            services.add(service)
        elif function:
            functions.add(function)
        elif item:
            items.add(item)
    if not (services or functions or items):
        return set()
    return set(
        FunctionChannel.objects.filter(
            Q(function__service_id__in=services) | Q(function_id__in=functions) | Q(pk__in=items),
            function__service__organisation_id__in=organisation_ids,
        ).values_list("pk", flat=True)
    )


@dataclass(frozen=True)
class Dependent:
    """A service that depends directly on a system: all of it (``function_id`` and
    ``item_id`` None), one function, or one function x channel."""

    kind: str  # hard or soft
    organisation_id: int
    service_id: int
    function_id: int | None
    item_id: int | None


@dataclass(frozen=True)
class Dependents:
    systems: tuple[tuple[System, str], ...]  # (dependent system, hard|soft)
    services: tuple[Dependent, ...]


def direct_dependents(
    system: System, organisation_ids: Collection[int], system_ids: Collection[int]
) -> Dependents:
    """What depends on ``system`` directly: systems among ``system_ids`` and the
    services, functions and items of ``organisation_ids``."""
    rows = Dependency.objects.filter(system=system).select_related(
        "dependent_system__organisation",
        "service",
        "function__service",
        "function_channel__function__service",
    )
    systems: list[tuple[System, str]] = []
    services = []
    for dep in rows:
        if dep.dependent_system is not None:
            if dep.dependent_system_id in system_ids:
                systems.append((dep.dependent_system, dep.kind))
            continue
        found = _dependent(dep)
        if found.organisation_id in organisation_ids:
            services.append(found)
    return Dependents(tuple(systems), tuple(services))


def _dependent(dep: Dependency) -> Dependent:
    if dep.service is not None:
        return Dependent(dep.kind, dep.service.organisation_id, dep.service.pk, None, None)
    if dep.function_id is not None:
        function = dep.function
        assert function is not None
        return Dependent(
            dep.kind, function.service.organisation_id, function.service_id, function.pk, None
        )
    item = dep.function_channel
    assert item is not None
    service = item.function.service
    return Dependent(dep.kind, service.organisation_id, service.pk, item.function_id, item.pk)


def service_dependencies(service_id: int) -> list[Dependency]:
    """The dependencies of a service, its functions and its items, with their systems."""
    return list(
        Dependency.objects.filter(
            Q(service_id=service_id)
            | Q(function__service_id=service_id)
            | Q(function_channel__function__service_id=service_id)
        )
        .select_related(
            "system__organisation",
            "function",
            "function_channel__function",
            "function_channel__channel",
        )
        .order_by("system__organisation__position", "system__position", "system_id", "id")
    )


def system_dependencies(system: System) -> list[Dependency]:
    """What ``system`` depends on directly."""
    return list(
        Dependency.objects.filter(dependent_system=system)
        .select_related("system__organisation")
        .order_by("system__position", "system_id")
    )

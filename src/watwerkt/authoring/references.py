"""Check what refers across the catalogue: system references, cycles, removals.

A file need not hold every organisation: a municipality's file may name a
system of its shared provider (``provider/dms``) that only the database
knows. So these checks see the file's organisations as the file states
them, and every other organisation as stored (:class:`Outside`).
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field

from watwerkt.catalogue.models import Dependency, Organisation, System
from watwerkt.engine import CycleError, DependencyKind, Inputs, StatusGraph, SystemInput
from watwerkt.engine import Dependency as Edge

from .errors import Path
from .reader import Reader, Written
from .spec import CatalogueSpec

MAX_CYCLES = 20  # enough to fix in one go; a tangle beyond that needs a look anyway


@dataclass
class Outside:
    """The stored catalogue beyond the organisations a file states."""

    systems: dict[str, set[str]] = field(default_factory=dict)  # org -> system ids
    edges: list[tuple[str, str, str]] = field(default_factory=list)  # dependent, system, kind
    # (org, system) of an organisation in the file -> who outside the file needs it
    needed: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, file_orgs: set[str]) -> Outside:
        outside = cls({slug: set() for slug in _other_orgs(file_orgs)})
        for org, slug in System.objects.exclude(organisation__slug__in=file_orgs).values_list(
            "organisation__slug", "slug"
        ):
            outside.systems[org].add(slug)
        rows = (
            Dependency.objects.filter(dependent_system__isnull=False)
            .exclude(dependent_system__organisation__slug__in=file_orgs)
            .values_list(
                "dependent_system__organisation__slug",
                "dependent_system__slug",
                "system__organisation__slug",
                "system__slug",
                "kind",
            )
        )
        outside.edges = [(f"{a}/{b}", f"{c}/{d}", kind) for a, b, c, d, kind in rows]
        outside.needed = _needed_from_outside(file_orgs)
        return outside


def _other_orgs(file_orgs: set[str]) -> list[str]:
    return list(Organisation.objects.exclude(slug__in=file_orgs).values_list("slug", flat=True))


# How to name the dependent of a Dependency row, per kind of dependent.
_DEPENDENTS = {
    "dependent_system": ("dependent_system__organisation__slug", "dependent_system__slug"),
    "service": ("service__organisation__slug", "service__slug"),
    "function": ("function__service__organisation__slug", "function__service__slug"),
    "function_channel": (
        "function_channel__function__service__organisation__slug",
        "function_channel__function__service__slug",
    ),
}


def _needed_from_outside(file_orgs: set[str]) -> dict[tuple[str, str], list[str]]:
    """Systems of the file's organisations that other organisations depend on."""
    needed: dict[tuple[str, str], list[str]] = defaultdict(list)
    for dependent, (org_column, slug_column) in _DEPENDENTS.items():
        rows = (
            Dependency.objects.filter(
                system__organisation__slug__in=file_orgs, **{f"{dependent}__isnull": False}
            )
            .exclude(**{f"{org_column}__in": file_orgs})
            .values_list("system__organisation__slug", "system__slug", org_column, slug_column)
        )
        for org, system, other_org, other in rows:
            needed[(org, system)].append(f"{other_org}/{other}")
    return dict(needed)


def check_references(reader: Reader, spec: CatalogueSpec, outside: Outside) -> None:
    known = {org.slug: {s.slug for s in org.systems} for org in spec.organisations}
    for org, systems in outside.systems.items():
        known.setdefault(org, systems)
    for written in reader.dependencies:
        _check_reference(reader, written, known)
    _check_cycles(reader, known, outside)
    _check_removals(reader, spec, outside)


def _check_reference(reader: Reader, written: Written, known: dict[str, set[str]]) -> None:
    org, system = written.spec.organisation, written.spec.system
    if org not in known:
        close = difflib.get_close_matches(org, sorted(known), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        reader.error(written.path, f"unknown organisation {org!r}{hint} in {written.ref!r}")
    elif system not in known[org]:
        close = difflib.get_close_matches(system, sorted(known[org]), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        where = "" if org == written.organisation else f" of organisation {org!r}"
        reader.error(written.path, f"unknown system {system!r}{where}{hint}")


def _check_cycles(reader: Reader, known: dict[str, set[str]], outside: Outside) -> None:
    """Report each cycle once, at a dependency the file wrote, by taking the
    engine's own cycle finder and cutting the reported edge until none is left."""
    depends: dict[str, list[Edge]] = {
        f"{o}/{s}": [] for o, systems in known.items() for s in systems
    }
    paths: dict[tuple[str, str], Path] = {}
    for written in reader.dependencies:
        upstream = f"{written.spec.organisation}/{written.spec.system}"
        if written.dependent in depends and upstream in depends:
            depends[written.dependent].append(Edge(upstream, _kind(written.spec.kind)))
            paths[(written.dependent, upstream)] = written.path
    for dependent, upstream, kind in outside.edges:
        if dependent in depends and upstream in depends:
            depends[dependent].append(Edge(upstream, _kind(kind)))
    for _ in range(MAX_CYCLES):
        try:
            StatusGraph(
                Inputs({k: SystemInput(depends=tuple(v)) for k, v in depends.items()}, {}, {}, {})
            )
            return
        except CycleError as exc:
            cycle = [str(k) for k in exc.cycle]
        start = next((i for i in range(len(cycle) - 1) if (cycle[i], cycle[i + 1]) in paths), 0)
        ring = [*cycle[start:-1], *cycle[:start], cycle[start]]
        path = paths.get((ring[0], ring[1]), ())
        reader.error(path, "dependency cycle: " + " -> ".join(_short(ring, ring[0])))
        depends[ring[0]] = [e for e in depends[ring[0]] if e.system != ring[1]]


def _kind(word: str) -> DependencyKind:
    return DependencyKind.SOFT if word == "soft" else DependencyKind.HARD


def _short(keys: list[str], home: str) -> list[str]:
    """Names as the file would write them from ``home``'s organisation."""
    org = home.partition("/")[0]
    return [k.partition("/")[2] if k.partition("/")[0] == org else k for k in keys]


def _check_removals(reader: Reader, spec: CatalogueSpec, outside: Outside) -> None:
    """Removing a system that another organisation depends on would silently
    cut that organisation's dependency: refuse, and say who needs it."""
    for org in spec.organisations:
        kept = {s.slug for s in org.systems}
        for (org_slug, system), users in sorted(outside.needed.items()):
            if org_slug == org.slug and system not in kept:
                path = reader.org_paths.get(org.slug, ())
                reader.error(
                    (*path, "systems"),
                    f"system {system!r} is missing, but other organisations depend on it"
                    f" ({', '.join(sorted(set(users)))}); keep it or remove those first",
                    key=True,
                )

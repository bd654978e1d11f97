"""What a service page says: every function x channel with its status in words, why,
and the help that applies, built from a :class:`Snapshot` like the overview
(:mod:`.overview`, whose lines and help it shares).
"""

from __future__ import annotations

from dataclasses import dataclass

from watwerkt.readmodel.values import Domain, Item, Service, Snapshot
from watwerkt.status.explain import explain

from .overview import (
    HelpView,
    Labels,
    Line,
    alternatives_of,
    localiser_of,
    note_view,
    notes_of,
    public_systems,
    service_line,
)
from .words import INSTRUCTION_KINDS, MEASURE_KINDS, Localiser, moment


@dataclass(frozen=True)
class Cell:
    level: str
    level_label: str
    qualifiers: tuple[str, ...]
    since: str
    expected: str


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell | None, ...]  # None: not offered through that channel


@dataclass(frozen=True)
class Explanation:
    label: str
    text: str


@dataclass(frozen=True)
class ServicePage:
    organisation: str
    org_slug: str
    domain: str
    as_of: str
    as_of_iso: str
    line: Line
    description: str
    url: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    explanations: tuple[Explanation, ...]
    notes: tuple[Explanation, ...]
    alternatives: tuple[HelpView, ...]
    instructions: tuple[HelpView, ...]
    measures: tuple[HelpView, ...]
    org_instructions: tuple[HelpView, ...]
    org_measures: tuple[HelpView, ...]


def _cell(item: Item, loc: Localiser) -> Cell:
    level = item.level
    working = level == "available"
    return Cell(
        level,
        loc.level(level),
        tuple(loc.qualifiers(item.status.get("qualifiers"))),
        "" if working else loc.since(item.status.get("since"), with_time=True),
        "" if working else loc.expected(item.status.get("expected")),
    )


def service_page(snapshot: Snapshot, service: Service, base: str) -> ServicePage:
    """A service in full: its function x channel matrix, why, and what to do."""
    loc = localiser_of(snapshot)
    labels = Labels(service, loc)
    channel_keys: dict[int, tuple[int, str]] = {}  # channel id (0: any) -> (position, label)
    for item in service.items:
        key = item.channel.id if item.channel else 0
        position = item.channel.position if item.channel else -1
        channel_keys.setdefault(key, (position, labels.channel(item)))
    order = sorted(channel_keys, key=lambda k: (channel_keys[k][0], k))
    rows = []
    for function in service.functions:
        by_channel = {(i.channel.id if i.channel else 0): i for i in function.items}
        rows.append(
            Row(
                loc.text(service.name) if function.implicit else labels.function(function),
                tuple(_cell(by_channel[k], loc) if k in by_channel else None for k in order),
            )
        )
    systems = public_systems(snapshot, loc)
    explanations = tuple(
        Explanation(labels.item(i), explain(i.status, systems, public=True))
        for i in service.items
        if i.status.get("causes")
    )
    notes = tuple(
        Explanation(labels.item(i), loc.text(i.note)) for i in service.items if loc.text(i.note)
    )
    domain = next((d for d in snapshot.domains if d.id == service.domain_id), None)
    return ServicePage(
        organisation=loc.text(snapshot.organisation.name) or snapshot.organisation.slug,
        org_slug=snapshot.organisation.slug,
        domain=_domain_name(domain, loc),
        as_of=moment(snapshot.as_of),
        as_of_iso=snapshot.as_of.isoformat() if snapshot.as_of else "",
        line=service_line(service, loc, base),
        description=loc.text(service.description),
        url=service.url,
        columns=tuple(channel_keys[k][1] for k in order),
        rows=tuple(rows),
        explanations=explanations,
        notes=notes,
        alternatives=alternatives_of(service, labels),
        instructions=notes_of(service.instructions, INSTRUCTION_KINDS, labels),
        measures=notes_of(service.measures, MEASURE_KINDS, labels),
        org_instructions=tuple(
            note_view(n, INSTRUCTION_KINDS, loc, "") for n in snapshot.instructions
        ),
        org_measures=tuple(note_view(n, MEASURE_KINDS, loc, "") for n in snapshot.measures),
    )


def _domain_name(domain: Domain | None, loc: Localiser) -> str:
    return (loc.text(domain.name) or domain.slug) if domain else ""

"""What the overview and the press overview say, built from a :class:`Snapshot`.

Every rule about *what* to show lives here — which group a service falls
in, when to spell out functions or channels, which expected return to
quote, which help belongs to which line — so templates and text renderers
only lay it out. Results are plain values in the active language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from watwerkt.engine import Level, Status, rollup
from watwerkt.readmodel.load import no_gc_pauses
from watwerkt.readmodel.values import (
    Alternative,
    Function,
    Item,
    Note,
    Service,
    Snapshot,
    StatusValue,
)
from watwerkt.status.explain import SystemName

from .foreign import fmt, languages_of
from .words import (
    ALTERNATIVE_KINDS,
    INSTRUCTION_KINDS,
    MEASURE_KINDS,
    Localiser,
    kind_label,
    moment,
)

# The groups of the overview, in the order the seed article uses, and where
# each level goes: maintenance does not work now, so it is listed with what
# does not work (labelled as maintenance); unknown gets a group of its own
# rather than being guessed into another.
GROUP_KEYS = ("works", "limited", "down", "unknown")
GROUP_OF_LEVEL = {
    "available": "works",
    "limited": "limited",
    "unavailable": "down",
    "maintenance": "down",
    "unknown": "unknown",
}
GROUP_TITLES: dict[str, Callable[[], str]] = {
    "works": lambda: _("Wat werkt"),
    "limited": lambda: _("Wat werkt met beperkingen"),
    "down": lambda: _("Wat werkt niet"),
    "unknown": lambda: _("Nog niet bekend"),
}
GROUP_QUESTIONS: dict[str, Callable[[], str]] = {
    "works": lambda: _("Wat werkt?"),
    "limited": lambda: _("Wat werkt met beperkingen?"),
    "down": lambda: _("Wat werkt niet?"),
    "unknown": lambda: _("Wat is nog niet bekend?"),
}


def group_of(level: str) -> str:
    return GROUP_OF_LEVEL.get(level, "unknown")


def combine(levels: Iterable[str]) -> str:
    """The level of a group of items, by the engine's own roll-up rule."""
    return rollup(Status(Level.parse(word)) for word in levels).level.word


@dataclass(frozen=True)
class Link:
    kind: str  # "url", "phone", "email"
    href: str
    label: str


@dataclass(frozen=True)
class HelpView:
    """An alternative, instruction or measure, ready to show."""

    kind: str
    kind_label: str
    text: str
    scope: str = ""  # "Afhalen" when it concerns one function or channel only
    channel: str = ""
    hours: str = ""
    links: tuple[Link, ...] = ()

    @property
    def languages(self) -> frozenset[str]:
        """Languages other than the page's in its texts (for the block's note)."""
        return languages_of(self.text, self.scope, self.channel, self.hours)


@dataclass(slots=True)  # not frozen: an overview makes thousands, and frozen costs time
class Part:
    """One function or channel of a service whose parts do not all work alike."""

    label: str
    level: str
    level_label: str
    qualifiers: tuple[str, ...]
    expected: str


@dataclass(slots=True)  # not frozen, see Part
class Line:
    """One service (or, in the press overview, one function) in a group."""

    key: str  # the service slug; "slug/function" for a function line
    name: str
    href: str
    level: str
    level_label: str
    qualifiers: tuple[str, ...]
    parts: tuple[Part, ...]
    since: str
    expected: str
    alternatives: tuple[HelpView, ...]
    instructions: tuple[HelpView, ...]

    @property
    def languages(self) -> frozenset[str]:
        """Languages other than the page's in the line's name and qualifiers
        (its parts and its help are blocks with notes of their own)."""
        return languages_of(self.name, self.qualifiers)

    @property
    def badge(self) -> str:
        """The level in words where the group's title does not already say it."""
        return self.level_label if self.level == "maintenance" else ""


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    question: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class DomainView:
    slug: str
    name: str
    groups: tuple[Group, ...]


@dataclass(frozen=True)
class ChangeView:
    name: str
    href: str
    at: str
    at_iso: str
    before: str
    after: str


@dataclass(frozen=True)
class Overview:
    organisation: str
    slug: str
    language: str
    as_of: str
    as_of_iso: str
    counts: tuple[tuple[str, str, int], ...]  # (group key, title, services)
    domains: tuple[DomainView, ...]
    alternatives: tuple[HelpView, ...]
    instructions: tuple[HelpView, ...]
    measures: tuple[HelpView, ...]
    changes: tuple[ChangeView, ...]
    changes_since: str
    revision: int


# -- help ---------------------------------------------------------------------------


def _alternative(alt: Alternative, loc: Localiser, scope: str) -> HelpView:
    links = []
    if alt.phone:
        tel = "".join(ch for ch in alt.phone if ch.isdigit() or ch == "+")
        links.append(Link("phone", f"tel:{tel}", alt.phone))
    if alt.email:
        links.append(Link("email", f"mailto:{alt.email}", alt.email))
    if alt.url:
        links.append(Link("url", alt.url, alt.url))
    return HelpView(
        alt.kind,
        loc.remember(("alt", alt.kind), lambda: kind_label(ALTERNATIVE_KINDS, alt.kind)),
        loc.text(alt.text),
        scope,
        loc.text(alt.channel.name) if alt.channel else "",
        loc.text(alt.hours),
        tuple(links),
    )


def note_view(
    note: Note, labels: Mapping[str, Callable[[], str]], loc: Localiser, scope: str
) -> HelpView:
    label = loc.remember((id(labels), note.kind), lambda: kind_label(labels, note.kind))
    return HelpView(note.kind, label, loc.text(note.text), scope)


class Labels:
    """Names of a service's functions and channels, for parts and scoped help."""

    def __init__(self, service: Service, loc: Localiser) -> None:
        self.loc = loc
        self.service = service

    @cached_property
    def functions(self) -> dict[int, Function]:
        return {f.id: f for f in self.service.functions}

    @cached_property
    def items(self) -> dict[int, Item]:
        return {i.id: i for i in self.service.items}

    def function(self, function: Function) -> str:
        if function.implicit:
            return self.loc.remember(
                ("implicit",), lambda: pgettext("implicit function", "Algemeen")
            )
        return self.loc.text(function.name) or function.slug

    def channel(self, item: Item) -> str:
        if item.channel is None:
            return self.loc.remember(("any channel",), lambda: _("alle kanalen"))
        return self.loc.text(item.channel.name) or item.channel.slug

    def item(self, item: Item) -> str:
        function = self.functions[item.function_id]
        if function.implicit or len(self.functions) == 1:
            return self.channel(item)  # the function goes without saying
        if len(function.items) == 1 and item.channel is None:
            return self.function(function)
        return fmt(
            "%(function)s (%(channel)s)",
            function=self.function(function),
            channel=self.channel(item),
        )

    def scope(self, function_id: int | None, item_id: int | None) -> str:
        if item_id is not None and item_id in self.items:
            return self.item(self.items[item_id])
        if function_id is not None and function_id in self.functions:
            return self.function(self.functions[function_id])
        return ""


Within = Callable[[int | None, int | None], bool]


def _everything(function_id: int | None, item_id: int | None) -> bool:
    return True


def alternatives_of(
    service: Service, labels: Labels, within: Within = _everything, hide_scope: str = ""
) -> tuple[HelpView, ...]:
    """The alternatives of ``service`` that ``within`` keeps, each naming the part
    it concerns (unless that is ``hide_scope``, the part the reader is looking at)."""
    if not service.alternatives:
        return ()
    found = []
    for a in service.alternatives:
        if within(a.function_id, a.item_id):
            scope = labels.scope(a.function_id, a.item_id)
            found.append(_alternative(a, labels.loc, "" if scope == hide_scope else scope))
    return tuple(found)


def notes_of(
    notes: Sequence[Note],
    kinds: Mapping[str, Callable[[], str]],
    labels: Labels,
    within: Within = _everything,
    hide_scope: str = "",
) -> tuple[HelpView, ...]:
    """Instructions or measures, as :func:`alternatives_of` picks alternatives."""
    found = []
    for n in notes:
        if within(n.function_id, n.item_id):
            scope = labels.scope(n.function_id, n.item_id)
            found.append(note_view(n, kinds, labels.loc, "" if scope == hide_scope else scope))
    return tuple(found)


# -- lines --------------------------------------------------------------------------


def _alike(items: Sequence[Item]) -> bool:
    first = items[0].status
    level, qualifiers = first["level"], first.get("qualifiers")
    return all(
        i.status["level"] == level and i.status.get("qualifiers") == qualifiers for i in items[1:]
    )


def _common_expected(items: Iterable[Item]) -> Mapping[str, str] | None:
    """The expected return of what does not work, when all of it agrees on one."""
    values = [i.status.get("expected") for i in items if i.level != "available"]
    if values and all(v == values[0] for v in values[1:]):
        return values[0]
    return None


def _part(label: str, status: StatusValue, loc: Localiser, with_expected: bool) -> Part:
    level = str(status["level"])
    qualifiers = status.get("qualifiers")
    return Part(
        label,
        level,
        loc.level(level),
        tuple(loc.qualifiers(qualifiers)) if qualifiers else (),
        loc.expected(status.get("expected")) if with_expected and level != "available" else "",
    )


def parts(
    functions: Sequence[Function], items: Sequence[Item], labels: Labels, detail: bool
) -> tuple[Part, ...]:
    """The functions (or channels) of a service that differ, each with its own status.

    Empty when everything works alike. A function whose channels agree is one
    part; otherwise each of its channels is. ``detail`` adds the expected
    return to each part (when the line cannot quote one for all).
    """
    if len(items) < 2 or _alike(items):
        return ()
    found: list[Part] = []
    for function in functions:
        if not function.items:
            continue
        if len(function.items) == 1 or _alike(function.items):
            found.append(
                _part(labels.function(function), function.items[0].status, labels.loc, detail)
            )
        else:
            found.extend(
                _part(labels.item(i), i.status, labels.loc, detail) for i in function.items
            )
    return tuple(found)


def _line(
    key: str,
    name: str,
    href: str,
    level: str,
    since: str | None,
    functions: Sequence[Function],
    items: Sequence[Item],
    labels: Labels,
    within: Within = _everything,
    hide_scope: str = "",
) -> Line:
    loc = labels.loc
    working = level == "available"
    expected = None if working else _common_expected(items)
    found = parts(functions, items, labels, detail=expected is None)
    qualifiers = () if found or not items else loc.qualifiers(items[0].status.get("qualifiers"))
    service = labels.service
    return Line(
        key,
        name,
        href,
        level,
        loc.level(level),
        tuple(qualifiers),
        found,
        "" if working else loc.since(since),
        "" if working else loc.expected(expected),
        alternatives_of(service, labels, within, hide_scope),
        notes_of(service.instructions, INSTRUCTION_KINDS, labels, within, hide_scope)
        if service.instructions
        else (),
    )


def service_line(service: Service, loc: Localiser, base: str) -> Line:
    """A service as one line of the overview, its differing parts spelled out."""
    labels = Labels(service, loc)
    # Help for the only function of a service concerns the whole line.
    only = labels.function(service.functions[0]) if len(service.functions) == 1 else ""
    return _line(
        service.slug,
        loc.text(service.name) or service.slug,
        f"{base}{service.slug}/",
        service.level,
        service.status.get("since"),
        service.functions,
        service.items,
        labels,
        hide_scope=only,
    )


def press_lines(service: Service, loc: Localiser, base: str) -> list[Line]:
    """A service as the press overview lists it: one line, or one per function
    when its functions do not all work alike ("aanvragen werkt, afhalen niet")."""
    functions = [f for f in service.functions if f.items]
    if len(functions) < 2 or _alike(service.items):
        return [service_line(service, loc, base)]
    labels = Labels(service, loc)
    name = loc.text(service.name) or service.slug
    return [_function_line(service, f, name, labels, base) for f in functions]


def _function_line(
    service: Service, function: Function, name: str, labels: Labels, base: str
) -> Line:
    ids = {i.id for i in function.items}

    def within(function_id: int | None, item_id: int | None) -> bool:
        """Help for the whole service, this function, or one of its channels."""
        if function_id is None and item_id is None:
            return True
        return function_id == function.id or item_id in ids

    since = min(
        (
            str(i.status["since"])
            for i in function.items
            if i.level != "available" and i.status.get("since")
        ),
        default=None,
    )
    label = labels.function(function)
    return _line(
        f"{service.slug}/{function.slug}",
        fmt("%(name)s \N{EN DASH} %(label)s", name=name, label=label.lower()),
        f"{base}{service.slug}/",
        combine(i.level for i in function.items),
        since,
        [function],
        function.items,
        labels,
        within,
        hide_scope=label,
    )


def grouped(lines: Iterable[Line]) -> tuple[Group, ...]:
    """Lines into the groups of the overview, empty groups left out."""
    by_group: dict[str, list[Line]] = {key: [] for key in GROUP_KEYS}
    for line in lines:
        by_group[group_of(line.level)].append(line)
    return tuple(
        Group(key, GROUP_TITLES[key](), GROUP_QUESTIONS[key](), tuple(by_group[key]))
        for key in GROUP_KEYS
        if by_group[key]
    )


# -- the overview -----------------------------------------------------------------------


def _domains(
    snapshot: Snapshot, loc: Localiser, lines: Callable[[Service], Iterable[Line]]
) -> tuple[DomainView, ...]:
    return tuple(
        DomainView(
            d.slug,
            loc.text(d.name) or d.slug,
            grouped(line for s in d.services for line in lines(s)),
        )
        for d in snapshot.domains
        if d.services
    )


def localiser_of(snapshot: Snapshot) -> Localiser:
    """Pick texts in the active language, falling back to the organisation's."""
    fallback = snapshot.organisation.language
    return Localiser((get_language() or fallback)[:2], fallback)


def overview(snapshot: Snapshot, base: str, press: bool = False) -> Overview:
    """The whole overview in the active language; ``base`` is the organisation's URL.

    ``press`` splits services whose functions differ into one line per function.
    """
    with no_gc_pauses():
        return _overview(snapshot, base, press)


def _overview(snapshot: Snapshot, base: str, press: bool) -> Overview:
    loc = localiser_of(snapshot)
    if press:
        domains = _domains(snapshot, loc, lambda s: press_lines(s, loc, base))
    else:
        domains = _domains(snapshot, loc, lambda s: (service_line(s, loc, base),))
    org = snapshot.organisation
    counts: dict[str, int] = dict.fromkeys(GROUP_KEYS, 0)
    for service in snapshot.services.values():
        counts[group_of(service.level)] += 1
    return Overview(
        organisation=loc.text(org.name) or org.slug,
        slug=org.slug,
        language=loc.language,
        as_of=moment(snapshot.as_of),
        as_of_iso=snapshot.as_of.isoformat() if snapshot.as_of else "",
        counts=tuple((k, GROUP_TITLES[k](), counts[k]) for k in GROUP_KEYS if counts[k]),
        domains=domains,
        alternatives=tuple(_alternative(a, loc, "") for a in snapshot.alternatives),
        instructions=tuple(note_view(n, INSTRUCTION_KINDS, loc, "") for n in snapshot.instructions),
        measures=tuple(note_view(n, MEASURE_KINDS, loc, "") for n in snapshot.measures),
        changes=changes(snapshot, loc, base),
        changes_since=moment(snapshot.changes_since),
        revision=snapshot.revision.number,
    )


def changes(snapshot: Snapshot, loc: Localiser, base: str) -> tuple[ChangeView, ...]:
    services = snapshot.service_by_id()
    return tuple(
        ChangeView(
            loc.text(s.name) or s.slug,
            f"{base}{s.slug}/",
            loc.moment(c.at),
            c.at.isoformat(),
            loc.level(str(c.before["level"])),
            loc.level(str(c.after["level"])),
        )
        for c in snapshot.changes
        if (s := services.get(c.service_id)) is not None
    )


def public_systems(snapshot: Snapshot, loc: Localiser) -> dict[int, SystemName]:
    return {pk: SystemName(loc.text(s.name), s.public) for pk, s in snapshot.systems.items()}

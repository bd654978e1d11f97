"""The impact of a system change before it is made, and what restoring each system
would bring back.

:func:`preview` says which systems, organisations, domains, services and
function x channel items would change level, before -> after, narrowed to
what the person asking may see. :func:`apply` then makes exactly that
change: inside the write it compares what the change really does with the
preview the person confirmed (:attr:`Impact.digest`) and, when the catalogue
moved in between so that the impact differs, rolls back and raises
:class:`ImpactMoved` with the new preview. A revision that moved for an
unrelated reason (another service's status) does not stop the confirm:
during a recovery the revision changes every few seconds, and what the
person agreed to is the impact, not the revision number.

:func:`restorations` counts, per system that is not up, what would come back
if that system alone were restored now (the engine's ``preview_system`` to
``up``), and how many items it helps to hold down now. Computed once per
catalogue revision and kept.
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from watwerkt.catalogue.models import Organisation, System
from watwerkt.engine import Cause, Change, Level, Status, StatusGraph, SystemState

from .graphs import graphs
from .report import change_lines
from .revision import RevisionState, revision_state
from .services import SystemChange, apply_system, preview_system
from .values import expected_to_json
from .writing import Actor, writing

ORDER = ("system", "organisation", "domain", "service", "item")
LEVEL_RANK = {level.word: int(level) for level in Level}
STATE_RANK = {state.word: int(state) for state in SystemState}


@dataclass(frozen=True)
class ImpactLine:
    subject: str  # system, organisation, domain, service or item
    organisation_id: int | None
    path: str  # as status events write it: antwerpen/sporthal/reserveren/website
    before: str  # a level (a state for systems); "-" for none
    after: str

    @property
    def better(self) -> bool:
        ranks = STATE_RANK if self.subject == "system" else LEVEL_RANK
        return ranks.get(self.after, 99) < ranks.get(self.before, 99)


@dataclass(frozen=True)
class Impact:
    """What a system change does, as far as the person asking may see."""

    system_id: int
    change: SystemChange
    revision: int  # the catalogue revision the impact was worked out at
    lines: tuple[ImpactLine, ...]
    hidden: int = 0  # lines in organisations (or systems) the person may not see

    def of(self, subject: str) -> tuple[ImpactLine, ...]:
        return tuple(line for line in self.lines if line.subject == subject)

    @property
    def digest(self) -> str:
        """A short fingerprint of the change and its visible impact, for the confirm step."""
        said = [
            self.change.state.word,
            repr(expected_to_json(self.change.expected)),
            repr(sorted(self.change.note.items())),
        ]
        said += [f"{x.subject} {x.path} {x.before} {x.after}" for x in self.lines]
        return hashlib.sha256("\n".join(said).encode()).hexdigest()[:20]


class ImpactMoved(Exception):
    """The catalogue changed since the preview and the impact is no longer what was
    confirmed; nothing was written. ``impact`` is the new preview."""

    def __init__(self, impact: Impact) -> None:
        super().__init__("the impact changed since the preview")
        self.impact = impact


def _lines(
    changes: Iterable[Change],
    organisation_ids: Collection[int] | None,
    system_ids: Collection[int] | None,
) -> tuple[tuple[ImpactLine, ...], int]:
    raw = change_lines(changes)
    slugs = {line.path.split("/", 1)[0] for line in raw}
    org_ids = dict(Organisation.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    system_keys: set[str] = set()
    if system_ids is not None:
        rows = System.objects.filter(pk__in=system_ids).values_list("organisation__slug", "slug")
        system_keys = {f"{owner}/{slug}" for owner, slug in rows}
    shown, hidden = [], 0
    for line in raw:
        org = org_ids.get(line.path.split("/", 1)[0])
        if line.subject == "system":
            visible = system_ids is None or line.path in system_keys
        else:
            visible = organisation_ids is None or org in organisation_ids
        if visible:
            shown.append(ImpactLine(line.subject, org, line.path, line.before, line.after))
        else:
            hidden += 1
    shown.sort(key=lambda x: (ORDER.index(x.subject), x.path))
    return tuple(shown), hidden


def preview(
    system: System,
    change: SystemChange,
    organisation_ids: Collection[int] | None = None,
    system_ids: Collection[int] | None = None,
) -> Impact:
    """What setting ``change`` on ``system`` would change, writing nothing. Only
    lines of ``organisation_ids`` and systems among ``system_ids`` are shown
    (None: all); the others are counted in :attr:`Impact.hidden`."""
    previewed = preview_system(system, change)
    lines, hidden = _lines(previewed.changes, organisation_ids, system_ids)
    return Impact(system.pk, change, previewed.revision.number, lines, hidden)


def apply(
    system: System,
    change: SystemChange,
    actor: Actor,
    note: str = "",
    *,
    confirmed: str,
    organisation_ids: Collection[int] | None = None,
    system_ids: Collection[int] | None = None,
) -> Impact:
    """Set ``change`` on ``system`` if it does what the preview with digest
    ``confirmed`` said; else write nothing and raise :class:`ImpactMoved`."""
    with writing(actor, note, statuses_only=True) as write:
        system.refresh_from_db()  # under the revision lock: the state as it is now
        apply_system(write, system, change)
        lines, hidden = _lines(write.changes, organisation_ids, system_ids)
        done = Impact(system.pk, change, write.previous.number, lines, hidden)
        if done.digest != confirmed:
            raise ImpactMoved(done)
    return done


# -- restoration order -------------------------------------------------------------------


@dataclass(frozen=True)
class Restoration:
    """Per organisation id: services and items whose level would improve if the
    system alone were restored now, and items it helps to hold down now."""

    system_id: int
    services_back: Mapping[int, int] = field(default_factory=dict)
    items_back: Mapping[int, int] = field(default_factory=dict)
    items_hit: Mapping[int, int] = field(default_factory=dict)

    def total(self, counts: Mapping[int, int], organisation_ids: Collection[int]) -> int:
        return sum(n for org, n in counts.items() if org in organisation_ids)


class RestorationCache:
    """Restorations of the latest revision asked for, each worked out on first use."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._revision: RevisionState | None = None
        self._found: dict[int, Restoration] = {}
        self.computed = 0  # how many were worked out, for tests

    def get(self, system_ids: Iterable[int]) -> dict[int, Restoration]:
        wanted = list(system_ids)
        with graphs.lock, self._lock:
            revision = revision_state()
            if revision != self._revision:
                self._revision, self._found = revision, {}
            missing = [pk for pk in wanted if pk not in self._found]
            if missing:
                graph = graphs.get(revision)
                hit = _items_hit(graph)
                for pk in missing:
                    if pk in graph.systems:
                        self._found[pk] = _restoration(graph, pk, hit.get(pk, {}))
                        self.computed += 1
            return {pk: self._found[pk] for pk in wanted if pk in self._found}

    def clear(self) -> None:
        with self._lock:
            self._revision, self._found = None, {}


restorations_cache = RestorationCache()


def restorations(system_ids: Iterable[int]) -> dict[int, Restoration]:
    """What restoring each of ``system_ids`` alone would bring back, per organisation."""
    return restorations_cache.get(system_ids)


def _org_of(graph: StatusGraph, subject: str, key: Any) -> Any:
    if subject == "item":
        key = graph.items[key].service
    if subject in ("item", "service"):
        key = graph.service_domain[key]
    return graph.domain_org[key]


def _restoration(graph: StatusGraph, pk: int, hit: Mapping[int, int]) -> Restoration:
    back: dict[str, Counter[int]] = {"service": Counter(), "item": Counter()}
    for change in graph.preview_system(pk, SystemState.UP, None, None):
        if change.subject in back and _improves(change):
            back[change.subject][_org_of(graph, change.subject, change.key)] += 1
    return Restoration(pk, dict(back["service"]), dict(back["item"]), dict(hit))


def _improves(change: Change) -> bool:
    before, after = change.before, change.after
    return isinstance(before, Status) and isinstance(after, Status) and after.level < before.level


def _items_hit(graph: StatusGraph) -> dict[int, dict[int, int]]:
    """Per system: per organisation, the items held down (derived) with it in their causes."""
    hit: dict[int, Counter[int]] = defaultdict(Counter)
    for key, status in graph.item_status.items():
        if status.derived:
            org = _org_of(graph, "item", key)
            for system in _systems_in(status.causes):
                hit[system][org] += 1
    return {system: dict(counts) for system, counts in hit.items()}


def _systems_in(causes: Iterable[Cause]) -> set[int]:
    found: set[int] = set()
    stack = list(causes)
    while stack:
        cause = stack.pop()
        found.add(int(cause.system))  # type: ignore[call-overload]
        stack.extend(cause.via)
    return found

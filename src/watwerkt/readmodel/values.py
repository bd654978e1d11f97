"""The public read model's values: one organisation as plain, frozen objects.

One :class:`Snapshot` holds one organisation as of one catalogue revision:
domains, services, functions, channels, items with their effective status,
alternatives, instructions, measures, the recent service changes and the
names of the systems that explanations may mention. Pages, the press
overview, the APIs and the feeds all read from it; nothing here writes.
:mod:`.load` reads a snapshot from the database, :mod:`.follow` brings one up
to the next revision, :mod:`.snapshot` keeps one per organisation and process.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from watwerkt.status.revision import RevisionState, Watermark

Texts = Mapping[str, str]  # {"nl": "...", "fr": "..."}
StatusValue = Mapping[str, Any]  # the stored form, see watwerkt.status.values.status_to_json

# A status for something the engine has not (yet) computed: say so, don't guess.
UNKNOWN_STATUS: StatusValue = {
    "level": "unknown",
    "qualifiers": [],
    "since": None,
    "expected": None,
    "derived": False,
    "pinned": False,
    "causes": [],
    "counts": {},
}


@dataclass(frozen=True, slots=True)
class Channel:
    id: int
    slug: str
    kind: str
    name: Texts
    position: int


@dataclass(frozen=True, slots=True)
class Alternative:
    kind: str
    text: Texts
    channel: Channel | None
    url: str
    phone: str
    email: str
    hours: Texts
    function_id: int | None  # narrowed to one function (every channel)
    item_id: int | None  # narrowed to one function x channel


@dataclass(frozen=True, slots=True)
class Note:
    """An instruction or a measure: a kind and a text, optionally narrowed."""

    kind: str
    text: Texts
    function_id: int | None
    item_id: int | None


@dataclass(frozen=True, slots=True)
class Item:
    """A function as reached through one channel (``channel`` None: any channel)."""

    id: int
    function_id: int
    channel: Channel | None
    status: StatusValue
    note: Texts
    level: str  # status["level"], read often enough to keep at hand


@dataclass(frozen=True, slots=True)
class Function:
    id: int
    slug: str
    name: Texts
    items: tuple[Item, ...]

    @property
    def implicit(self) -> bool:
        return self.slug == ""


@dataclass(frozen=True, slots=True)
class Service:
    id: int
    slug: str
    name: Texts
    description: Texts
    url: str
    keywords: tuple[str, ...]
    audience: tuple[str, ...]
    domain_id: int
    status: StatusValue
    functions: tuple[Function, ...]
    alternatives: tuple[Alternative, ...]
    instructions: tuple[Note, ...]
    measures: tuple[Note, ...]
    items: tuple[Item, ...]  # every function's items, in order
    level: str  # status["level"]


@dataclass(frozen=True, slots=True)
class Domain:
    id: int
    slug: str
    name: Texts
    status: StatusValue
    services: tuple[Service, ...]


@dataclass(frozen=True, slots=True)
class SystemInfo:
    """What the public side may know of a system: its name only when it is public."""

    name: Texts
    public: bool


@dataclass(frozen=True, slots=True)
class ServiceChange:
    """A service's effective status moving from ``before`` to ``after`` at ``at``."""

    service_id: int
    at: datetime
    before: StatusValue
    after: StatusValue


@dataclass(frozen=True, slots=True)
class OrganisationInfo:
    id: int
    slug: str
    name: Texts
    language: str
    time_zone: str
    url: str


@dataclass(frozen=True)
class Snapshot:
    revision: RevisionState
    organisation: OrganisationInfo
    status: StatusValue
    domains: tuple[Domain, ...]
    alternatives: tuple[Alternative, ...]  # organisation-wide
    instructions: tuple[Note, ...]
    measures: tuple[Note, ...]
    systems: Mapping[int, SystemInfo]
    changes: tuple[ServiceChange, ...]  # most recent first
    changes_since: datetime | None
    # What following the next status change needs (watwerkt.readmodel.follow), not content:
    # how far the data reaches, and how many statuses cite each system in `systems`.
    watermark: Watermark | None = field(default=None, compare=False, repr=False)
    cited: Mapping[int, int] = field(default_factory=dict, compare=False, repr=False)
    services: Mapping[str, Service] = field(init=False)

    def __post_init__(self) -> None:
        by_slug = {s.slug: s for d in self.domains for s in d.services}
        object.__setattr__(self, "services", by_slug)

    @property
    def as_of(self) -> datetime | None:
        return self.revision.changed_at

    def service(self, slug: str) -> Service | None:
        return self.services.get(slug)

    def service_by_id(self) -> dict[int, Service]:
        return {s.id: s for s in self.services.values()}


class OrganisationEntry(NamedTuple):
    slug: str
    name: Texts
    language: str

"""A checked catalogue as plain values: what the import writes.

The reader turns the YAML (or a generated dict) into these once, after every
check has passed, so the import never interprets raw YAML and never meets a
value that could still be wrong. Texts are ``{language: text}``; statuses
are the same :class:`ManualStatus` / :class:`SystemChange` values the CLI and
the console write through.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from watwerkt.status.services import SystemChange
from watwerkt.status.values import ManualStatus

Texts = dict[str, str]


@dataclass(frozen=True)
class DependencySpec:
    organisation: str  # the organisation owning the system
    system: str
    kind: str = "hard"


@dataclass(frozen=True)
class AttachedSpec:
    """An alternative, instruction or measure (the last two use kind and text only)."""

    kind: str
    text: Texts
    channel: str | None = None
    url: str = ""
    phone: str = ""
    email: str = ""
    hours: Texts = field(default_factory=dict)


@dataclass
class EntrySpec:
    """A function reached through one channel (``None``: any channel)."""

    channel: str | None
    status: ManualStatus | None  # the most specific status the file states, or None
    depends: list[DependencySpec] = field(default_factory=list)
    alternatives: list[AttachedSpec] = field(default_factory=list)


@dataclass
class FunctionSpec:
    slug: str  # "" for a service's implicit function
    name: Texts
    entries: list[EntrySpec]
    depends: list[DependencySpec] = field(default_factory=list)
    alternatives: list[AttachedSpec] = field(default_factory=list)


@dataclass
class ServiceSpec:
    slug: str
    name: Texts
    functions: list[FunctionSpec]
    description: Texts = field(default_factory=dict)
    keywords: list[str] = field(default_factory=list)
    audience: list[str] = field(default_factory=list)
    url: str = ""
    depends: list[DependencySpec] = field(default_factory=list)
    alternatives: list[AttachedSpec] = field(default_factory=list)
    instructions: list[AttachedSpec] = field(default_factory=list)
    measures: list[AttachedSpec] = field(default_factory=list)


@dataclass
class DomainSpec:
    slug: str
    name: Texts
    services: list[ServiceSpec] = field(default_factory=list)


@dataclass
class SystemSpec:
    slug: str
    name: Texts
    kind: str = "application"
    description: Texts = field(default_factory=dict)
    public: bool = False
    illustrative: bool = False
    status: SystemChange | None = None
    depends: list[DependencySpec] = field(default_factory=list)
    recovery_priority: int | None = None
    recovery_owner: str = ""
    recovery_target: date | None = None
    recovery_steps: list[str] = field(default_factory=list)


@dataclass
class ChannelSpec:
    slug: str
    kind: str
    name: Texts


@dataclass
class OrganisationSpec:
    slug: str
    name: Texts
    language: str = "nl"
    time_zone: str = "Europe/Brussels"
    url: str = ""
    channels: list[ChannelSpec] = field(default_factory=list)
    systems: list[SystemSpec] = field(default_factory=list)
    domains: list[DomainSpec] = field(default_factory=list)
    instructions: list[AttachedSpec] = field(default_factory=list)
    measures: list[AttachedSpec] = field(default_factory=list)


@dataclass
class CatalogueSpec:
    organisations: list[OrganisationSpec]

    def count(self) -> dict[str, int]:
        """How many of each kind, for a one-line summary."""
        services = [s for o in self.organisations for d in o.domains for s in d.services]
        return {
            "organisations": len(self.organisations),
            "systems": sum(len(o.systems) for o in self.organisations),
            "domains": sum(len(o.domains) for o in self.organisations),
            "services": len(services),
            "function x channels": sum(len(f.entries) for s in services for f in s.functions),
        }

"""Export the stored catalogue as canonical YAML.

Canonical means: the same catalogue always gives the same text (keys in the
order of docs/catalogue.md, lists in display order, dependencies sorted,
defaults left out), and importing the text changes nothing. Every status is
written, once, at the most general level where everything below agrees: on
the service when all its function x channels have the same status, else on
each function where its channels agree, else on each channel entry.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from watwerkt.catalogue.models import (
    Alternative,
    Channel,
    Dependency,
    Domain,
    Function,
    FunctionChannel,
    Instruction,
    Measure,
    Organisation,
    Service,
    System,
)
from watwerkt.engine import Expected
from watwerkt.lib.i18n import LANGUAGES
from watwerkt.status.values import ManualStatus, expected_from_json, manual_from_row

from .yamlio import Flow, dump_yaml

Node = dict[str, Any]


# Each kind of dependent: its column, and how to find those of one organisation.
_DEPENDENTS = {
    "system": ("dependent_system_id", "dependent_system__organisation"),
    "service": ("service_id", "service__organisation"),
    "function": ("function_id", "function__service__organisation"),
    "entry": ("function_channel_id", "function_channel__function__service__organisation"),
}


class UnknownOrganisation(LookupError):
    pass


def export_catalogue(organisations: Sequence[str] | None = None) -> str:
    """The catalogue of ``organisations`` (ids; all when None) as YAML text."""
    orgs = list(Organisation.objects.all())
    if organisations is not None:
        missing = sorted(set(organisations) - {o.slug for o in orgs})
        if missing:
            raise UnknownOrganisation(f"unknown organisation: {', '.join(missing)}")
        orgs = [o for o in orgs if o.slug in organisations]
    header = "# yaml-language-server: $schema=./catalogue.schema.json\n"
    data = {"watwerkt": 1, "organisations": [_Exporter(o).organisation() for o in orgs]}
    return header + dump_yaml(data)


class _Exporter:
    """One organisation, loaded with one query per kind."""

    def __init__(self, org: Organisation) -> None:
        self.org = org
        self.zone = ZoneInfo(org.time_zone)
        self.channels = {c.pk: c.slug for c in Channel.objects.filter(organisation=org)}
        self.entries: dict[int, list[FunctionChannel]] = defaultdict(list)
        for e in FunctionChannel.objects.filter(function__service__organisation=org):
            self.entries[e.function_id].append(e)
        self.functions: dict[int, list[Function]] = defaultdict(list)
        for f in Function.objects.filter(service__organisation=org):
            self.functions[f.service_id].append(f)
        self.depends = self._dependencies()
        self.attached = self._attached()

    def _dependencies(self) -> dict[tuple[str, int], list[Any]]:
        """Dependencies by (kind of dependent, its pk), as the file writes them."""
        found: dict[tuple[str, int], list[tuple[str, Any]]] = defaultdict(list)
        for dependent, (column, lookup) in _DEPENDENTS.items():
            rows = Dependency.objects.filter(**{lookup: self.org.pk}).values_list(
                column, "kind", "system__organisation__slug", "system__slug"
            )
            for pk, kind, org, slug in rows:
                ref = slug if org == self.org.slug else f"{org}/{slug}"
                written = ref if kind == "hard" else Flow(system=ref, kind=kind)
                found[(dependent, pk)].append((ref, written))
        return {
            key: [w for _, w in sorted(refs, key=lambda r: r[0])] for key, refs in found.items()
        }

    def _attached(self) -> dict[tuple[str, str, int | None], list[Node]]:
        """Alternatives, instructions and measures by (kind, owner kind, owner pk)."""
        found: dict[tuple[str, str, int | None], list[Node]] = defaultdict(list)
        for kind, model in (
            ("alternatives", Alternative),
            ("instructions", Instruction),
            ("measures", Measure),
        ):
            for row in model._default_manager.filter(organisation=self.org):
                owner: tuple[str, int | None]
                if row.function_channel_id:
                    owner = ("entry", row.function_channel_id)
                elif row.function_id:
                    owner = ("function", row.function_id)
                elif row.service_id:
                    owner = ("service", row.service_id)
                else:
                    owner = ("organisation", None)
                found[(kind, *owner)].append(self._attached_node(row))
        return found

    def _attached_node(self, row: Alternative | Instruction | Measure) -> Node:
        node: Node = {"kind": row.kind, "text": self.text(row.text)}
        if isinstance(row, Alternative):
            extra = {
                "channel": self.channels.get(row.channel_id) if row.channel_id else None,
                "url": row.url,
                "phone": row.phone,
                "email": row.email,
                "hours": self.text(row.hours),
            }
            node.update({k: v for k, v in extra.items() if v})
        return node

    # -- the tree ----------------------------------------------------------------

    def organisation(self) -> Node:
        org = self.org
        node: Node = {
            "id": org.slug,
            "name": self.text(org.name),
            "language": org.language,
            "time_zone": org.time_zone,
        }
        optional = {
            "url": org.url,
            "channels": [
                Flow(id=c.slug, kind=c.kind, name=self.text(c.name))
                for c in Channel.objects.filter(organisation=org)
            ],
            "systems": [self.system(s) for s in System.objects.filter(organisation=org)],
            "domains": [self.domain(d) for d in Domain.objects.filter(organisation=org)],
            "instructions": self.attached.get(("instructions", "organisation", None)),
            "measures": self.attached.get(("measures", "organisation", None)),
        }
        node.update({k: v for k, v in optional.items() if v})
        return node

    def system(self, system: System) -> Node:
        status: Node = {"state": system.state}
        status.update(self._when(system.since, expected_from_json(system.expected)))
        if system.note:
            status["note"] = self.text(system.note)
        recovery = {
            "priority": system.recovery_priority,
            "owner": system.recovery_owner,
            "target": system.recovery_target.isoformat() if system.recovery_target else None,
            "steps": system.recovery_steps,
        }
        node: Node = {"id": system.slug, "name": self.text(system.name)}
        optional = {
            "kind": system.kind if system.kind != "application" else None,
            "description": self.text(system.description),
            "public": system.public or None,
            "illustrative": system.illustrative or None,
            "status": status,
            "depends": self.depends.get(("system", system.pk)),
            "recovery": {k: v for k, v in recovery.items() if v} or None,
        }
        node.update({k: v for k, v in optional.items() if v})
        return node

    def domain(self, domain: Domain) -> Node:
        services = [self.service(s) for s in Service.objects.filter(domain=domain)]
        node: Node = {"id": domain.slug, "name": self.text(domain.name)}
        if services:
            node["services"] = services
        return node

    def service(self, service: Service) -> Node:
        functions = self.functions.get(service.pk, [])
        entries = [e for f in functions for e in self.entries.get(f.pk, [])]
        shared = _agreed(entries)
        node: Node = {"id": service.slug, "name": self.text(service.name)}
        optional: Node = {
            "description": self.text(service.description),
            "keywords": service.keywords,
            "audience": service.audience,
            "url": service.url,
            "status": self.status(shared) if shared else None,
            "depends": self.depends.get(("service", service.pk)),
        }
        implicit = len(functions) == 1 and functions[0].implicit
        if implicit:
            optional["depends"] = _merged(
                optional["depends"], self.depends.get(("function", functions[0].pk))
            )
            optional["channels"] = self.channel_entries(functions[0], write_status=not shared)
        else:
            optional["functions"] = [self.function(f, not shared) for f in functions]
        for kind in ("alternatives", "instructions", "measures"):
            optional[kind] = self.attached.get((kind, "service", service.pk))
        node.update({k: v for k, v in optional.items() if v})
        return node

    def function(self, function: Function, write_status: bool) -> Node:
        shared = _agreed(self.entries.get(function.pk, [])) if write_status else None
        node: Node = {"id": function.slug, "name": self.text(function.name)}
        optional = {
            "channels": self.channel_entries(function, write_status and not shared),
            "status": self.status(shared) if shared else None,
            "depends": self.depends.get(("function", function.pk)),
            "alternatives": self.attached.get(("alternatives", "function", function.pk)),
        }
        node.update({k: v for k, v in optional.items() if v})
        return node

    def channel_entries(self, function: Function, write_status: bool) -> list[Any] | None:
        entries = self.entries.get(function.pk, [])
        if len(entries) == 1 and entries[0].channel_id is None:
            return None  # "any channel" is what a function without channels means
        written: list[Any] = []
        for entry in entries:
            optional = {
                "status": self.status(manual_from_row(entry)) if write_status else None,
                "depends": self.depends.get(("entry", entry.pk)),
                "alternatives": self.attached.get(("alternatives", "entry", entry.pk)),
            }
            channel = self.channels.get(entry.channel_id or 0, "")
            extra = {k: v for k, v in optional.items() if v}
            written.append({"channel": channel, **extra} if extra else channel)
        return written

    # -- values ----------------------------------------------------------------------

    def status(self, status: ManualStatus) -> Node:
        node: Node = {"level": status.level.word}
        if status.qualifiers:
            node["qualifiers"] = [
                Flow(
                    code=q.code.value,
                    **({"text": self.text(q.text)} if q.text else {}),
                    **({"date": q.date} if q.date else {}),
                )
                if q.text or q.date
                else q.code.value
                for q in status.qualifiers
            ]
        node.update(self._when(status.since, status.expected))
        if status.pinned:
            node["pinned"] = True
        if status.note:
            node["note"] = self.text(status.note)
        return node

    def _when(self, since: datetime | None, expected: Expected | None) -> Node:
        node: Node = {}
        if since is not None:
            node["since"] = _moment(since, self.zone)
        if expected is not None:
            node["expected"] = expected.value or expected.kind
        return node

    def text(self, texts: dict[str, str]) -> str | Node | None:
        """A plain string when only the default language is there."""
        present = {code: texts[code] for code in LANGUAGES if texts.get(code)}
        if not present:
            return None
        if list(present) == [self.org.language]:
            return present[self.org.language]
        return present


def _agreed(entries: Iterable[FunctionChannel]) -> ManualStatus | None:
    """The one manual status all ``entries`` share, or None."""
    statuses = [manual_from_row(e) for e in entries]
    if not statuses:
        return None
    first = statuses[0].to_json()
    return statuses[0] if all(s.to_json() == first for s in statuses[1:]) else None


def _merged(first: list[Any] | None, second: list[Any] | None) -> list[Any] | None:
    return [*(first or []), *(second or [])] or None


def _moment(value: datetime, zone: ZoneInfo) -> str:
    """As short as exact: a date for local midnight, else a date-time with its
    offset (an hour that occurs twice when the clocks go back is still one
    moment), in minutes when there are no seconds."""
    local = value.astimezone(zone)
    if local.time() == time(0):
        return local.date().isoformat()
    spec = "minutes" if not local.second and not local.microsecond else "auto"
    return local.isoformat(timespec=spec)

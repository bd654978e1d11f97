"""Make the stored organisations equal to a checked catalogue, in bulk.

Rows are matched by their ids (slugs): channels, systems, domains and services
per organisation, functions per service, function x channels per function,
dependencies by what depends on which system. Alternatives, instructions and
measures have no ids and are matched by position under what they belong to.
Whatever matches is updated only where it differs, what is new is created,
and what the file no longer lists is removed, leaves first.

Everything is loaded with one query per kind and written with bulk
operations: a catalogue of 5,000 services costs a few dozen queries, not tens
of thousands.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models

from watwerkt.audit.models import AuditEntry
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
from watwerkt.lib.bulk import bulk_update
from watwerkt.status.paths import item_path
from watwerkt.status.services import apply_manual_many, apply_system_many
from watwerkt.status.writing import Write

from .spec import AttachedSpec, CatalogueSpec, DependencySpec, EntrySpec, ServiceSpec

M = TypeVar("M", bound=models.Model)
Key = tuple[str, ...]
DependencyKey = tuple[str, Key, Key]  # (kind of dependent, dependent, system)
BATCH = 1000

KINDS = (
    "organisations",
    "channels",
    "systems",
    "domains",
    "services",
    "functions",
    "function x channels",
    "dependencies",
    "alternatives",
    "instructions",
    "measures",
)
ATTACHED: dict[str, type[Alternative] | type[Instruction] | type[Measure]] = {
    "alternatives": Alternative,
    "instructions": Instruction,
    "measures": Measure,
}
# Each kind of dependent, and how to find those of some organisations.
DEPENDENTS = {
    "dependent_system": "dependent_system__organisation__in",
    "service": "service__organisation__in",
    "function": "function__service__organisation__in",
    "function_channel": "function_channel__function__service__organisation__in",
}


@dataclass
class Changes:
    """What one kind of row went through, as readable names."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.created or self.updated or self.removed)


@dataclass
class Wanted:
    """One row as the file wants it: its key, a readable name, and field values."""

    key: Hashable
    label: str
    values: dict[str, Any]


def label(key: Key) -> str:
    return "/".join(part or "-" for part in key)


def entry_label(key: Key) -> str:
    org, service, function, channel = key
    return item_path(org, service, function, channel or None)


class Stored:
    """The stored rows of the file's organisations, keyed like the file keys them."""

    def __init__(self, orgs: dict[str, Organisation]) -> None:
        self.org_ids = ids = [o.pk for o in orgs.values()]
        self.slug_of = slug = {o.pk: s for s, o in orgs.items()}
        self.channels = {(slug[r.organisation_id], r.slug): r for r in _of(Channel, ids)}
        self.systems = {(slug[r.organisation_id], r.slug): r for r in _of(System, ids)}
        self.domains = {(slug[r.organisation_id], r.slug): r for r in _of(Domain, ids)}
        self.services = {(slug[r.organisation_id], r.slug): r for r in _of(Service, ids)}
        by_id = _by_id(self.services)
        functions = Function.objects.filter(service__organisation__in=ids)
        self.functions = {(*by_id[r.service_id], r.slug): r for r in functions}
        fn_by_id, ch_by_id = _by_id(self.functions), _by_id(self.channels)
        entries = FunctionChannel.objects.filter(function__service__organisation__in=ids)
        self.entries = {
            (*fn_by_id[r.function_id], ch_by_id[r.channel_id][1] if r.channel_id else ""): r
            for r in entries
        }
        self.keys: dict[str, dict[int, Key]] = {
            "dependent_system": _by_id(self.systems),
            "service": by_id,
            "function": fn_by_id,
            "function_channel": _by_id(self.entries),
        }

    def owner(self, row: Alternative | Instruction | Measure) -> Key:
        """What an attached row belongs to, as ("kind", *key)."""
        if row.function_channel_id:
            return ("entry", *self.keys["function_channel"][row.function_channel_id])
        if row.function_id:
            return ("function", *self.keys["function"][row.function_id])
        if row.service_id:
            return ("service", *self.keys["service"][row.service_id])
        return ("organisation", self.slug_of[row.organisation_id])


def _of(model: type[M], org_ids: list[int]) -> Iterable[M]:
    return model._default_manager.filter(organisation__in=org_ids)


def _by_id(rows: Mapping[Any, M]) -> dict[int, Key]:
    return {row.pk: key for key, row in rows.items()}


class Sync:
    """One import's changes to the database, recorded in :attr:`changes`."""

    def __init__(self, spec: CatalogueSpec, write: Write) -> None:
        self.spec = spec
        self.write = write
        self.changes = {kind: Changes() for kind in KINDS}
        # (what, kind, label, before, after) of every row changed, for the audit trail
        self.audited: list[tuple[str, str, str, Any, Any]] = []
        self.stale: list[tuple[str, type[models.Model], dict[Any, Any], Callable[[Any], str]]] = []

    def run(self) -> None:
        orgs = self.organisations()
        stored = Stored(orgs)
        self.channels = self.upsert("channels", Channel, stored.channels, self.channel_rows(orgs))
        self.systems = self.upsert("systems", System, stored.systems, self.system_rows(orgs))
        self.domains = self.upsert("domains", Domain, stored.domains, self.domain_rows(orgs))
        self.services = self.upsert("services", Service, stored.services, self.service_rows(orgs))
        self.functions = self.upsert("functions", Function, stored.functions, self.function_rows())
        self.entries = self.upsert(
            "function x channels", FunctionChannel, stored.entries, self.entry_rows(), entry_label
        )
        self.dependencies(stored)
        for kind, model in ATTACHED.items():
            self.attached(kind, model, stored, orgs)
        self.statuses()
        self.remove()
        self.write.touched = any(self.changes.values())
        self.audit(orgs)

    def audit(self, orgs: dict[str, Organisation]) -> None:
        """One audit entry per row the import created, updated or removed, with the
        fields before and after, in the organisation the row belongs to (every
        label starts with its organisation's id). Status changes have their own
        trail: the status events of the same write."""
        write = self.write
        AuditEntry.objects.bulk_create(
            (
                AuditEntry(
                    at=write.now,
                    actor=write.actor.name,
                    source=write.actor.source,
                    organisation=orgs.get(name.split("/")[0].split(" ")[0]),
                    action=f"import.{what}",
                    target=f"{kind}: {name}",
                    before=before,
                    after=after,
                    note=write.note,
                )
                for what, kind, name, before, after in self.audited
            ),
            batch_size=BATCH,
        )

    # -- the generic part ------------------------------------------------------

    def upsert(
        self,
        kind: str,
        model: type[M],
        stored: dict[Any, M],
        wanted: Iterable[Wanted],
        name: Callable[[Any], str] = label,
    ) -> dict[Any, M]:
        """Create and update ``kind`` to match ``wanted``; what is left over is
        stale and removed at the end. Returns every wanted row by key."""
        rows: dict[Any, M] = {}
        left = dict(stored)
        create, update, fields = [], [], set()
        for want in wanted:
            row = left.pop(want.key, None)
            if row is None:
                row = model(**want.values)
                create.append(row)
                self.changes[kind].created.append(want.label)
                self.audited.append(("create", kind, want.label, None, plain(want.values)))
            else:
                differ = [f for f, v in want.values.items() if getattr(row, f) != v]
                if differ:
                    before = plain({f: getattr(row, f) for f in differ})
                    for f in differ:
                        setattr(row, f, want.values[f])
                    update.append(row)
                    fields.update(differ)
                    self.changes[kind].updated.append(want.label)
                    after = plain({f: want.values[f] for f in differ})
                    self.audited.append(("update", kind, want.label, before, after))
            rows[want.key] = row
        model._default_manager.bulk_create(create, batch_size=BATCH)
        bulk_update(update, sorted(fields))
        self.stale.append((kind, model, left, name))
        return rows

    def remove(self) -> None:
        """Delete stale rows, the most dependent kinds first: nothing cascades
        unseen, and a channel is free of its uses before it goes."""
        for kind, model, rows, name in reversed(self.stale):
            if not rows:
                continue
            self.changes[kind].removed.extend(sorted(name(key) for key in rows))
            self.audited.extend(
                ("remove", kind, name(key), plain(_fields(row)), None)
                for key, row in sorted(rows.items(), key=lambda kv: name(kv[0]))
            )
            ids = [row.pk for row in rows.values()]
            for start in range(0, len(ids), 5000):
                model._default_manager.filter(pk__in=ids[start : start + 5000]).delete()

    # -- rows per kind ---------------------------------------------------------

    def organisations(self) -> dict[str, Organisation]:
        stored = {o.slug: o for o in Organisation.objects.filter(slug__in=self._org_slugs())}
        wanted = [
            Wanted(
                (o.slug,),
                o.slug,
                {
                    "slug": o.slug,
                    "name": o.name,
                    "language": o.language,
                    "time_zone": o.time_zone,
                    "url": o.url,
                },
            )
            for o in self.spec.organisations
        ]
        keyed = {(slug,): row for slug, row in stored.items()}
        rows = self.upsert("organisations", Organisation, keyed, wanted)
        self.stale.pop()  # organisations missing from the file are left alone
        return {key[0]: row for key, row in rows.items()}

    def _org_slugs(self) -> list[str]:
        return [o.slug for o in self.spec.organisations]

    def channel_rows(self, orgs: dict[str, Organisation]) -> Iterator[Wanted]:
        for o in self.spec.organisations:
            for i, c in enumerate(o.channels):
                yield Wanted(
                    (o.slug, c.slug),
                    f"{o.slug}/{c.slug}",
                    {
                        "organisation_id": orgs[o.slug].pk,
                        "slug": c.slug,
                        "kind": c.kind,
                        "name": c.name,
                        "position": i,
                    },
                )

    def system_rows(self, orgs: dict[str, Organisation]) -> Iterator[Wanted]:
        for o in self.spec.organisations:
            for i, s in enumerate(o.systems):
                yield Wanted(
                    (o.slug, s.slug),
                    f"{o.slug}/{s.slug}",
                    {
                        "organisation_id": orgs[o.slug].pk,
                        "slug": s.slug,
                        "name": s.name,
                        "description": s.description,
                        "kind": s.kind,
                        "public": s.public,
                        "illustrative": s.illustrative,
                        "recovery_priority": s.recovery_priority,
                        "recovery_owner": s.recovery_owner,
                        "recovery_target": s.recovery_target,
                        "recovery_steps": s.recovery_steps,
                        "position": i,
                    },
                )

    def domain_rows(self, orgs: dict[str, Organisation]) -> Iterator[Wanted]:
        for o in self.spec.organisations:
            for i, d in enumerate(o.domains):
                yield Wanted(
                    (o.slug, d.slug),
                    f"{o.slug}/{d.slug}",
                    {
                        "organisation_id": orgs[o.slug].pk,
                        "slug": d.slug,
                        "name": d.name,
                        "position": i,
                    },
                )

    def service_rows(self, orgs: dict[str, Organisation]) -> Iterator[Wanted]:
        for org, domain, i, s in self._services():
            yield Wanted(
                (org, s.slug),
                f"{org}/{s.slug}",
                {
                    "organisation_id": orgs[org].pk,
                    "domain_id": self.domains[(org, domain)].pk,
                    "slug": s.slug,
                    "name": s.name,
                    "description": s.description,
                    "keywords": s.keywords,
                    "audience": s.audience,
                    "url": s.url,
                    "position": i,
                },
            )

    def _services(self) -> Iterator[tuple[str, str, int, ServiceSpec]]:
        for o in self.spec.organisations:
            for d in o.domains:
                for i, s in enumerate(d.services):
                    yield o.slug, d.slug, i, s

    def function_rows(self) -> Iterator[Wanted]:
        for org, _, _, s in self._services():
            for i, f in enumerate(s.functions):
                key = (org, s.slug, f.slug)
                yield Wanted(
                    key,
                    label(key),
                    {
                        "service_id": self.services[(org, s.slug)].pk,
                        "slug": f.slug,
                        "name": f.name,
                        "position": i,
                    },
                )

    def _entries(self) -> Iterator[tuple[Key, int, EntrySpec]]:
        for org, _, _, s in self._services():
            for f in s.functions:
                for i, e in enumerate(f.entries):
                    yield (org, s.slug, f.slug, e.channel or ""), i, e

    def entry_rows(self) -> Iterator[Wanted]:
        for key, i, e in self._entries():
            channel = self.channels[(key[0], e.channel)].pk if e.channel else None
            yield Wanted(
                key,
                entry_label(key),
                {
                    "function_id": self.functions[key[:3]].pk,
                    "channel_id": channel,
                    "position": i,
                },
            )

    # -- dependencies ------------------------------------------------------------

    def dependencies(self, stored: Stored) -> None:
        """Dependencies have no position: one per dependent and system, with a kind."""
        wanted = dict(self._wanted_dependencies())
        found = [
            (dependent, row)
            for dependent, lookup in DEPENDENTS.items()
            for row in Dependency.objects.filter(**{lookup: stored.org_ids})
        ]
        system_ids = self._system_ids({key[2] for key in wanted}, {r.system_id for _, r in found})
        key_of_system = {pk: key for key, pk in system_ids.items()}
        rows: dict[DependencyKey, Dependency] = {}
        for dependent, row in found:
            dependent_key = stored.keys[dependent][getattr(row, f"{dependent}_id")]
            rows[(dependent, dependent_key, key_of_system[row.system_id])] = row
        targets: dict[str, Mapping[Any, models.Model]] = {
            "dependent_system": self.systems,
            "service": self.services,
            "function": self.functions,
            "function_channel": self.entries,
        }
        rows_wanted = [
            Wanted(
                key,
                _dependency_label(key),
                {
                    f"{key[0]}_id": targets[key[0]][key[1]].pk,
                    "system_id": system_ids[key[2]],
                    "kind": kind,
                },
            )
            for key, kind in wanted.items()
        ]
        self.upsert("dependencies", Dependency, rows, rows_wanted, _dependency_label)

    def _wanted_dependencies(self) -> Iterator[tuple[DependencyKey, str]]:
        def each(dependent: str, key: Key, specs: list[DependencySpec]) -> Iterator[Any]:
            for d in specs:
                yield (dependent, key, (d.organisation, d.system)), d.kind

        for o in self.spec.organisations:
            for s in o.systems:
                yield from each("dependent_system", (o.slug, s.slug), s.depends)
        for org, _, _, service in self._services():
            yield from each("service", (org, service.slug), service.depends)
            for f in service.functions:
                yield from each("function", (org, service.slug, f.slug), f.depends)
                for e in f.entries:
                    key = (org, service.slug, f.slug, e.channel or "")
                    yield from each("function_channel", key, e.depends)

    def _system_ids(self, named: set[Key], stored_ids: set[int]) -> dict[Key, int]:
        """Keys and primary keys of every system a dependency names, in the file
        or stored: the file's own, and those of other organisations."""
        ids = {key: row.pk for key, row in self.systems.items()}
        others = {org for org, _ in named} - set(self._org_slugs())
        stored_ids -= set(ids.values())  # stale systems of the file's organisations, too
        query = System.objects.filter(
            models.Q(organisation__slug__in=others) | models.Q(pk__in=stored_ids)
        )
        for org, slug, pk in query.values_list("organisation__slug", "slug", "pk"):
            ids[(org, slug)] = pk
        return ids

    # -- alternatives, instructions, measures ---------------------------------------

    def attached(
        self,
        kind: str,
        model: type[Alternative] | type[Instruction] | type[Measure],
        stored: Stored,
        orgs: dict[str, Organisation],
    ) -> None:
        """Matched by position under their owner: the third alternative of a
        service is the third one in the file, whatever its text says now."""
        rows: dict[Key, Any] = {}
        by_owner: dict[Key, list[Any]] = defaultdict(list)
        for row in model._default_manager.filter(organisation__in=[o.pk for o in orgs.values()]):
            by_owner[stored.owner(row)].append(row)
        for owner, owned in by_owner.items():
            owned.sort(key=lambda r: (r.position, r.pk))
            rows.update({(*owner, str(i)): row for i, row in enumerate(owned)})
        wanted = (
            Wanted(
                (*owner, str(i)),
                f"{label(owner[1:])} {kind}[{i}]",
                {
                    **self._owner_ids(owner, orgs),
                    **self._attached_values(kind, spec, owner[1]),
                    "position": i,
                },
            )
            for owner, specs in self._wanted_attached(kind)
            for i, spec in enumerate(specs)
        )
        self.upsert(kind, model, rows, wanted, lambda k: f"{label(k[1:-1])} {kind}[{k[-1]}]")

    def _wanted_attached(self, kind: str) -> Iterator[tuple[Key, list[AttachedSpec]]]:
        for o in self.spec.organisations:
            if kind != "alternatives":
                yield ("organisation", o.slug), getattr(o, kind)
        for org, _, _, s in self._services():
            yield ("service", org, s.slug), getattr(s, kind)
            if kind == "alternatives":
                for f in s.functions:
                    yield ("function", org, s.slug, f.slug), f.alternatives
                    for e in f.entries:
                        key = (org, s.slug, f.slug, e.channel or "")
                        yield ("entry", *key), e.alternatives

    def _owner_ids(self, owner: Key, orgs: dict[str, Organisation]) -> dict[str, int | None]:
        kind, key = owner[0], owner[1:]
        entry = self.entries[key] if kind == "entry" else None
        function = self.functions[key[:3]] if kind in ("entry", "function") else None
        service = self.services[key[:2]] if kind != "organisation" else None
        return {
            "organisation_id": orgs[key[0]].pk,
            "service_id": service.pk if service else None,
            "function_id": function.pk if function else None,
            "function_channel_id": entry.pk if entry else None,
        }

    def _attached_values(self, kind: str, spec: AttachedSpec, org: str) -> dict[str, Any]:
        values: dict[str, Any] = {"kind": spec.kind, "text": spec.text}
        if kind == "alternatives":
            channel = self.channels[(org, spec.channel)].pk if spec.channel else None
            values.update(
                channel_id=channel,
                url=spec.url,
                phone=spec.phone,
                email=spec.email,
                hours=spec.hours,
            )
        return values

    # -- statuses ------------------------------------------------------------------

    def statuses(self) -> None:
        """Statuses only where the file states one: a catalogue edit must not
        undo what the comms team set today (docs/catalogue.md, Status)."""
        items = [
            (self.entries[key], e.status) for key, _, e in self._entries() if e.status is not None
        ]
        apply_manual_many(self.write, items)
        systems = [
            (self.systems[(o.slug, s.slug)], s.status)
            for o in self.spec.organisations
            for s in o.systems
            if s.status is not None
        ]
        apply_system_many(self.write, systems)


def _fields(row: models.Model) -> dict[str, Any]:
    return {
        f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields if not f.primary_key
    }


def plain(value: Any) -> Any:
    """``value`` as JSON can hold it: dates as ISO text, model rows as their key."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def _dependency_label(key: DependencyKey) -> str:
    dependent, owner, system = key
    name = entry_label(owner) if dependent == "function_channel" else label(owner)
    return f"{name} -> {label(system)}"

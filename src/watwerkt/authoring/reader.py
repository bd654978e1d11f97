"""Read a schema-checked catalogue into :mod:`spec` values, checking what a
schema cannot: duplicate ids, unknown channels, impossible dates, expected
returns before their start, qualifiers without their text or date, texts
without the organisation's default language.

The reader runs even when the schema found errors, so that one run reports
everything; it therefore trusts nothing about types and skips what it cannot
read (the schema has already said why). System references and cycles need
the whole file and the database: :mod:`watwerkt.authoring.references`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.utils import timezone

from watwerkt.engine import Expected, Level, SystemState, UnknownWordError
from watwerkt.lib.i18n import DEFAULT_LANGUAGE, LANGUAGES
from watwerkt.lib.reserved import ORGANISATION_WORDS, SITE_WORDS
from watwerkt.status.services import SystemChange
from watwerkt.status.values import (
    ManualStatus,
    QualifierValue,
    expected_ends_before,
    parse_date,
    parse_datetime,
    parse_expected,
    parse_qualifier,
)

from .errors import Collector, Path
from .spec import (
    AttachedSpec,
    CatalogueSpec,
    ChannelSpec,
    DependencySpec,
    DomainSpec,
    EntrySpec,
    FunctionSpec,
    OrganisationSpec,
    ServiceSpec,
    SystemSpec,
    Texts,
)

DEFAULT_TIME_ZONE = "Europe/Brussels"


def items(node: Any, key: str, path: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """The mappings listed under ``node[key]``, with their paths; anything else is skipped."""
    values = node.get(key) if isinstance(node, dict) else None
    if isinstance(values, list):
        for i, value in enumerate(values):
            if isinstance(value, dict):
                yield (*path, key, i), value


def word(node: dict[str, Any], key: str, default: str = "") -> str:
    value = node.get(key)
    return value if isinstance(value, str) else default


def words(node: dict[str, Any], key: str) -> list[str]:
    value = node.get(key)
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


@dataclass(frozen=True)
class Written:
    """A dependency as written, and where: ``dependent`` is ``org/system`` for a
    system's own dependency, None for a service's, function's or channel's."""

    path: Path
    ref: str
    spec: DependencySpec
    organisation: str  # whose part of the file wrote it
    dependent: str | None


class Ids:
    """Ids seen in one scope; a second use is an error that points at the first."""

    def __init__(self, reader: Reader, what: str) -> None:
        self.reader, self.what = reader, what
        self.seen: dict[str, Path] = {}

    def add(self, value: object, path: Path) -> bool:
        if not isinstance(value, str):
            return False
        first = self.seen.setdefault(value, path)
        if first != path:
            where = self.reader.collector.positions.describe(first)
            self.reader.collector.add(path, f"duplicate {self.what} {value!r} (first at {where})")
            return False
        return True


class Reader:
    """One pass over the catalogue, collecting errors and building specs."""

    def __init__(self, collector: Collector) -> None:
        self.collector = collector
        self.now = timezone.now()
        self.language = DEFAULT_LANGUAGE
        self.channels: set[str] = set()
        self.org_slug = ""
        self.dependencies: list[Written] = []  # for the reference and cycle checks
        self.org_paths: dict[str, Path] = {}

    def error(self, path: Path, message: str, *, key: bool = False) -> None:
        self.collector.add(path, message, key=key)

    def read(self, data: Any) -> CatalogueSpec:
        orgs = Ids(self, "organisation id")
        specs = []
        for path, node in items(data, "organisations", ()):
            orgs.add(node.get("id"), (*path, "id"))
            self.not_reserved(node.get("id"), SITE_WORDS, (*path, "id"))
            specs.append(self.organisation(node, path))
        return CatalogueSpec(specs)

    def not_reserved(self, value: object, words: frozenset[str], path: Path) -> None:
        if isinstance(value, str) and value in words:
            self.error(
                path, f"'{value}' is a word the site uses in its own URLs; choose another id"
            )

    # -- organisation ----------------------------------------------------------

    def organisation(self, node: dict[str, Any], path: Path) -> OrganisationSpec:
        language = word(node, "language", DEFAULT_LANGUAGE)
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self.org_slug = word(node, "id")
        self.org_paths.setdefault(self.org_slug, path)
        zone = self.time_zone(node, path)
        # Dates without an offset mean local time where the organisation is.
        with timezone.override(ZoneInfo(zone)):
            spec = OrganisationSpec(
                slug=self.org_slug,
                name=self.text(node, "name", path),
                language=self.language,
                time_zone=zone,
                url=word(node, "url"),
                channels=self.channel_list(node, path),
                systems=[self.system(n, p) for p, n in self.unique(node, "systems", path)],
                instructions=self.attached(node, "instructions", path),
                measures=self.attached(node, "measures", path),
            )
            services = Ids(self, "service id")
            for domain_path, domain in self.unique(node, "domains", path):
                spec.domains.append(self.domain(domain, domain_path, services))
        return spec

    def time_zone(self, node: dict[str, Any], path: Path) -> str:
        zone = word(node, "time_zone", DEFAULT_TIME_ZONE)
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            close = difflib.get_close_matches(zone, sorted(available_timezones()), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            self.error((*path, "time_zone"), f"unknown time zone {zone!r}{hint}")
            return DEFAULT_TIME_ZONE
        return zone

    def unique(
        self, node: dict[str, Any], key: str, path: Path
    ) -> Iterator[tuple[Path, dict[str, Any]]]:
        """The items of a list whose ids must be unique in it."""
        ids = Ids(self, f"{key.rstrip('s')} id")
        for item_path, item in items(node, key, path):
            ids.add(item.get("id"), (*item_path, "id"))
            yield item_path, item

    def channel_list(self, node: dict[str, Any], path: Path) -> list[ChannelSpec]:
        specs = [
            ChannelSpec(word(n, "id"), word(n, "kind", "other"), self.text(n, "name", p))
            for p, n in self.unique(node, "channels", path)
        ]
        self.channels = {c.slug for c in specs}
        return specs

    # -- systems ---------------------------------------------------------------

    def system(self, node: dict[str, Any], path: Path) -> SystemSpec:
        slug = word(node, "id")
        raw = node.get("recovery")
        recovery: dict[str, Any] = raw if isinstance(raw, dict) else {}
        priority = recovery.get("priority")
        return SystemSpec(
            slug=slug,
            name=self.text(node, "name", path),
            kind=word(node, "kind", "application"),
            description=self.text(node, "description", path),
            public=node.get("public") is True,
            illustrative=node.get("illustrative") is True,
            status=self.system_status(node.get("status"), (*path, "status")),
            depends=self.depends(node, path, f"{self.org_slug}/{slug}"),
            recovery_priority=priority if type(priority) is int else None,
            recovery_owner=word(recovery, "owner"),
            recovery_target=self.date(recovery.get("target"), (*path, "recovery", "target")),
            recovery_steps=words(recovery, "steps"),
        )

    def system_status(self, node: Any, path: Path) -> SystemChange | None:
        if not isinstance(node, dict):
            return None
        since = self.since(node.get("since"), (*path, "since"))
        expected = self.expected(node.get("expected"), (*path, "expected"), since)
        note = self.text(node, "note", path)
        try:
            return SystemChange(SystemState.parse(node.get("state")), since, expected, note)
        except UnknownWordError:
            return None  # the schema has said so

    def depends(
        self, node: dict[str, Any], path: Path, system: str | None = None
    ) -> list[DependencySpec]:
        """The dependencies of ``node`` (of a system, when ``system`` names it)."""
        specs: list[DependencySpec] = []
        seen = Ids(self, "dependency on")
        raw = node.get("depends")
        for i, entry in enumerate(raw if isinstance(raw, list) else []):
            ref, kind, ref_path = entry, "hard", (*path, "depends", i)
            if isinstance(entry, dict):
                ref, kind = entry.get("system"), word(entry, "kind", "hard")
                ref_path = (*ref_path, "system")
            if not isinstance(ref, str):
                continue
            org, _, name = ref.rpartition("/")
            spec = DependencySpec(org or self.org_slug, name, kind)
            if seen.add(f"{spec.organisation}/{spec.system}", ref_path):
                specs.append(spec)
                self.dependencies.append(Written(ref_path, ref, spec, self.org_slug, system))
        return specs

    # -- domains, services, functions ------------------------------------------

    def domain(self, node: dict[str, Any], path: Path, services: Ids) -> DomainSpec:
        spec = DomainSpec(word(node, "id"), self.text(node, "name", path))
        for service_path, service in items(node, "services", path):
            services.add(service.get("id"), (*service_path, "id"))
            self.not_reserved(service.get("id"), ORGANISATION_WORDS, (*service_path, "id"))
            spec.services.append(self.service(service, service_path))
        return spec

    def service(self, node: dict[str, Any], path: Path) -> ServiceSpec:
        status = self.status(node.get("status"), (*path, "status"))
        if "functions" in node and "channels" in node:
            self.error(
                (*path, "channels"),
                "a service that lists functions gives channels per function, not here",
            )
        functions = [self.function(n, p, status) for p, n in self.unique(node, "functions", path)]
        if "functions" not in node:  # the implicit function carries the service's channels
            functions = [FunctionSpec("", {}, self.entries(node, path, status))]
        return ServiceSpec(
            slug=word(node, "id"),
            name=self.text(node, "name", path),
            functions=functions,
            description=self.text(node, "description", path),
            keywords=words(node, "keywords"),
            audience=words(node, "audience"),
            url=word(node, "url"),
            depends=self.depends(node, path),
            alternatives=self.attached(node, "alternatives", path),
            instructions=self.attached(node, "instructions", path),
            measures=self.attached(node, "measures", path),
        )

    def function(
        self, node: dict[str, Any], path: Path, inherited: ManualStatus | None
    ) -> FunctionSpec:
        status = self.status(node.get("status"), (*path, "status")) or inherited
        return FunctionSpec(
            slug=word(node, "id"),
            name=self.text(node, "name", path),
            entries=self.entries(node, path, status),
            depends=self.depends(node, path),
            alternatives=self.attached(node, "alternatives", path),
        )

    def entries(
        self, node: dict[str, Any], path: Path, inherited: ManualStatus | None
    ) -> list[EntrySpec]:
        raw = node.get("channels")
        if not isinstance(raw, list):
            return [EntrySpec(None, inherited)]
        seen = Ids(self, "channel")
        specs = []
        for i, entry in enumerate(raw):
            entry_path: Path = (*path, "channels", i)
            mapping = entry if isinstance(entry, dict) else {}
            channel = entry if isinstance(entry, str) else mapping.get("channel")
            ref_path = (*entry_path, "channel") if mapping else entry_path
            if not isinstance(channel, str):
                continue
            own = self.status(mapping.get("status"), (*entry_path, "status"))
            spec = EntrySpec(
                channel,
                own or inherited,
                self.depends(mapping, entry_path),
                self.attached(mapping, "alternatives", entry_path),
            )
            if seen.add(channel, ref_path):
                self.channel_ref(channel, ref_path)
                specs.append(spec)
        return specs

    def channel_ref(self, channel: str, path: Path) -> None:
        if channel not in self.channels:
            close = difflib.get_close_matches(channel, sorted(self.channels), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            known = ", ".join(sorted(self.channels)) or "none"
            self.error(
                path,
                f"unknown channel {channel!r}{hint}; this organisation's channels: {known}",
            )

    def attached(self, node: dict[str, Any], key: str, path: Path) -> list[AttachedSpec]:
        specs = []
        for item_path, item in items(node, key, path):
            channel = item.get("channel")
            if isinstance(channel, str):
                self.channel_ref(channel, (*item_path, "channel"))
            specs.append(
                AttachedSpec(
                    kind=word(item, "kind"),
                    text=self.text(item, "text", item_path),
                    channel=channel if isinstance(channel, str) else None,
                    url=word(item, "url"),
                    phone=word(item, "phone"),
                    email=word(item, "email"),
                    hours=self.text(item, "hours", item_path),
                )
            )
        return specs

    # -- statuses and values ---------------------------------------------------

    def status(self, node: Any, path: Path) -> ManualStatus | None:
        if not isinstance(node, dict):
            return None
        raw = node.get("qualifiers")
        qualifiers = [
            self.qualifier(q, (*path, "qualifiers", i))
            for i, q in enumerate(raw if isinstance(raw, list) else [])
        ]
        since = self.since(node.get("since"), (*path, "since"))
        expected = self.expected(node.get("expected"), (*path, "expected"), since)
        note = self.text(node, "note", path)
        try:
            level = Level.parse(node.get("level"))
        except UnknownWordError:
            return None  # the schema has said so
        qualified = tuple(q for q in qualifiers if q is not None)
        return ManualStatus(level, qualified, since, expected, node.get("pinned") is True, note)

    def qualifier(self, raw: Any, path: Path) -> QualifierValue | None:
        value: Any = raw
        if isinstance(raw, dict):
            if "code" not in raw:
                return None  # the schema has said so
            if raw.get("date") is not None and self.date(raw["date"], (*path, "date")) is None:
                return None
            value = {k: v for k, v in raw.items() if k in ("code", "text", "date")}
            value["text"] = self.text(raw, "text", path) or None
        try:
            return parse_qualifier(value, self.language)
        except UnknownWordError:
            return None  # the schema has said so
        except ValueError as exc:
            self.error(path, str(exc))
            return None

    def since(self, raw: Any, path: Path) -> datetime | None:
        if not isinstance(raw, str):
            return None
        try:
            since = parse_datetime(raw)
        except ValueError as exc:
            self.error(path, str(exc))
            return None
        if since > self.now:
            self.error(path, f"since {raw} lies in the future")
        return since

    def expected(self, raw: Any, path: Path, since: datetime | None) -> Expected | None:
        if not isinstance(raw, str):
            return None
        try:
            expected = parse_expected(raw)
        except ValueError as exc:
            self.error(path, str(exc))
            return None
        if expected_ends_before(expected, since):
            self.error(path, f"expected return {raw} lies before since ({since:%Y-%m-%d})")
        return expected

    def date(self, raw: Any, path: Path) -> date | None:
        if not isinstance(raw, str):
            return None
        try:
            return parse_date(raw)
        except ValueError as exc:
            self.error(path, str(exc))
            return None

    def text(self, node: dict[str, Any], key: str, path: Path) -> Texts:
        """A text as ``{language: text}``; a mapping must include the default language."""
        value = node.get(key)
        if isinstance(value, str):
            return {self.language: value} if value else {}
        if not isinstance(value, dict):
            return {}
        texts = {k: v for k, v in value.items() if k in LANGUAGES and isinstance(v, str) and v}
        if value and self.language not in value:
            self.error(
                (*path, key),
                f"no text in the organisation's default language '{self.language}'"
                f" (it has: {', '.join(map(str, value))})",
            )
        return texts

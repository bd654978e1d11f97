"""What the history and recovery pages say, built from the read model and the events.

As in :mod:`watwerkt.present.overview`, every rule about what to show lives
here and the templates only lay it out. Results are plain values (and
pre-rendered, escaped SVG) in the active language and time zone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from watwerkt.catalogue.models import System
from watwerkt.history import bars, recovery, timeline
from watwerkt.history.days import ABSENT
from watwerkt.readmodel.load import cause_systems
from watwerkt.readmodel.values import Service, Snapshot
from watwerkt.status.explain import SystemName, explain_cause

from .charts import (
    BarWriter,
    Words,
    bar_html,
    count_words,
    curve_days_html,
    curve_svg,
    escape,
    legend_html,
)
from .foreign import fmt, html_of, join, languages_of, note_html
from .overview import Labels, localiser_of
from .words import Localiser

# -- names of systems that causes mention -----------------------------------------------


def system_names(ids: Iterable[int], loc: Localiser) -> dict[int, SystemName]:
    """Names for explanations: only systems marked public are named (see explain.py)."""
    rows = System.objects.filter(pk__in=set(ids)).values_list("id", "name", "public")
    return {pk: SystemName(loc.text(name) if public else "", public) for pk, name, public in rows}


def system_label(system: int, names: Mapping[int, SystemName]) -> str:
    found = names.get(system)
    if found is None:
        return _("een verwijderd systeem")
    return found.name if found.public else _("een intern systeem")


# -- a service's timeline -----------------------------------------------------------------


@dataclass(frozen=True)
class EntryView:
    at: str
    at_iso: str
    level: str  # the level after, for the page's colour
    change: str
    parts: tuple[str, ...]
    causes: tuple[str, ...]
    notes: tuple[str, ...]


def entry_views(
    service: Service, entries: Sequence[timeline.Entry], loc: Localiser
) -> tuple[EntryView, ...]:
    labels = Labels(service, loc)
    items = {i.id: i for i in service.items}
    mentioned: set[int] = set()
    for entry in entries:
        mentioned |= cause_systems(entry.causes) | set(entry.cleared)
    names = system_names(mentioned, loc) if mentioned else {}
    return tuple(_entry_view(e, labels, items, names, loc) for e in entries)


def _entry_view(
    entry: timeline.Entry,
    labels: Labels,
    items: Mapping[int, Any],
    names: Mapping[int, SystemName],
    loc: Localiser,
) -> EntryView:
    after = loc.level(entry.after)
    if entry.before is None:
        change = _("opgenomen in het overzicht: %(after)s") % {"after": after}
    elif entry.before != entry.after:
        change = _("van “%(before)s” naar “%(after)s”") % {
            "before": loc.level(entry.before),
            "after": after,
        }
    else:
        change = _("%(level)s; de onderdelen veranderden") % {"level": after}
    parts = []
    if len(items) > 1 and not _all_alike(entry, items):
        for item in entry.items:
            if item.item_id in items:
                parts.append(_part(labels.item(items[item.item_id]), item, loc))
    causes = [explain_cause(c, names, public=True) for c in entry.causes]
    causes += [
        _("geen hinder meer van %(name)s") % {"name": system_label(system, names)}
        for system in entry.cleared
    ]
    notes = [
        fmt("%(part)s: %(note)s", part=labels.item(items[item_id]), note=loc.text(note))
        if len(items) > 1
        else loc.text(note)
        for item_id, note in entry.notes
        if item_id in items and loc.text(note)
    ]
    return EntryView(
        loc.moment(entry.at),
        entry.at.isoformat(),
        entry.after,
        change,
        tuple(parts),
        tuple(dict.fromkeys(causes)),
        tuple(notes),
    )


def _all_alike(entry: timeline.Entry, items: Mapping[int, Any]) -> bool:
    """Every part of the service changed, and to the service's own level: the
    change of the whole says it all."""
    changed = {i.item_id: i.after for i in entry.items}
    return set(changed) >= set(items) and all(changed[i] == entry.after for i in items)


def _part(label: str, item: timeline.ItemChange, loc: Localiser) -> str:
    if item.before is None:
        said = loc.level(item.after)
    else:
        said = _("van “%(before)s” naar “%(after)s”") % {
            "before": loc.level(item.before),
            "after": loc.level(item.after),
        }
    qualifiers = loc.qualifiers(item.qualifiers)
    return join(", ", [fmt("%(label)s: %(said)s", label=label, said=said), *qualifiers])


# -- bars ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceHistory:
    """A service's bar and its latest changes (all of them on its own page)."""

    name: str
    bar: SafeString
    entries: tuple[EntryView, ...]
    more: bool  # there are more changes than shown
    legend: SafeString
    history_url: str


def service_history(
    snapshot: Snapshot, service: Service, now: datetime, limit: int = timeline.LIMIT
) -> ServiceHistory:
    loc, org = localiser_of(snapshot), snapshot.organisation
    words = Words()
    shown, found = bars.bars(
        org.id, org.time_zone, "service", {service.id: service.level}, [service.id], now
    )
    name = loc.text(service.name) or service.slug
    entries = timeline.entries(service.id, [i.id for i in service.items], limit + 1)
    return ServiceHistory(
        name,
        mark_safe(bar_html(shown, found[service.id], name, words)),  # noqa: S308 -- escaped
        entry_views(service, entries[:limit], loc),
        len(entries) > limit,
        mark_safe(legend_html(words)),  # noqa: S308 -- escaped
        reverse("public:service-history", kwargs={"org": org.slug, "service": service.slug}),
    )


@dataclass(frozen=True)
class DomainHistory:
    slug: str
    name: str
    section: str  # escaped: the domain's heading and bar, then its services, each with its bar


@dataclass(frozen=True)
class OrganisationHistory:
    organisation: str
    days: int
    until: str
    until_iso: str
    legend: SafeString
    domains: tuple[DomainHistory, ...]

    def sections(self) -> list[str]:
        """The domains' sections: several megabytes for a large city, so written here
        and put into the page once (:func:`watwerkt.public.history.organisation_html`)
        rather than copied through every level of the template."""
        return [d.section for d in self.domains]


def organisation_history(snapshot: Snapshot, now: datetime, base: str) -> OrganisationHistory:
    """Every domain and service of the organisation with its bar (``base``: the org's URL)."""
    loc, org = localiser_of(snapshot), snapshot.organisation
    words = Words()
    shown, domain_bars = bars.bars(
        org.id,
        org.time_zone,
        "domain",
        {d.id: str(d.status["level"]) for d in snapshot.domains},
        now=now,
    )
    current = {s.id: s.level for s in snapshot.services.values()}
    _shown, service_bars = bars.bars(org.id, org.time_zone, "service", current, now=now)
    empty = bars.Bar(ABSENT * len(shown), {})
    writer = BarWriter(shown, words)
    base = escape(base)
    domains = []
    for domain in snapshot.domains:
        if not domain.services:
            continue
        name = loc.text(domain.name) or domain.slug
        slug = escape(domain.slug)
        # The markup the template wrote before, to the byte: a newline before each part.
        out = [
            f'\n<section class="domain-history" aria-labelledby="d-{slug}">\n'
            f'<h2 id="d-{slug}">{html_of(name)}{note_html(languages_of(name))}</h2>\n'
            f"{writer.html(domain_bars.get(domain.id, empty), name)}\n"
            '<ul class="history-services">'
        ]
        for s in domain.services:
            service_name = loc.text(s.name) or s.slug
            out.append(
                f'<li><a href="{base}{s.slug}/geschiedenis/">{html_of(service_name)}</a>'
                f"{note_html(languages_of(service_name))}"
                f"{writer.html(service_bars.get(s.id, empty), service_name, days=False)}</li>"
            )
        out.append("</ul>\n</section>\n")
        domains.append(DomainHistory(domain.slug, name, "".join(out)))
    return OrganisationHistory(
        loc.text(org.name) or org.slug,
        len(shown),
        words.moment(shown.until),
        shown.until.isoformat(),
        mark_safe(legend_html(words)),  # noqa: S308 -- escaped
        tuple(domains),
    )


# -- recovery --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CurveView:
    name: str
    slug: str
    working: int
    affected: int
    said: str  # "12 van de 40 getroffen diensten werken weer"
    svg: SafeString
    days: SafeString  # the text alternative: every day in a table


@dataclass(frozen=True)
class RecoveryView:
    organisation: str
    start: str
    start_iso: str
    incident: str  # the incident's title; "" when counted from the first outage
    until: str
    until_iso: str
    total: int
    untouched: int  # services that worked all along
    overall: CurveView | None  # None: nothing stopped working
    domains: tuple[CurveView, ...]


def recovery_view(snapshot: Snapshot, now: datetime) -> RecoveryView:
    loc, org = localiser_of(snapshot), snapshot.organisation
    services = {
        s.id: recovery.ServiceNow(d.id, s.level) for d in snapshot.domains for s in d.services
    }
    found = recovery.progress(org.id, services, now)
    zone, words = ZoneInfo(org.time_zone), Words()
    name = loc.text(org.name) or org.slug
    overall = domains = None
    if found.start is not None:
        overall = _curve_view(found.overall, name, "", found, zone, words)
        names = {d.id: (loc.text(d.name) or d.slug, d.slug) for d in snapshot.domains}
        domains = tuple(
            _curve_view(curve, *names[domain_id], found, zone, words, small=True)
            for domain_id, curve in sorted(
                found.domains.items(), key=lambda pair: _position(snapshot, pair[0])
            )
        )
    return RecoveryView(
        name,
        words.moment(found.start) if found.start else "",
        found.start.isoformat() if found.start else "",
        loc.text(found.incident) if found.incident else "",
        words.moment(found.until),
        found.until.isoformat(),
        found.total,
        found.total - found.overall.affected,
        overall,
        domains or (),
    )


def _position(snapshot: Snapshot, domain_id: int) -> int:
    return next(i for i, d in enumerate(snapshot.domains) if d.id == domain_id)


def _curve_view(
    curve: recovery.Curve,
    name: str,
    slug: str,
    found: recovery.Progress,
    zone: ZoneInfo,
    words: Words,
    small: bool = False,
) -> CurveView:
    assert found.start is not None
    said = count_words(curve.working, curve.affected)
    title = _("%(name)s, van %(start)s tot %(until)s: eerst werkten er %(first)d, nu %(said)s") % {
        "name": name,
        "start": words.moment(found.start),
        "until": words.moment(found.until),
        "first": curve.points[0][1] if curve.points else 0,
        "said": said,
    }
    svg = curve_svg(curve.points, found.start, found.until, curve.affected, title, small)
    listed, daily_from = recovery.listed_days(recovery.per_day(curve, zone, found.until))
    days = curve_days_html(name, curve.affected, listed, words, daily_from)
    return CurveView(
        name,
        slug,
        curve.working,
        curve.affected,
        said,
        mark_safe(svg),  # noqa: S308 -- escaped in render.py
        mark_safe(days),  # noqa: S308 -- escaped in render.py
    )

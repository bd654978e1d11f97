"""What the incident pages and the overview banner say, in the active language.

Built from :mod:`.readmodel` values and the organisation's public snapshot
(for service names, links and statuses). Texts fall back per field to the
organisation's language, and say when they do, so templates can mark them
(``lang`` attribute and a note). System names appear only for systems the
catalogue marks public.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.urls import reverse
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from watwerkt.incidents.markdown import Rendered, render
from watwerkt.incidents.models import Incident
from watwerkt.incidents.readmodel import (
    IncidentInfo,
    MaintenanceInfo,
    Published,
    TargetInfo,
    Texts,
    UpdateInfo,
    incident_infos,
    public_systems,
)
from watwerkt.lib.i18n import pick
from watwerkt.readmodel.values import Service, Snapshot

from .foreign import marked
from .words import day, level_label, moment

PHASE_WORDS: dict[str, Callable[[], str]] = {
    "investigating": lambda: pgettext("incident phase", "Wordt onderzocht"),
    "identified": lambda: pgettext("incident phase", "Oorzaak gevonden"),
    "monitoring": lambda: pgettext("incident phase", "Herstel wordt opgevolgd"),
    "resolved": lambda: pgettext("incident phase", "Opgelost"),
    "postmortem": lambda: pgettext("incident phase", "Nabeschouwing"),
}
IMPACT_WORDS: dict[str, Callable[[], str]] = {
    "none": lambda: pgettext("incident impact", "geen"),
    "minor": lambda: pgettext("incident impact", "beperkt"),
    "major": lambda: pgettext("incident impact", "groot"),
    "critical": lambda: pgettext("incident impact", "zeer groot"),
}
STATE_WORDS: dict[str, Callable[[], str]] = {
    "scheduled": lambda: pgettext("maintenance", "Gepland"),
    "in_progress": lambda: pgettext("maintenance", "Bezig"),
    "verifying": lambda: pgettext("maintenance", "Wordt nagekeken"),
    "completed": lambda: pgettext("maintenance", "Afgerond"),
    "cancelled": lambda: pgettext("maintenance", "Gaat niet door"),
}
SECTION_TITLES: dict[str, Callable[[], str]] = {
    "known": lambda: _("Wat we weten"),
    "unknown": lambda: _("Wat we nog niet weten"),
    "to_do": lambda: _("Wat moet je doen?"),
    "data_protection": lambda: _("Je persoonsgegevens"),
}


def _word(words: Mapping[str, Callable[[], str]], key: str) -> str:
    say = words.get(key)
    return say() if say else key


@dataclass(frozen=True)
class Title:
    text: str
    language: str
    fallback: bool


@dataclass(frozen=True)
class Moment:
    text: str
    iso: str

    def __bool__(self) -> bool:
        return bool(self.text)


def _moment(value: datetime | None) -> Moment:
    return Moment(moment(value), value.isoformat()) if value else Moment("", "")


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    text: Rendered


@dataclass(frozen=True)
class UpdateView:
    id: int
    phase: str
    phase_label: str
    at: Moment
    body: Rendered
    draft: bool


@dataclass(frozen=True)
class Link:
    name: str
    href: str
    status: str  # the service's status in words, as the overview says it


@dataclass(frozen=True)
class TargetView:
    text: Title
    due: str  # "31 maart 2023", or "" when there is no date yet
    due_iso: str
    reached: Moment
    about: Link | None


@dataclass(frozen=True)
class IncidentView:
    slug: str
    href: str
    title: Title
    phase: str
    phase_label: str
    impact_label: str
    started: Moment
    resolved: Moment
    latest: Moment  # the latest update (or publication)
    sections: tuple[Section, ...]
    updates: tuple[UpdateView, ...]
    services: tuple[Link, ...]
    systems: tuple[str, ...]  # names of public systems only
    targets: tuple[TargetView, ...]
    draft: bool


@dataclass(frozen=True)
class MaintenanceView:
    slug: str
    title: Title
    description: Rendered
    state: str
    state_label: str
    starts: Moment
    ends: Moment
    services: tuple[Link, ...]
    cancelled: bool


class Words:
    """Picks texts for one render: the active language, else the organisation's.

    ``snapshot`` gives service names, links and statuses (without it, services
    are not mentioned); ``systems`` the names of public systems.
    """

    def __init__(
        self,
        org: str,
        default: str,
        snapshot: Snapshot | None = None,
        systems: Mapping[int, Texts] | None = None,
    ) -> None:
        self.org = org
        self.default = default
        self.language = (get_language() or default)[:2]
        self.snapshot = snapshot
        self.systems = systems or {}

    @classmethod
    def of(cls, snapshot: Snapshot, published: Published) -> Words:
        org = snapshot.organisation
        return cls(org.slug, org.language, snapshot, published.systems)

    @cached_property
    def services(self) -> dict[int, Service]:
        return self.snapshot.service_by_id() if self.snapshot else {}

    def title(self, texts: Mapping[str, str]) -> Title:
        found = pick(texts, self.language, self.default)
        return Title(found.text, found.language, found.is_fallback(self.language))

    def markdown(self, texts: Mapping[str, str], top: int = 3) -> Rendered:
        return render(texts, self.language, self.default, top)

    def service(self, service_id: int) -> Link | None:
        service = self.services.get(service_id)
        if service is None:
            return None
        found = pick(service.name, self.language, self.default)
        name = marked(found, self.language) or service.slug
        href = reverse("public:service", kwargs={"org": self.org, "service": service.slug})
        return Link(name, href, level_label(service.level))

    def system(self, system_id: int) -> str:
        """A system's name if it is public (else nothing: non-public names stay internal)."""
        return pick(self.systems.get(system_id), self.language, self.default).text

    def incident_href(self, slug: str) -> str:
        return reverse("public:incident", kwargs={"org": self.org, "incident": slug})


def _update(update: UpdateInfo, words: Words) -> UpdateView:
    return UpdateView(
        update.id,
        update.phase,
        _word(PHASE_WORDS, update.phase),
        _moment(update.published_at or update.created_at),
        words.markdown(update.body, top=4),  # under the update's own <h3>
        update.published_at is None,
    )


def _target(target: TargetInfo, words: Words) -> TargetView:
    return TargetView(
        words.title(target.text),
        day(target.target.isoformat()) if target.target else "",
        target.target.isoformat() if target.target else "",
        _moment(target.reached_at),
        words.service(target.service_id) if target.service_id else None,
    )


def incident(info: IncidentInfo, words: Words, full: bool = True) -> IncidentView:
    """An incident in words; ``full`` adds sections, updates, services and targets."""
    latest = info.latest_update
    services = tuple(filter(None, (words.service(pk) for pk in info.service_ids)))
    return IncidentView(
        slug=info.slug,
        href=words.incident_href(info.slug),
        title=words.title(info.title),
        phase=info.phase,
        phase_label=_word(PHASE_WORDS, info.phase),
        impact_label=_word(IMPACT_WORDS, info.impact),
        started=_moment(info.started_at),
        resolved=_moment(info.resolved_at),
        latest=_moment((latest.published_at or latest.created_at) if latest else info.published_at),
        sections=tuple(
            Section(key, SECTION_TITLES[key](), text)
            for key in SECTION_TITLES
            if full and (text := words.markdown(getattr(info, key)))
        ),
        updates=tuple(_update(u, words) for u in info.updates) if full else (),
        services=services if full else (),
        systems=tuple(filter(None, map(words.system, info.system_ids))) if full else (),
        targets=tuple(_target(t, words) for t in info.targets) if full else (),
        draft=info.published_at is None,
    )


def maintenance(info: MaintenanceInfo, words: Words, now: datetime) -> MaintenanceView:
    state = "cancelled" if info.cancelled_at else info.state_at(now)
    return MaintenanceView(
        slug=info.slug,
        title=words.title(info.title),
        description=words.markdown(info.description, top=4),
        state=state,
        state_label=_word(STATE_WORDS, state),
        starts=_moment(info.scheduled_for),
        ends=_moment(info.scheduled_until),
        services=tuple(filter(None, (words.service(pk) for pk in info.service_ids))),
        cancelled=info.cancelled_at is not None,
    )


@dataclass(frozen=True)
class IncidentsPage:
    current: tuple[IncidentView, ...]
    past: tuple[IncidentView, ...]
    active: tuple[MaintenanceView, ...]
    upcoming: tuple[MaintenanceView, ...]
    done: tuple[MaintenanceView, ...]


PAST_LIMIT = 50  # an organisation's history fits; a page of hundreds helps nobody


def incidents_page(published: Published, snapshot: Snapshot, now: datetime) -> IncidentsPage:
    words = Words.of(snapshot, published)
    return IncidentsPage(
        current=tuple(incident(i, words, full=False) for i in published.unresolved()),
        past=tuple(incident(i, words, full=False) for i in published.resolved()[:PAST_LIMIT]),
        active=tuple(maintenance(m, words, now) for m in published.active(now)),
        upcoming=tuple(maintenance(m, words, now) for m in published.upcoming(now)),
        done=tuple(maintenance(m, words, now) for m in published.past(now)[:PAST_LIMIT]),
    )


@dataclass(frozen=True)
class Banner:
    incidents: tuple[IncidentView, ...]
    maintenances: tuple[MaintenanceView, ...]  # active first, then upcoming
    href: str  # the organisation's incident page

    def __bool__(self) -> bool:
        return bool(self.incidents or self.maintenances)


def banner(org: str, published: Published, now: datetime) -> Banner:
    """The overview's notice: unresolved incidents, maintenance now or to come."""
    words = Words(org, published.language)
    windows = (*published.active(now), *published.upcoming(now))
    return Banner(
        tuple(incident(i, words, full=False) for i in published.unresolved()),
        tuple(maintenance(m, words, now) for m in windows if m.cancelled_at is None),
        reverse("public:incidents", kwargs={"org": org}),
    )


def preview(row: Incident, snapshot: Snapshot) -> IncidentView:
    """An incident with its drafts, as its public page would show it once
    published (for the console: render ``incidents/incident.html`` with it)."""
    (info,) = incident_infos(Incident.objects.filter(pk=row.pk), drafts=True)
    org = snapshot.organisation
    return incident(info, Words(org.slug, org.language, snapshot, public_systems(info.system_ids)))

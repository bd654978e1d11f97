"""The board: every service of the organisation with its effective status, and the
bulk edit of a selection.

The board reads the public read model (:mod:`watwerkt.readmodel.snapshot`, one
per revision, shared with the public site) and words statuses with the public
site's own rules (:func:`watwerkt.present.overview.service_line`), so it shows
exactly what residents see; it adds what they do not: why (the systems behind
a derived status, named even when not public), where a pin overrides what the
systems imply, and when each service last changed. Writes go through the
status services (``set_status``; a bulk edit ``apply_manual_many``, changing
only what its form fills in); who may write is the route's declared access.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from watwerkt.accounts.permissions import visible_systems
from watwerkt.catalogue.dependencies import items_depending_on
from watwerkt.catalogue.models import FunctionChannel, Organisation, System
from watwerkt.console.routing import Scope
from watwerkt.engine import Change, Level, Status
from watwerkt.lib.i18n import pick
from watwerkt.present import overview as present
from watwerkt.present.words import Localiser
from watwerkt.readmodel.snapshot import current
from watwerkt.readmodel.values import Service, Snapshot
from watwerkt.status.explain import SystemName, explain, level_label
from watwerkt.status.models import EffectiveStatus, StatusEvent
from watwerkt.status.services import apply_manual_many, set_status
from watwerkt.status.values import ManualStatus, manual_from_row
from watwerkt.status.writing import writing

from .forms import BoardFilterForm, BulkForm, StatusChange


@dataclass
class Reason:
    label: str  # the part it concerns ("" for the whole service)
    text: str  # "werkt niet: hangt af van Reservatieplatform, buiten werking sinds ..."
    pinned: bool  # a pin overrides what the systems imply


@dataclass
class BoardRow:
    slug: str
    domain: str
    line: present.Line
    origin: str  # manual, derived, pinned or mixed
    reasons: list[Reason] = field(default_factory=list)
    changed: datetime | None = None


@dataclass
class Board:
    rows: list[BoardRow]
    total: int
    system: System | None  # the "depends on" filter's system
    items: set[int] | None  # the items depending on it, when filtered so
    system_name: str = ""


def organisation_of(scope: Scope) -> Organisation:
    org = scope.organisation
    assert org is not None  # an organisation page: the guard resolved it
    return org


def localiser(org: Organisation) -> Localiser:
    """Dutch words, catalogue texts falling back to the organisation's language,
    times in the organisation's zone (call under ``timezone.override``)."""
    return Localiser("nl", org.language)


def system_label(system: System, org: Organisation) -> str:
    name = pick(system.name, "nl", system.organisation.language).text or system.slug
    if system.organisation_id != org.pk:
        return _("%(name)s (van %(owner)s)") % {"name": name, "owner": system.organisation.slug}
    return name


def system_names(scope: Scope) -> dict[int, SystemName]:
    """Every system the person may see here, by id, named even when not public."""
    org = organisation_of(scope)
    return {
        s.pk: SystemName(pick(s.name, "nl", s.organisation.language).text or s.slug, True)
        for s in visible_systems(scope.principal, org).select_related("organisation")
    }


def system_choices(scope: Scope) -> list[tuple[str, str]]:
    org = organisation_of(scope)
    found = visible_systems(scope.principal, org).select_related("organisation")
    rows = sorted(
        found, key=lambda s: (s.organisation_id != org.pk, s.organisation.slug, s.position, s.pk)
    )
    return [(f"{s.organisation.slug}/{s.slug}", system_label(s, org)) for s in rows]


def find_system(scope: Scope, address: str) -> System | None:
    """``OWNER/SYSTEM`` among the systems the person may see here."""
    owner, _, slug = address.partition("/")
    return (
        visible_systems(scope.principal, organisation_of(scope))
        .filter(organisation__slug=owner, slug=slug)
        .select_related("organisation")
        .first()
    )


def reasons(
    service: Service, labels: present.Labels, names: Mapping[int, SystemName]
) -> list[Reason]:
    """Why each part of ``service`` is what it is, when systems have a say in it."""
    found: dict[tuple[str, bool], list[str]] = {}
    for item in service.items:
        status = item.status
        pinned = bool(status.get("pinned") and status.get("causes"))
        if pinned or status.get("derived"):
            text = explain(status, names, public=False)
            found.setdefault((text, pinned), []).append(labels.item(item))
    whole = len(service.items)
    return [
        Reason("" if len(parts) == whole else ", ".join(parts), text, pinned)
        for (text, pinned), parts in found.items()
    ]


def _origin(found: list[Reason]) -> str:
    kinds = {"pinned" if r.pinned else "derived" for r in found}
    if not kinds:
        return "manual"
    return kinds.pop() if len(kinds) == 1 else "mixed"


def changed_services(org: Organisation, since: datetime, snapshot: Snapshot) -> set[int]:
    """Services whose status, or the status of one of their items, changed since ``since``."""
    item_service = {i.id: s.id for s in snapshot.services.values() for i in s.items}
    rows = (
        StatusEvent.objects.filter(organisation=org, at__gte=since, subject__in=("item", "service"))
        .values_list("subject", "object_id")
        .distinct()
    )
    found = set()
    for subject, object_id in rows:
        service = object_id if subject == "service" else item_service.get(object_id)
        if service is not None:
            found.add(service)
    return found


def build_board(scope: Scope, form: BoardFilterForm | None) -> Board:
    org = organisation_of(scope)
    snapshot = current(org.slug)
    if snapshot is None or (form is not None and not form.is_valid()):
        return Board([], 0, None, None)  # a filter that cannot be read shows nothing
    loc = localiser(org)
    names = system_names(scope)
    base = reverse("console:board", kwargs={"org": org.slug})
    changed = dict(
        EffectiveStatus.objects.filter(organisation=org, subject="service").values_list(
            "object_id", "changed_at"
        )
    )
    wanted = _filters(scope, form, snapshot)
    rows, total = [], 0
    for domain in snapshot.domains:
        for service in domain.services:
            total += 1
            if not all(keep(service, domain.slug) for keep in wanted.tests):
                continue
            labels = present.Labels(service, loc)
            found = reasons(service, labels, names)
            rows.append(
                BoardRow(
                    service.slug,
                    loc.text(domain.name) or domain.slug,
                    present.service_line(service, loc, base),
                    _origin(found),
                    found,
                    changed.get(service.id),
                )
            )
    named = system_label(wanted.system, org) if wanted.system else ""
    return Board(rows, total, wanted.system, wanted.items, named)


@dataclass
class _Wanted:
    tests: list[Any]
    system: System | None = None
    items: set[int] | None = None


def _filters(scope: Scope, form: BoardFilterForm | None, snapshot: Snapshot) -> _Wanted:
    wanted = _Wanted([])
    if form is None or not form.is_valid():
        return wanted
    data = form.cleaned_data
    if data.get("domein"):
        wanted.tests.append(lambda s, d, slug=data["domein"]: d == slug)
    if data.get("niveau"):
        wanted.tests.append(lambda s, d, level=data["niveau"]: s.level == level)
    if form.changed_since is not None:
        ids = changed_services(organisation_of(scope), form.changed_since, snapshot)
        wanted.tests.append(lambda s, d: s.id in ids)
    if data.get("systeem"):
        wanted.system = find_system(scope, data["systeem"])
        org = organisation_of(scope)
        wanted.items = items_depending_on(wanted.system.pk, [org.pk]) if wanted.system else set()
        items = wanted.items
        wanted.tests.append(lambda s, d: any(i.id in items for i in s.items))
    return wanted


def filter_form(scope: Scope, query: QueryDict) -> BoardFilterForm:
    org = organisation_of(scope)
    domains = [(d.slug, pick(d.name, "nl", org.language).text or d.slug) for d in org.domains.all()]
    return BoardFilterForm(query, domains=domains, systems=system_choices(scope))


def bulk_form(scope: Scope, data: QueryDict | None = None, **initial: Any) -> BulkForm:
    org = organisation_of(scope)
    slugs = list(org.services.values_list("slug", flat=True))
    return BulkForm(data, language=org.language, services=slugs, initial=initial)


def board(request: HttpRequest, scope: Scope) -> HttpResponseBase:
    """GET: the board, filtered by the query string."""
    return _render(request, scope, request.GET, None)


def _render(
    request: HttpRequest, scope: Scope, query: QueryDict, bulk: BulkForm | None, status: int = 200
) -> HttpResponseBase:
    org = organisation_of(scope)
    form = filter_form(scope, query)
    with timezone.override(org.time_zone):
        found = build_board(scope, form)
        if bulk is None and scope.can("edit"):
            system = form.cleaned_data.get("systeem", "") if form.is_valid() else ""
            bulk = bulk_form(scope, system=system, back=query.urlencode(), only_dependent=False)
        ticked = set(bulk["services"].value() or ()) if bulk is not None else set()
        shown = {r.slug for r in found.rows}
        context = {
            "scope": scope,
            "form": form,
            "board": found,
            "bulk": bulk,
            "ticked": ticked,
            "unseen": sorted(ticked - shown),  # ticked, but not on the board as filtered
            "query": query.urlencode(),
            "zone": org.time_zone,
        }
        if status == 200 and not form.is_valid():
            status = 400
        return render(request, "console/board.html", context, status=status)


def bulk(request: HttpRequest, scope: Scope) -> HttpResponseBase:
    """POST: one change for every ticked service (or their items on a system):
    what the form fills in, each item keeping the rest of its own status."""
    org = organisation_of(scope)
    if request.method != "POST":
        return redirect("console:board", org=org.slug)
    form = bulk_form(scope, request.POST)
    back = QueryDict(request.POST.get("back", "")[:2000])
    with timezone.override(org.time_zone):
        valid = form.is_valid()
    items = _bulk_items(scope, form) if valid else []
    if valid and not items:
        form.add_error(
            None,
            _(
                "De aangevinkte diensten hebben geen onderdelen die van dit "
                "systeem afhangen. Er is niets gewijzigd."
            ),
        )
    if not items or form.change is None:
        return _render(request, scope, back, form, status=400)
    saved = save_change(items, form.change, scope, form.cleaned_data["note"])
    messages.success(request, saved_message(saved, form.change.level))
    target = reverse("console:board", kwargs={"org": org.slug})
    return redirect(f"{target}?{back.urlencode()}" if back else target)


def _bulk_items(scope: Scope, form: BulkForm) -> list[FunctionChannel]:
    org = organisation_of(scope)
    rows = FunctionChannel.objects.filter(
        function__service__organisation=org,
        function__service__slug__in=form.cleaned_data["services"],
    ).select_related("function")
    if form.cleaned_data.get("only_dependent"):
        system = find_system(scope, form.cleaned_data.get("system") or "")
        if system is None:
            return []
        rows = rows.filter(pk__in=items_depending_on(system.pk, [org.pk]))
    return list(rows.order_by("function__service__position", "function__position", "position"))


@dataclass
class Saved:
    """What a status write from the board did, for the message after it."""

    items: int  # addressed
    changed: int  # whose manual status changed
    services: int  # the services they belong to
    moved: int  # services whose effective level changed
    held: int  # items residents still see worse than what was set: a system holds them down


def save_statuses(
    items: list[FunctionChannel], status: ManualStatus, scope: Scope, note: str
) -> Saved:
    """``set_status`` for ``items``, and what it did."""
    done = set_status(items, status, scope.principal.actor, note)
    return _saved(items, done.changes, done.manual, status.level)


def save_change(
    items: list[FunctionChannel], change: StatusChange, scope: Scope, note: str
) -> Saved:
    """``change`` laid onto each item's own status, in one write. The items are
    read again inside the write, so what each keeps is what is stored, not what
    the page showed before someone else changed it."""
    language = organisation_of(scope).language
    with writing(scope.principal.actor, note, statuses_only=True) as write:
        stored = FunctionChannel.objects.filter(pk__in=[i.pk for i in items])
        by_id = {i.pk: i for i in stored.select_related("function")}
        fresh = [by_id[i.pk] for i in items if i.pk in by_id]
        changed = apply_manual_many(
            write, [(i, change.onto(manual_from_row(i), language)) for i in fresh]
        )
    return _saved(fresh, write.changes, changed, change.level)


def _saved(
    items: list[FunctionChannel], changes: list[Change], changed: int, level: Level
) -> Saved:
    values = EffectiveStatus.objects.filter(subject="item", object_id__in=[i.pk for i in items])
    held = sum(
        1
        for value in values.values_list("value", flat=True)
        if Level.parse(value["level"]) > level and not value.get("pinned")
    )
    moved = sum(1 for c in changes if c.subject == "service" and _level_moved(c))
    services = len({i.function.service_id for i in items})
    return Saved(len(items), changed, services, moved, held)


def _level_moved(change: Change) -> bool:
    before, after = change.before, change.after
    if not isinstance(before, Status) or not isinstance(after, Status):
        return True  # a service added or removed
    return before.level != after.level


def saved_message(saved: Saved, level: Level) -> str:
    if not saved.changed:
        return _("Niets veranderd: de status was al zo.")
    said = ngettext(
        "Opgeslagen: %(n)s onderdeel staat op “%(level)s”.",
        "Opgeslagen: %(n)s onderdelen staan op “%(level)s”.",
        saved.changed,
    ) % {"n": saved.changed, "level": level_label(level.word)}
    if saved.services > 1:
        said += " " + ngettext(
            "%(n)s dienst veranderde van niveau.",
            "%(n)s diensten veranderden van niveau.",
            saved.moved,
        ) % {"n": saved.moved}
    if saved.held:
        said += " " + ngettext(
            "Let op: bij %(n)s onderdeel zien bewoners nog minder, omdat een systeem waarvan het "
            "afhangt niet werkt. Zet het vast als er een andere oplossing is.",
            "Let op: bij %(n)s onderdelen zien bewoners nog minder, omdat een systeem waarvan ze "
            "afhangen niet werkt. Zet ze vast als er een andere oplossing is.",
            saved.held,
        ) % {"n": saved.held}
    return said

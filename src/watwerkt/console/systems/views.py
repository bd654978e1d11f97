"""The systems pages: the list, one system (what it depends on, what depends on it,
its recovery plan), and the restoration order.

An organisation sees its own systems and the shared systems of other
organisations that its services depend on (``permissions.visible_systems``);
only editors of the owner change one (``permissions.can_change_system``).
What depends on a shared system is shown only for organisations the person
has a role in. Changing a system's state is in :mod:`.systems_change`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from watwerkt.accounts.permissions import (
    can_change_system,
    organisation_ids,
    visible_system_ids,
    visible_systems,
)
from watwerkt.authoring import edits
from watwerkt.catalogue.dependencies import (
    direct_dependents,
    items_depending_on,
    system_dependencies,
)
from watwerkt.catalogue.models import Function, FunctionChannel, Organisation, Service, System
from watwerkt.console.fields import expected_initial
from watwerkt.console.routing import Scope
from watwerkt.lib.i18n import pick
from watwerkt.present.words import Localiser, day
from watwerkt.status.explain import SystemName, explain_cause, state_label
from watwerkt.status.impact import restorations
from watwerkt.status.models import EffectiveStatus
from watwerkt.status.values import expected_from_json, expected_to_json

from .forms import RecoveryPlanForm, SystemStateForm


def organisation_of(scope: Scope) -> Organisation:
    org = scope.organisation
    assert org is not None  # an organisation page: the guard resolved it
    return org


def system_url(org: Organisation, system: System) -> str:
    return reverse(
        "console:system",
        kwargs={"org": org.slug, "owner": system.organisation.slug, "system": system.slug},
    )


def find(scope: Scope, owner: str, slug: str) -> System:
    """A system the person may see from this organisation, else 404."""
    found = (
        visible_systems(scope.principal, organisation_of(scope))
        .filter(organisation__slug=owner, slug=slug)
        .select_related("organisation")
        .first()
    )
    if found is None:
        raise Http404("no such system")
    return found


def find_to_change(scope: Scope, owner: str, slug: str) -> System:
    """As :func:`find`, and 403 unless the person may change it (editor of the owner)."""
    system = find(scope, owner, slug)
    if not can_change_system(scope.principal, system):
        raise PermissionDenied
    return system


def name_of(system: System) -> str:
    return pick(system.name, "nl", system.organisation.language).text or system.slug


def _names(scope: Scope) -> dict[int, SystemName]:
    return {
        s.pk: SystemName(name_of(s), True)
        for s in System.objects.filter(pk__in=visible_system_ids(scope.principal)).select_related(
            "organisation"
        )
    }


def system_words(ids: Iterable[int], scope: Scope) -> dict[int, str]:
    """Each system's effective state in words, with why when its own state is better."""
    loc = Localiser("nl", "nl")
    names = _names(scope)
    found = {}
    rows = EffectiveStatus.objects.filter(subject="system", object_id__in=list(ids))
    for object_id, value in rows.values_list("object_id", "value"):
        said = state_label(value["state"])
        if value["state"] != "up" and value.get("since"):
            said += " " + loc.since(value["since"], with_time=True)
        if not value.get("own", True) and value.get("causes"):
            said += " (" + explain_cause(value["causes"][0], names, public=False) + ")"
        found[object_id] = said
    return found


@dataclass
class SystemRow:
    system: System
    name: str
    shared: bool
    state: str  # the effective state in words
    own: str  # its own state, when different
    expected: str
    url: str


def _row(system: System, org: Organisation, words: dict[int, str], loc: Localiser) -> SystemRow:
    own = state_label(system.state)
    effective = words.get(system.pk, own)
    return SystemRow(
        system=system,
        name=name_of(system),
        shared=system.organisation_id != org.pk,
        state=effective,
        own=own if not effective.startswith(own) else "",
        expected=loc.expected(expected_to_json(expected_from_json(system.expected))),
        url=system_url(org, system),
    )


def _visible(scope: Scope) -> list[System]:
    org = organisation_of(scope)
    found = visible_systems(scope.principal, org).select_related("organisation")
    return sorted(
        found,
        key=lambda s: (
            s.organisation_id != org.pk,
            s.organisation.position,
            s.organisation.slug,
            s.position,
            s.pk,
        ),
    )


def index(request: HttpRequest, scope: Scope) -> HttpResponseBase:
    org = organisation_of(scope)
    with timezone.override(org.time_zone):
        loc = Localiser("nl", org.language)
        systems = _visible(scope)
        words = system_words([s.pk for s in systems], scope)
        rows = [_row(s, org, words, loc) for s in systems]
        context = {
            "scope": scope,
            "rows": rows,
            "zone": org.time_zone,
            "down": sum(1 for r in rows if r.system.state != "up"),
        }
        return render(request, "console/system_list.html", context)


@dataclass
class DependentRow:
    label: str
    organisation: str  # the slug, when not this organisation
    url: str
    kind: str


def _dependents(scope: Scope, system: System) -> tuple[list[DependentRow], list[DependentRow]]:
    org = organisation_of(scope)
    found = direct_dependents(
        system, organisation_ids(scope.principal), visible_system_ids(scope.principal)
    )
    systems = [
        DependentRow(
            name_of(s),
            s.organisation.slug if s.organisation_id != org.pk else "",
            system_url(org, s),
            kind,
        )
        for s, kind in found.systems
    ]
    services = {
        s.pk: s
        for s in Service.objects.filter(
            pk__in={d.service_id for d in found.services}
        ).select_related("organisation")
    }
    functions = {
        f.pk: f for f in Function.objects.filter(pk__in={d.function_id for d in found.services})
    }
    items = {
        i.pk: i
        for i in FunctionChannel.objects.filter(
            pk__in={d.item_id for d in found.services}
        ).select_related("channel")
    }
    rows = []
    for d in found.services:
        service = services[d.service_id]
        lang = service.organisation.language
        label = pick(service.name, "nl", lang).text or service.slug
        if d.function_id is not None:
            fname = pick(functions[d.function_id].name, "nl", lang).text or _("Algemeen")
            label = f"{label} \N{EN DASH} {fname}"
        if d.item_id is not None and items[d.item_id].channel is not None:
            label += f" ({pick(items[d.item_id].channel.name, 'nl', lang).text})"  # type: ignore[union-attr]
        owner = service.organisation.slug
        url = reverse("console:service", kwargs={"org": owner, "service": service.slug})
        rows.append(DependentRow(label, owner if owner != org.slug else "", url, d.kind))
    return systems, sorted(rows, key=lambda r: (r.organisation, r.label))


def detail_context(
    scope: Scope,
    system: System,
    form: SystemStateForm | None = None,
    plan: RecoveryPlanForm | None = None,
) -> dict[str, Any]:
    org = organisation_of(scope)
    loc = Localiser("nl", org.language)
    upstream = system_dependencies(system)
    words = system_words([system.pk, *(d.system_id for d in upstream)], scope)
    visible = visible_system_ids(scope.principal)
    depends_on = [
        DependentRow(
            name_of(d.system),
            d.system.organisation.slug if d.system.organisation_id != org.pk else "",
            system_url(org, d.system),
            d.kind,
        )
        for d in upstream
        if d.system_id in visible
    ]
    systems, services = _dependents(scope, system)
    changeable = can_change_system(scope.principal, system)
    if changeable and form is None:
        form = SystemStateForm(
            language=system.organisation.language,
            initial={
                "state": system.state,
                **expected_initial(expected_from_json(system.expected)),
            },
        )
    if changeable and plan is None:
        plan = RecoveryPlanForm(
            initial={
                "priority": system.recovery_priority,
                "owner": system.recovery_owner,
                "target": system.recovery_target.isoformat() if system.recovery_target else "",
                "steps": "\n".join(system.recovery_steps or ()),
            }
        )
    ours = items_depending_on(system.pk, [org.pk])
    return {
        "scope": scope,
        "system": system,
        "row": _row(system, org, words, loc),
        "note": pick(system.note, "nl", system.organisation.language).text,
        "description": pick(system.description, "nl", system.organisation.language).text,
        "depends_on": depends_on,
        "dependent_systems": systems,
        "dependent_services": services,
        "all_items": len(ours),
        "all_services": FunctionChannel.objects.filter(pk__in=ours)
        .values("function__service_id")
        .distinct()
        .count(),
        "board_url": reverse("console:board", kwargs={"org": org.slug})
        + f"?systeem={system.organisation.slug}/{system.slug}",
        "changeable": changeable,
        "form": form,
        "plan": plan,
        "target": day(system.recovery_target.isoformat()) if system.recovery_target else "",
        "zone": org.time_zone,
    }


def detail(request: HttpRequest, scope: Scope, owner: str, system: str) -> HttpResponseBase:
    found = find(scope, owner, system)
    with timezone.override(organisation_of(scope).time_zone):
        return render(request, "console/system_detail.html", detail_context(scope, found))


def recovery(request: HttpRequest, scope: Scope, owner: str, system: str) -> HttpResponseBase:
    """POST: the recovery plan of a system, by an editor of its owner."""
    found = find_to_change(scope, owner, system)
    url = system_url(organisation_of(scope), found)
    if request.method != "POST":
        return redirect(url)
    form = RecoveryPlanForm(request.POST)
    if form.is_valid() and form.plan is not None:
        try:
            done = edits.set_recovery_plan(
                found, form.plan, scope.principal.actor, form.cleaned_data.get("note") or ""
            )
        except edits.CatalogueError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, _("Deze waarde kan niet: %(why)s") % {"why": error.message})
        else:
            messages.success(
                request,
                _("Herstelplan opgeslagen.")
                if done.changed
                else _("Niets veranderd: het herstelplan stond er al zo."),
            )
            return redirect(url)
    with timezone.override(organisation_of(scope).time_zone):
        context = detail_context(scope, found, plan=form)
        return render(request, "console/system_detail.html", context, status=400)


# -- restoration order -------------------------------------------------------------------


@dataclass
class OrderRow:
    row: SystemRow
    services_back: int
    items_back: int
    items_hit: int
    priority: int | None
    owner: str
    target: str
    steps: list[str]


def order(request: HttpRequest, scope: Scope) -> HttpResponseBase:
    """Systems that are not up, those whose restoration brings most back first."""
    org = organisation_of(scope)
    orgs = organisation_ids(scope.principal)
    with timezone.override(org.time_zone):
        loc = Localiser("nl", org.language)
        systems = [s for s in _visible(scope) if s.state != "up"]
        found = restorations(s.pk for s in systems)
        words = system_words([s.pk for s in systems], scope)
        rows = []
        for s in systems:
            r = found.get(s.pk)
            rows.append(
                OrderRow(
                    _row(s, org, words, loc),
                    r.total(r.services_back, orgs) if r else 0,
                    r.total(r.items_back, orgs) if r else 0,
                    r.total(r.items_hit, orgs) if r else 0,
                    s.recovery_priority,
                    s.recovery_owner,
                    day(s.recovery_target.isoformat()) if s.recovery_target else "",
                    list(s.recovery_steps or ()),
                )
            )
        rows.sort(
            key=lambda o: (
                -o.services_back,
                -o.items_back,
                -o.items_hit,
                o.priority or 10_000,
                o.row.name,
            )
        )
        context = {"scope": scope, "rows": rows, "several": len(orgs) > 1}
        return render(request, "console/system_order.html", context)

"""The console's maintenance pages: planned windows, announced before they start.

A window is planned as a draft, announced (published), and then follows the
clock (scheduled, in progress, completed) unless someone states its progress
(in progress, verifying, completed); it is called off (cancelled), never
deleted. Every rule is in :mod:`watwerkt.incidents.maintenance`; these views
only turn forms into its calls, as :mod:`.incidents` does for incidents.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from watwerkt.accounts.permissions import limit
from watwerkt.console.routing import Scope
from watwerkt.incidents import services
from watwerkt.incidents.models import Maintenance
from watwerkt.incidents.rules import IncidentError
from watwerkt.lib.i18n import pick
from watwerkt.present.incidents import STATE_WORDS, Words
from watwerkt.present.words import moment
from watwerkt.status.revision import current_revision

from .forms import CancelForm, MaintenanceForm, StateForm, dutch, refuse, system_label
from .views import actor, bound, local, organisation, saved

FIELDS = {"scheduled_for": "starts", "scheduled_until": "ends"}  # the services' names -> the form's


def window_for(scope: Scope, slug: str, action: str = "view") -> Maintenance:
    rows = Maintenance.objects.filter(organisation=organisation(scope)).select_related(
        "organisation"
    )
    return get_object_or_404(limit(scope.principal, action, rows), slug=slug)


def _title(window: Maintenance) -> str:
    return pick(window.title, "nl", window.organisation.language).text or window.slug


def _state(window: Maintenance) -> str:
    if window.cancelled_at is not None:
        return STATE_WORDS["cancelled"]()
    return STATE_WORDS[services.state_at(window, timezone.now())]()


def _to_window(window: Maintenance) -> HttpResponseBase:
    return redirect("console:maintenance-window", org=window.organisation.slug, window=window.slug)


@local
def index(request: HttpRequest, scope: Scope) -> HttpResponseBase:
    """Every window, drafts and cancelled ones too, latest start first."""
    org = organisation(scope)
    rows = limit(scope.principal, "view", Maintenance.objects.filter(organisation=org))
    listed = [
        {
            "title": _title(w),
            "href": reverse(
                "console:maintenance-window", kwargs={"org": org.slug, "window": w.slug}
            ),
            "state": _state(w),
            "published": w.published_at is not None,
            "starts": moment(w.scheduled_for),
            "ends": moment(w.scheduled_until),
        }
        for w in rows.select_related("organisation")
    ]
    context = {"scope": scope, "windows": listed, "can_edit": scope.can("edit")}
    return render(request, "console/maintenance_list.html", context)


def _written(form: MaintenanceForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": form.texts("title"),
        "description": form.texts("description"),
        "services": data["services"],
        "systems": data["systems"],
    }


@local
def create(request: HttpRequest, scope: Scope) -> HttpResponseBase:
    org = organisation(scope)
    form = MaintenanceForm(bound(request), organisation=org)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            window = services.create_maintenance(
                org, **_written(form), starts=data["starts"], ends=data["ends"], actor=actor(scope)
            )
        except IncidentError as error:
            refuse(form, error, FIELDS)
        else:
            messages.success(
                request, _("Het onderhoud is gepland als ontwerp: kondig het aan om het te tonen.")
            )
            return _to_window(window)
    context = {"scope": scope, "form": form}
    return render(
        request, "console/maintenance_create.html", context, status=400 if form.is_bound else 200
    )


def detail_response(
    request: HttpRequest, scope: Scope, window: Maintenance, error: str = "", status: int = 200
) -> HttpResponseBase:
    org = organisation(scope)
    now = timezone.now()
    state = services.state_at(window, now)
    open_ = window.cancelled_at is None
    context = {
        "scope": scope,
        "window": window,
        "title": _title(window),
        "state": _state(window),
        "description": Words(org.slug, org.language).markdown(window.description, top=4),
        "starts": moment(window.scheduled_for),
        "ends": moment(window.scheduled_until),
        "services": [
            pick(s.name, "nl", org.language).text or s.slug for s in window.affected_services.all()
        ],
        "systems": [
            system_label(s, org) for s in window.affected_systems.select_related("organisation")
        ],
        "can_edit": scope.can("edit") and open_,
        "can_publish": window.published_at is None and window.scheduled_until > now,
        "can_state": window.published_at is not None and state != "completed",
        "can_cancel": state != "completed",
        "public_url": reverse("public:incidents", kwargs={"org": org.slug})
        if window.published_at
        else "",
        "state_form": StateForm(),
        "cancel_form": CancelForm(),
        "error": error,
    }
    return render(request, "console/maintenance.html", context, status=status)


@local
def detail(request: HttpRequest, scope: Scope, window: str) -> HttpResponseBase:
    return detail_response(request, scope, window_for(scope, window))


@local
def edit(request: HttpRequest, scope: Scope, window: str) -> HttpResponseBase:
    found = window_for(scope, window, "edit")
    initial = {
        "starts": found.scheduled_for,
        "ends": found.scheduled_until,
        "services": list(found.affected_services.all()),
        "systems": list(found.affected_systems.all()),
    }
    form = MaintenanceForm(bound(request), organisation=organisation(scope), initial=initial)
    form.initial_texts("title", found.title)
    form.initial_texts("description", found.description)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        before = current_revision()
        try:
            services.edit_maintenance(
                found, actor(scope), **_written(form), starts=data["starts"], ends=data["ends"]
            )
        except IncidentError as error:
            refuse(form, error, FIELDS)
        else:
            saved(request, before, _("Het onderhoud is opgeslagen."))
            return _to_window(found)
    context = {"scope": scope, "window": found, "title": _title(found), "form": form}
    return render(
        request, "console/maintenance_edit.html", context, status=400 if form.is_bound else 200
    )


@require_POST
@local
def publish(request: HttpRequest, scope: Scope, window: str) -> HttpResponseBase:
    found = window_for(scope, window, "edit")
    try:
        services.publish_maintenance(found, actor(scope))
    except IncidentError as error:
        return detail_response(request, scope, found, dutch(error), status=400)
    messages.success(request, _("Het onderhoud is aangekondigd."))
    return _to_window(found)


@require_POST
@local
def cancel(request: HttpRequest, scope: Scope, window: str) -> HttpResponseBase:
    found = window_for(scope, window, "edit")
    form = CancelForm(request.POST)
    if not form.is_valid():
        return detail_response(request, scope, found, _("De reden is te lang."), status=400)
    try:
        services.cancel_maintenance(found, actor(scope), form.cleaned_data["note"])
    except IncidentError as error:
        return detail_response(request, scope, found, dutch(error), status=400)
    messages.success(
        request, _("Het onderhoud gaat niet door; dat blijft zichtbaar tot het geplande einde.")
    )
    return _to_window(found)


@require_POST
@local
def state(request: HttpRequest, scope: Scope, window: str) -> HttpResponseBase:
    found = window_for(scope, window, "edit")
    form = StateForm(request.POST)
    if not form.is_valid():
        return detail_response(
            request, scope, found, _("Kies een toestand uit de lijst."), status=400
        )
    try:
        services.set_maintenance_state(found, form.cleaned_data["state"], actor(scope))
    except IncidentError as error:
        return detail_response(request, scope, found, dutch(error), status=400)
    messages.success(request, _("De toestand is gewijzigd."))
    return _to_window(found)

"""Dated updates and recovery targets, on the console's incident pages.

An update is written in the organisation's language (Dutch), with French,
English and German optional. "Voorbeeld" shows it as each language's public
incident page will show it, rendered by the public site's own code; only a
text that was previewed can be published. The form carries a fingerprint of
the preview, and publishing a text that differs from it shows the new
preview instead: what goes out is what was looked at. A draft is saved
without a preview (nobody sees it) and published from its own page, which
always shows it as it will look. A published update can be corrected the
same way; it keeps its phase and its time.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from watwerkt.accounts.permissions import limit
from watwerkt.console.routing import Scope
from watwerkt.incidents import rules, services
from watwerkt.incidents.models import Incident, IncidentUpdate, RecoveryTarget
from watwerkt.incidents.rules import IncidentError
from watwerkt.present.incidents import PHASE_WORDS
from watwerkt.status.revision import current_revision

from .forms import ReachForm, TargetForm, UpdateForm, dutch, refuse
from .present import fingerprint, update_previews
from .views import (
    actor,
    bound,
    incident_for,
    local,
    organisation,
    saved,
    title_of,
    to_incident,
)

CHANGED_SINCE_PREVIEW = (
    "De tekst is gewijzigd sinds het voorbeeld. Hieronder zie je het nieuwe voorbeeld: "
    "publiceer opnieuw als het klopt."
)


def _update_for(scope: Scope, incident: Incident, pk: int) -> IncidentUpdate:
    rows = IncidentUpdate.objects.filter(incident=incident).select_related("incident")
    return get_object_or_404(limit(scope.principal, "edit", rows), pk=pk)


def _to_update(update: IncidentUpdate) -> HttpResponseBase:
    incident = update.incident
    return redirect(
        "console:incident-update",
        org=incident.organisation.slug,
        incident=incident.slug,
        update=update.pk,
    )


def _checked(incident: Incident, body: dict[str, str], phase: str, reopen: bool) -> None:
    """The checks posting would make, without posting: the texts, and the phase."""
    services.preview(body, incident.organisation)
    rules.transition(incident.phase, phase, reopen)


# -- a new update --------------------------------------------------------------------------


@local
def new(request: HttpRequest, scope: Scope, incident: str) -> HttpResponseBase:
    """Write an update; preview it; publish it (or keep it as a draft)."""
    found = incident_for(scope, incident, "edit")
    org = organisation(scope)
    form = UpdateForm(bound(request), organisation=org, initial={"phase": found.phase})
    context: dict[str, Any] = {"previews": None, "previewed": "", "note": ""}
    if form.is_bound and form.is_valid():
        body, data = form.texts("body"), form.cleaned_data
        phase, reopen = data["phase"], data["reopen"]
        action = request.POST.get("actie", "voorbeeld")
        try:
            if action == "ontwerp":
                update = services.post_update(found, body, actor(scope), phase=phase, reopen=reopen)
                messages.success(
                    request, _("Ontwerp bewaard. Niemand ziet het tot je het publiceert.")
                )
                return _to_update(update)
            _checked(found, body, phase, reopen)
            shown = fingerprint(body, phase)
            if action == "publiceren" and data["previewed"] == shown:
                services.post_update(
                    found, body, actor(scope), phase=phase, reopen=reopen, publish=True
                )
                messages.success(request, _("De update is gepubliceerd."))
                return to_incident(found, "updates")
            if action == "publiceren":
                context["note"] = _(CHANGED_SINCE_PREVIEW)
            context.update(previews=update_previews(found, body, phase), previewed=shown)
        except IncidentError as error:
            refuse(form, error)
    context.update(scope=scope, incident=found, title=title_of(found), form=form)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "console/incident_update.html", context, status=status)


# -- one update ----------------------------------------------------------------------------


def update_response(
    request: HttpRequest,
    scope: Scope,
    row: IncidentUpdate,
    form: UpdateForm | None = None,
    extra: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponseBase:
    incident = row.incident
    org = organisation(scope)
    published = row.published_at is not None
    if form is None:
        form = UpdateForm(organisation=org, published=published, initial={"phase": row.phase})
        form.initial_texts("body", row.body)
    context: dict[str, Any] = {
        "scope": scope,
        "incident": incident,
        "title": title_of(incident),
        "row": row,
        "published": published,
        "phase": PHASE_WORDS[row.phase](),
        "stored": update_previews(incident, row.body, row.phase, at=row.published_at),
        "stored_fingerprint": fingerprint(row.body, row.phase),
        "needs_reopen": rules.PHASE_ORDER[row.phase] < rules.PHASE_ORDER[incident.phase],
        "form": form,
        "previews": None,
        "previewed": "",
        "note": "",
        "error": "",
    }
    context.update(extra or {})
    return render(request, "console/incident_update_edit.html", context, status=status)


@local
def update(request: HttpRequest, scope: Scope, incident: str, update: int) -> HttpResponseBase:
    """A draft (change it, publish it, drop it) or a published update (correct its text)."""
    found = incident_for(scope, incident, "edit")
    row = _update_for(scope, found, update)
    if request.method != "POST":
        return update_response(request, scope, row)
    org = organisation(scope)
    published = row.published_at is not None
    form = UpdateForm(request.POST, organisation=org, published=published)
    extra: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        phase = row.phase if published else data["phase"]
        reopen = bool(data.get("reopen"))
        action = request.POST.get("actie", "voorbeeld")
        typed = form.texts("body")  # "" removes a language: the services merge it
        try:
            body = rules.texts("body", typed, org, old=row.body, required=True)
            if action == "opslaan" and not published:
                before = current_revision()
                services.edit_update(row, actor(scope), body=typed, phase=phase, reopen=reopen)
                saved(request, before, _("Ontwerp bijgewerkt."))
                return _to_update(row)
            _checked(found, body, phase, reopen or published)
            shown = fingerprint(body, phase)
            if action == "corrigeren" and published and data["previewed"] == shown:
                services.edit_update(row, actor(scope), body=typed)
                messages.success(request, _("De correctie is gepubliceerd."))
                return to_incident(found, "updates")
            if action == "corrigeren":
                extra["note"] = _(CHANGED_SINCE_PREVIEW)
            extra.update(
                previews=update_previews(found, body, phase, row.published_at), previewed=shown
            )
        except IncidentError as error:
            refuse(form, error)
    status = 400 if form.errors else 200
    return update_response(request, scope, row, form, extra, status)


@require_POST
@local
def publish(request: HttpRequest, scope: Scope, incident: str, update: int) -> HttpResponseBase:
    """Publish a draft as its page showed it: refused if it changed since."""
    found = incident_for(scope, incident, "edit")
    row = _update_for(scope, found, update)
    if request.POST.get("previewed") != fingerprint(row.body, row.phase):
        messages.error(
            request,
            _(
                "Het ontwerp is gewijzigd sinds je het bekeek. "
                "Bekijk het opnieuw voor je publiceert."
            ),
        )
        return _to_update(row)
    try:
        services.publish_update(row, actor(scope), reopen=request.POST.get("reopen") == "on")
    except IncidentError as error:
        return update_response(request, scope, row, extra={"error": dutch(error)}, status=400)
    messages.success(request, _("De update is gepubliceerd."))
    return to_incident(found, "updates")


@require_POST
@local
def discard(request: HttpRequest, scope: Scope, incident: str, update: int) -> HttpResponseBase:
    found = incident_for(scope, incident, "edit")
    row = _update_for(scope, found, update)
    try:
        services.discard_update(row, actor(scope))
    except IncidentError as error:
        return update_response(request, scope, row, extra={"error": dutch(error)}, status=400)
    messages.success(request, _("Het ontwerp is verwijderd."))
    return to_incident(found, "updates")


# -- recovery targets ----------------------------------------------------------------------


TARGET_FIELDS = {"target": "due"}  # the services' field names -> the form's


def _target_for(scope: Scope, incident: Incident, pk: int) -> RecoveryTarget:
    rows = RecoveryTarget.objects.filter(incident=incident).select_related("incident")
    return get_object_or_404(limit(scope.principal, "edit", rows), pk=pk)


@local
def add_target(request: HttpRequest, scope: Scope, incident: str) -> HttpResponseBase:
    """A new recovery target (a page of its own: its lists of services and
    systems would make the incident page slow to build and long to read)."""
    found = incident_for(scope, incident, "edit")
    form = TargetForm(bound(request), organisation=organisation(scope))
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_target(
                found,
                form.texts("text"),
                actor(scope),
                target=data["due"],
                service=data["service"],
                system=data["system"],
            )
        except IncidentError as error:
            refuse(form, error, TARGET_FIELDS)
        else:
            messages.success(request, _("Het hersteldoel is toegevoegd."))
            return to_incident(found, "hersteldoelen")
    context = {
        "scope": scope,
        "incident": found,
        "title": title_of(found),
        "row": None,
        "form": form,
    }
    status = 400 if form.is_bound else 200
    return render(request, "console/incident_target.html", context, status=status)


def target_response(
    request: HttpRequest,
    scope: Scope,
    row: RecoveryTarget,
    form: TargetForm | None = None,
    reach_form: ReachForm | None = None,
    status: int = 200,
) -> HttpResponseBase:
    incident = row.incident
    if form is None:
        initial = {"due": row.target, "service": row.service, "system": row.system}
        form = TargetForm(organisation=organisation(scope), initial=initial)
        form.initial_texts("text", row.text)
    context = {
        "scope": scope,
        "incident": incident,
        "title": title_of(incident),
        "row": row,
        "form": form,
        "reach_form": reach_form or ReachForm(initial={"reached_at": row.reached_at}),
    }
    return render(request, "console/incident_target.html", context, status=status)


@local
def target(request: HttpRequest, scope: Scope, incident: str, target: int) -> HttpResponseBase:
    found = incident_for(scope, incident, "edit")
    row = _target_for(scope, found, target)
    if request.method != "POST":
        return target_response(request, scope, row)
    form = TargetForm(request.POST, organisation=organisation(scope))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_target(
                row,
                actor(scope),
                text=form.texts("text"),
                due=data["due"],
                service=data["service"],
                system=data["system"],
            )
        except IncidentError as error:
            refuse(form, error, TARGET_FIELDS)
        else:
            messages.success(request, _("Het hersteldoel is opgeslagen."))
            return to_incident(found, "hersteldoelen")
    return target_response(request, scope, row, form=form, status=400)


@require_POST
@local
def reach(request: HttpRequest, scope: Scope, incident: str, target: int) -> HttpResponseBase:
    """Mark a target reached (now, or at the time given), or not reached after all."""
    found = incident_for(scope, incident, "edit")
    row = _target_for(scope, found, target)
    form = ReachForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.reach_target(row, actor(scope), at=data["reached_at"], reached=data["reached"])
        except IncidentError as error:
            refuse(form, error)
        else:
            said = (
                _("Het hersteldoel is bereikt.")
                if data["reached"]
                else _("Het hersteldoel is (nog) niet bereikt.")
            )
            messages.success(request, said)
            return to_incident(found, "hersteldoelen")
    return target_response(request, scope, row, reach_form=form, status=400)

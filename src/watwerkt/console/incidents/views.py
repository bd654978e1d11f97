"""The console's incident pages: the list, a new incident, one incident, its
details, its sections per language, its phase, and its public page as it
will look.

Views turn forms into calls of :mod:`watwerkt.incidents.services` and show
what comes back; the rules are the services'. Who may open a page is
declared once in ``urls.py`` (viewers read, editors and admins write); views
look incidents up through :func:`permissions.limit`, so another
organisation's incident is a 404 like one that does not exist. Every write is
a POST answered by a redirect (or, when refused, by the form again with the
reason on the field, status 400, and nothing written). Dated updates and
recovery targets: :mod:`.incident_updates`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from watwerkt.accounts.permissions import limit
from watwerkt.catalogue.models import Organisation
from watwerkt.console.routing import Scope
from watwerkt.incidents import services
from watwerkt.incidents.models import Incident
from watwerkt.incidents.rules import IncidentError
from watwerkt.incidents.services import Edited
from watwerkt.lib.i18n import LANGUAGES, pick
from watwerkt.present import incidents as present
from watwerkt.present.incidents import IMPACT_WORDS, PHASE_WORDS, SECTION_TITLES
from watwerkt.present.words import moment
from watwerkt.readmodel.snapshot import current
from watwerkt.status.revision import current_revision
from watwerkt.status.writing import Actor

from .forms import (
    IncidentForm,
    PhaseForm,
    SectionsForm,
    language_name,
    languages,
    refuse,
)
from .present import (
    confirm_note,
    edit_fingerprint,
    incident_page,
    incident_previews,
    section_previews,
)

View = Callable[..., HttpResponseBase]


def local(view: View) -> View:
    """Run ``view`` in the organisation's time zone: forms read and show times
    as the people there mean them."""

    @wraps(view)
    def in_zone(request: HttpRequest, scope: Scope, **kwargs: Any) -> HttpResponseBase:
        with timezone.override(organisation(scope).time_zone):
            return view(request, scope, **kwargs)

    return in_zone


def organisation(scope: Scope) -> Organisation:
    org = scope.organisation
    assert org is not None  # an organisation page: the guard resolved it
    return org


def actor(scope: Scope) -> Actor:
    return scope.principal.actor


def incident_for(scope: Scope, slug: str, action: str = "view") -> Incident:
    rows = Incident.objects.filter(organisation=organisation(scope)).select_related("organisation")
    return get_object_or_404(limit(scope.principal, action, rows), slug=slug)


def bound(request: HttpRequest) -> Any:
    """The posted data, or None for a GET (an empty POST is still a POST: refused)."""
    return request.POST if request.method == "POST" else None


def saved(request: HttpRequest, before: int, done: str) -> None:
    """Say what happened: ``done``, or that nothing changed (the services write
    nothing, not even a revision, when nothing would change)."""
    if current_revision() == before:
        messages.info(request, _("Niets gewijzigd."))
    else:
        messages.success(request, done)


def title_of(incident: Incident) -> str:
    return pick(incident.title, "nl", incident.organisation.language).text or incident.slug


def to_incident(incident: Incident, anchor: str = "") -> HttpResponseBase:
    url = reverse(
        "console:incident", kwargs={"org": incident.organisation.slug, "incident": incident.slug}
    )
    return redirect(url + (f"#{anchor}" if anchor else ""))


# -- the list --------------------------------------------------------------------------------


@local
def index(request: HttpRequest, scope: Scope) -> HttpResponseBase:
    """Every incident of the organisation, drafts and resolved ones too, newest first."""
    org = organisation(scope)
    rows = (
        limit(scope.principal, "view", Incident.objects.filter(organisation=org))
        .annotate(
            drafts=Count("updates", filter=Q(updates__published_at__isnull=True)),
            latest=Max("updates__published_at"),
        )
        .select_related("organisation")
    )
    listed = [
        {
            "title": title_of(i),
            "href": reverse("console:incident", kwargs={"org": org.slug, "incident": i.slug}),
            "phase": PHASE_WORDS[i.phase](),
            "published": i.published_at is not None,
            "started": moment(i.started_at),
            "latest": moment(i.latest) if i.latest else "",
            "drafts": i.drafts,
        }
        for i in rows
    ]
    context = {"scope": scope, "incidents": listed, "can_edit": scope.can("edit")}
    return render(request, "console/incidents.html", context)


# -- a new incident ----------------------------------------------------------------------------


@local
def create(request: HttpRequest, scope: Scope) -> HttpResponseBase:
    org = organisation(scope)
    form = IncidentForm(bound(request), organisation=org, new=True, initial={"impact": "major"})
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            incident = services.create_incident(
                org,
                form.texts("title"),
                actor(scope),
                slug=data["slug"] or None,
                impact=data["impact"],
                phase=data["phase"],
                started_at=data["started_at"],
                services=data["services"],
                systems=data["systems"],
            )
        except IncidentError as error:
            refuse(form, error)
        else:
            messages.success(
                request,
                _(
                    "Het incident is aangemaakt als ontwerp: "
                    "niemand ziet het tot je een update publiceert."
                ),
            )
            return to_incident(incident)
    context = {"scope": scope, "form": form}
    return render(
        request, "console/incident_create.html", context, status=400 if form.is_bound else 200
    )


# -- one incident ------------------------------------------------------------------------------


def detail_response(
    request: HttpRequest,
    scope: Scope,
    incident: Incident,
    forms_: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponseBase:
    """The incident page; ``forms_`` replaces the empty forms with refused ones."""
    page = incident_page(incident)
    shown: dict[str, forms.Form] = {"phase_form": PhaseForm(initial={"phase": incident.phase})}
    shown.update(forms_ or {})
    context = {
        "scope": scope,
        "page": page,
        "i": page.view,
        "impact": IMPACT_WORDS[incident.impact](),
        "can_edit": scope.can("edit"),
        "sections": [(key, title()) for key, title in SECTION_TITLES.items()],
        **shown,
    }
    return render(request, "console/incident.html", context, status=status)


@local
def detail(request: HttpRequest, scope: Scope, incident: str) -> HttpResponseBase:
    return detail_response(request, scope, incident_for(scope, incident))


@local
def edit(request: HttpRequest, scope: Scope, incident: str) -> HttpResponseBase:
    """Title, impact, start, affected services and systems (all on the public
    page), saved or first previewed as :func:`review` decides."""
    found = incident_for(scope, incident, "edit")
    org = organisation(scope)
    initial = {
        "impact": found.impact,
        "started_at": found.started_at,
        "services": list(found.affected_services.all()),
        "systems": list(found.affected_systems.all()),
    }
    form = IncidentForm(bound(request), organisation=org, new=False, initial=initial)
    form.initial_texts("title", found.title)
    shown = Review()
    previews = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        change = {
            "title": form.texts("title"),
            "impact": data["impact"],
            "started_at": data["started_at"],
            "services": data["services"],
            "systems": data["systems"],
        }
        try:
            shown = review(request, found, lambda: services.preview_edit(found, **change))
            if shown.save:
                before = current_revision()
                services.edit_incident(found, actor(scope), **change)
                saved(request, before, _("De gegevens zijn opgeslagen."))
                return to_incident(found)
        except IncidentError as error:
            refuse(form, error)
        else:
            previews = incident_previews(found, shown.edited) if shown.edited is not None else None
    context = {
        "scope": scope,
        "incident": found,
        "title": title_of(found),
        "form": form,
        "previews": previews,
        "previewed": shown.previewed,
        "note": shown.note,
    }
    failed = form.is_bound and (bool(form.errors) or previews is None)
    return render(request, "console/incident_edit.html", context, status=400 if failed else 200)


@dataclass(frozen=True)
class Review:
    """What to do with a valid change of an incident's public texts and facts:
    save it now, or show ``edited`` (what saving would store) first."""

    save: bool = False
    edited: Edited | None = None
    previewed: str = ""  # the fingerprint of what is shown, for the form to send back
    note: str = ""  # why publishing did not happen yet


def review(request: HttpRequest, found: Incident, edited: Callable[[], Edited]) -> Review:
    """A draft's change is saved straight away (nobody sees it), unless a preview
    ("voorbeeld") is asked for. A published incident's change goes out only from
    the preview of exactly that change: the form must come back with the
    preview's fingerprint; a missing or stale one shows the (new) preview and
    saves nothing. Raises the services' refusal, as saving would."""
    action = request.POST.get("actie", "")
    published = found.published_at is not None
    if not published and action != "voorbeeld":
        return Review(save=True)
    change = edited()
    stamp = edit_fingerprint(change)
    previewed = request.POST.get("previewed", "")
    if published and action != "voorbeeld":
        if previewed == stamp:
            return Review(save=True)
        return Review(False, change, stamp, confirm_note(previewed))
    return Review(False, change, stamp)


def _language(request: HttpRequest, org: Organisation) -> str:
    wanted = request.GET.get("taal", "")
    return wanted if wanted in LANGUAGES else org.language


@local
def sections(request: HttpRequest, scope: Scope, incident: str) -> HttpResponseBase:
    """The four sections in one language at a time (``?taal=en``), each language a
    tab. A published incident's are previewed before they go out, as on :func:`edit`."""
    found = incident_for(scope, incident, "edit")
    org = organisation(scope)
    code = _language(request, org)
    form = SectionsForm(bound(request), organisation=org, language=code)
    for key in SECTION_TITLES:
        form.initial_texts(key, {code: getattr(found, key).get(code, "")})
    shown = Review()
    preview = None
    if form.is_bound and form.is_valid():
        typed = form.sections()
        try:
            shown = review(request, found, lambda: services.preview_edit(found, sections=typed))
            if shown.save:
                before = current_revision()
                services.edit_incident(found, actor(scope), sections=typed)
                saved(request, before, _("De teksten zijn opgeslagen."))
                url = reverse(
                    "console:incident-sections", kwargs={"org": org.slug, "incident": found.slug}
                )
                return redirect(f"{url}?taal={code}")
        except IncidentError as error:
            refuse(form, error)
        else:
            if shown.edited is not None:
                merged = {key: shown.edited.fields[key] for key in SECTION_TITLES}
                preview = section_previews(found, merged, code)
    tabs = [
        (
            c,
            language_name(c),
            reverse("console:incident-sections", kwargs={"org": org.slug, "incident": found.slug})
            + f"?taal={c}",
        )
        for c in languages(org)
    ]
    context = {
        "scope": scope,
        "incident": found,
        "title": title_of(found),
        "form": form,
        "language": code,
        "language_name": language_name(code),
        "tabs": tabs,
        "public": found.published_at is not None,
        "preview": preview,
        "previewed": shown.previewed,
        "note": shown.note,
    }
    failed = form.is_bound and (bool(form.errors) or preview is None)
    return render(request, "console/incident_sections.html", context, status=400 if failed else 200)


@require_POST
@local
def phase(request: HttpRequest, scope: Scope, incident: str) -> HttpResponseBase:
    """Move the incident to another phase without an update (most phases move with
    a published update; this is for the rest, and for resolving at a given time)."""
    found = incident_for(scope, incident, "edit")
    form = PhaseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        before = current_revision()
        try:
            if data["phase"] == "resolved" and found.phase != "resolved":
                services.resolve(found, actor(scope), at=data["resolved_at"])
            else:
                services.edit_incident(
                    found, actor(scope), phase=data["phase"], reopen=data["reopen"]
                )
        except IncidentError as error:
            refuse(form, error)
        else:
            saved(request, before, _("De fase is gewijzigd."))
            return to_incident(found)
    return detail_response(request, scope, found, {"phase_form": form}, status=400)


def preview(request: HttpRequest, scope: Scope, incident: str) -> HttpResponseBase:
    """The incident's public page as it will look, drafts included, in the
    language asked for (``?taal=en``): the public template, not a copy of it."""
    found = incident_for(scope, incident)
    org = organisation(scope)
    code = _language(request, org)
    snapshot = current(org.slug)
    assert snapshot is not None
    with translation.override(code), timezone.override(org.time_zone):
        context = {
            "i": present.preview(found, snapshot),
            "organisation": pick(org.name, code, org.language).text or org.slug,
            "overview_url": reverse("public:overview", kwargs={"org": org.slug}),
            "incidents_url": reverse("public:incidents", kwargs={"org": org.slug}),
            "home": "",
            # The public page's tags read the request to link to the same page in
            # other languages and to offer the browser's; for a console address those
            # links would lead nowhere. The preview's own language links stand in.
            "request": None,
            "console_url": reverse(
                "console:incident", kwargs={"org": org.slug, "incident": found.slug}
            ),
            "languages": [(c, language_name(c), "?taal=" + c, c == code) for c in languages(org)],
        }
        return render(request, "console/incident_preview.html", context)

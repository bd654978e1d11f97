"""Instructions and measures for everyone, next to the incident pages.

The organisation-wide instructions ("do not pay twice") and measures
("deadlines are extended") that the public overview shows under "Voor
iedereen". Written through :mod:`watwerkt.authoring.notices`; the page says
that importing the catalogue file replaces them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from watwerkt.accounts.permissions import limit
from watwerkt.authoring import notices
from watwerkt.authoring.notices import Notice, NoticeError, What
from watwerkt.catalogue.models import Instruction, Measure
from watwerkt.console.routing import Scope
from watwerkt.lib.i18n import LANGUAGES, pick
from watwerkt.present.words import kind_label
from watwerkt.status.revision import current_revision

from .forms import NOTICE_KINDS, NOTICE_MODELS, NoticeForm, refuse
from .views import actor, bound, organisation, saved

WHAT: tuple[What, ...] = ("instruction", "measure")
ROUTES = {"instruction": "instructies", "measure": "maatregelen"}
NAMES: dict[str, Callable[[], str]] = {
    "instruction": lambda: _("Instructies"),
    "measure": lambda: _("Maatregelen"),
}


def _notice_for(scope: Scope, what: What, pk: int) -> Notice:
    model = NOTICE_MODELS[what]
    rows = model.objects.filter(organisation=organisation(scope), service__isnull=True)
    found = get_object_or_404(limit(scope.principal, "edit", rows), pk=pk)
    assert isinstance(found, Instruction | Measure)
    return found


def _index_url(scope: Scope) -> str:
    return reverse("console:notices", kwargs={"org": organisation(scope).slug})


def _listed(scope: Scope, what: What) -> list[dict[str, Any]]:
    org = organisation(scope)
    labels: Mapping[str, Callable[[], str]] = NOTICE_KINDS[what]
    return [
        {
            "kind": kind_label(labels, row.kind),
            "text": pick(row.text, "nl", org.language).text,
            "languages": ", ".join(c for c in LANGUAGES if row.text.get(c)),
            "href": reverse(f"console:notice-{what}", kwargs={"org": org.slug, what: row.pk}),
            "remove": reverse(
                f"console:notice-{what}-remove", kwargs={"org": org.slug, what: row.pk}
            ),
        }
        for row in notices.general(org, what)
    ]


def index_response(
    request: HttpRequest,
    scope: Scope,
    forms_: dict[str, NoticeForm] | None = None,
    status: int = 200,
) -> HttpResponseBase:
    org = organisation(scope)
    given = forms_ or {}
    groups = [
        {
            "what": what,
            "name": NAMES[what](),
            "rows": _listed(scope, what),
            "form": given.get(what) or NoticeForm(organisation=org, what=what),
            "action": reverse(f"console:notice-{what}-add", kwargs={"org": org.slug}),
        }
        for what in WHAT
    ]
    context = {"scope": scope, "groups": groups, "can_edit": scope.can("edit")}
    return render(request, "console/incident_notices.html", context, status=status)


def index(request: HttpRequest, scope: Scope) -> HttpResponseBase:
    return index_response(request, scope)


def _add(request: HttpRequest, scope: Scope, what: What) -> HttpResponseBase:
    org = organisation(scope)
    form = NoticeForm(request.POST, organisation=org, what=what)
    if form.is_valid():
        try:
            notices.add_notice(
                org, what, form.cleaned_data["kind"], form.texts("text"), actor(scope)
            )
        except NoticeError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Toegevoegd: het staat nu op het publieke overzicht."))
            return redirect(_index_url(scope) + f"#{ROUTES[what]}")
    return index_response(request, scope, {what: form}, status=400)


@require_POST
def add_instruction(request: HttpRequest, scope: Scope) -> HttpResponseBase:
    return _add(request, scope, "instruction")


@require_POST
def add_measure(request: HttpRequest, scope: Scope) -> HttpResponseBase:
    return _add(request, scope, "measure")


def _edit(request: HttpRequest, scope: Scope, what: What, pk: int) -> HttpResponseBase:
    org = organisation(scope)
    row = _notice_for(scope, what, pk)
    form = NoticeForm(bound(request), organisation=org, what=what, initial={"kind": row.kind})
    form.initial_texts("text", row.text)
    if form.is_bound and form.is_valid():
        before = current_revision()
        try:
            notices.edit_notice(
                row, actor(scope), kind=form.cleaned_data["kind"], text=form.texts("text")
            )
        except NoticeError as error:
            refuse(form, error)
        else:
            saved(request, before, _("Opgeslagen: het publieke overzicht toont de nieuwe tekst."))
            return redirect(_index_url(scope) + f"#{ROUTES[what]}")
    context = {
        "scope": scope,
        "form": form,
        "what": what,
        "name": NAMES[what](),
        "back": _index_url(scope),
    }
    return render(
        request, "console/incident_notice.html", context, status=400 if form.is_bound else 200
    )


def edit_instruction(request: HttpRequest, scope: Scope, instruction: int) -> HttpResponseBase:
    return _edit(request, scope, "instruction", instruction)


def edit_measure(request: HttpRequest, scope: Scope, measure: int) -> HttpResponseBase:
    return _edit(request, scope, "measure", measure)


def _remove(request: HttpRequest, scope: Scope, what: What, pk: int) -> HttpResponseBase:
    row = _notice_for(scope, what, pk)
    notices.remove_notice(row, actor(scope))
    messages.success(request, _("Verwijderd van het publieke overzicht."))
    return redirect(_index_url(scope) + f"#{ROUTES[what]}")


@require_POST
def remove_instruction(request: HttpRequest, scope: Scope, instruction: int) -> HttpResponseBase:
    return _remove(request, scope, "instruction", instruction)


@require_POST
def remove_measure(request: HttpRequest, scope: Scope, measure: int) -> HttpResponseBase:
    return _remove(request, scope, "measure", measure)

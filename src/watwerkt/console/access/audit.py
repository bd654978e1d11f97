"""The audit trail of one organisation: every write, filtered, and exported as CSV or JSON.

Admins of the organisation see its rows only (the guard checks the role; the
filter below pins the organisation). The rows come from
:mod:`watwerkt.audit.trail`, which merges audit entries with status changes.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from watwerkt.audit.trail import Filters, TrailEntry, as_csv, as_json, entries
from watwerkt.console.moments import check_range
from watwerkt.console.routing import Scope
from watwerkt.status.models import SOURCES

PAGE = 100
LAST_OFFSET = 10**9  # far beyond any trail; islice needs a machine-sized integer


class TrailForm(forms.Form):
    actor = forms.CharField(label=gettext_lazy("Wie"), required=False, max_length=200)
    source = forms.ChoiceField(
        label=gettext_lazy("Via"),
        required=False,
        choices=[("", gettext_lazy("alle"))] + [(s, s) for s in SOURCES],
    )
    action = forms.CharField(
        label=gettext_lazy("Actie (begint met)"),
        required=False,
        max_length=64,
        help_text=gettext_lazy("bv. user, status.set of incident"),
    )
    since = forms.DateField(
        label=gettext_lazy("Vanaf"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[check_range],
    )
    until = forms.DateField(
        label=gettext_lazy("Tot en met"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[check_range],
    )
    vanaf = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=LAST_OFFSET,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": gettext_lazy("Deze pagina van de audit bestaat niet: filter opnieuw."),
            "min_value": gettext_lazy("Deze pagina van de audit bestaat niet: filter opnieuw."),
            "max_value": gettext_lazy("Deze pagina van de audit bestaat niet: filter opnieuw."),
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("De begindatum ligt na de einddatum."))
        return data


def _filters(form: TrailForm, organisation_id: int, zone: ZoneInfo) -> Filters:
    data = form.cleaned_data

    def start(day: date | None, days: int = 0) -> datetime | None:
        return datetime.combine(day + timedelta(days=days), time(), zone) if day else None

    return Filters(
        organisation_ids=(organisation_id,),
        actor=data.get("actor") or "",
        source=data.get("source") or "",
        action=data.get("action") or "",
        since=start(data.get("since")),
        until=start(data.get("until"), days=1),  # "until" is the whole day, inclusive
    )


def _form(request: HttpRequest) -> TrailForm:
    return TrailForm(request.GET)  # always bound: no filter at all is a valid filter


def trail(request: HttpRequest, scope: Scope) -> HttpResponseBase:
    org = scope.organisation
    assert org is not None
    form = _form(request)
    zone = ZoneInfo(org.time_zone)
    rows: list[dict[str, Any]] = []
    more = ""
    if not form.is_valid():
        status = 400
    else:
        status = 200
        offset = form.cleaned_data.get("vanaf") or 0
        found = list(islice(entries(_filters(form, org.pk, zone)), offset, offset + PAGE + 1))
        rows = [_row(e, zone) for e in found[:PAGE]]
        if len(found) > PAGE:
            query = request.GET.copy()
            query["vanaf"] = str(offset + PAGE)
            more = "?" + query.urlencode()
    query = request.GET.copy()
    query.pop("vanaf", None)
    context = {"scope": scope, "form": form, "rows": rows, "more": more,
               "query": query.urlencode(), "zone": org.time_zone}  # fmt: skip
    return render(request, "console/audit.html", context, status=status)


def _row(entry: TrailEntry, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "at": timezone.localtime(entry.at, zone),
        "actor": entry.actor,
        "source": entry.source,
        "action": entry.action,
        "target": entry.target,
        "before": _compact(entry.before),
        "after": _compact(entry.after),
        "note": entry.note,
    }


def _compact(value: Any) -> str:
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


def export_csv(request: HttpRequest, scope: Scope) -> HttpResponseBase:
    return _export(request, scope, "csv")


def export_json(request: HttpRequest, scope: Scope) -> HttpResponseBase:
    return _export(request, scope, "json")


def _export(request: HttpRequest, scope: Scope, kind: str) -> HttpResponseBase:
    org = scope.organisation
    assert org is not None
    form = _form(request)
    if not form.is_valid():
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    rows = entries(_filters(form, org.pk, ZoneInfo(org.time_zone)))
    body, content_type = (
        (as_csv(rows), "text/csv; charset=utf-8")
        if kind == "csv"
        else (as_json(rows), "application/json")
    )
    response = HttpResponse(body, content_type=content_type)
    stamp = timezone.localtime(timezone.now(), ZoneInfo(org.time_zone)).strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{org.slug}-{stamp}.{kind}"'
    return response

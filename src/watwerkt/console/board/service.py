"""One service in the console: every function x channel with its effective and
manual status and why, what it depends on, its help; the quick edit of a
status and the editing of its alternatives, instructions and measures.

Writes: ``status.services.set_status`` (items found with
:mod:`watwerkt.status.targets`) and :mod:`watwerkt.authoring.edits`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from watwerkt.accounts.permissions import limit
from watwerkt.authoring import edits
from watwerkt.catalogue.dependencies import service_dependencies
from watwerkt.catalogue.models import Alternative, FunctionChannel, Instruction, Measure
from watwerkt.catalogue.models import Service as ServiceRow
from watwerkt.console.routing import Scope
from watwerkt.console.systems.views import system_url, system_words
from watwerkt.lib.i18n import pick
from watwerkt.present import overview as present
from watwerkt.present.words import INSTRUCTION_KINDS, MEASURE_KINDS
from watwerkt.readmodel.snapshot import current
from watwerkt.readmodel.values import Service
from watwerkt.status import targets
from watwerkt.status.explain import explain, level_label
from watwerkt.status.values import ManualStatus, manual_from_row

from .forms import (
    AlternativeRowForm,
    HelpRowForm,
    MeasureRowForm,
    QuickEditForm,
    help_formset,
)
from .views import (
    localiser,
    organisation_of,
    save_statuses,
    saved_message,
    system_label,
    system_names,
)


@dataclass
class ItemRow:
    address: str
    label: str
    level: str
    level_label: str
    qualifiers: list[str]
    since: str
    expected: str
    why: str
    manual: str
    pinned: bool
    note: str


def _service(scope: Scope, slug: str) -> ServiceRow:
    org = organisation_of(scope)
    found = limit(scope.principal, "view", ServiceRow.objects.filter(organisation=org, slug=slug))
    service = found.select_related("organisation").first()
    if service is None:
        raise Http404("no such service")
    return service


def _address(service: str, item: FunctionChannel) -> str:
    channel = item.channel.slug if item.channel is not None else "-"
    return f"{service}/{item.function.slug or '-'}/{channel}"


def _items(row: ServiceRow) -> list[FunctionChannel]:
    return list(
        FunctionChannel.objects.filter(function__service=row)
        .select_related("function", "channel")
        .order_by("function__position", "function_id", "position", "id")
    )


def quick_targets(
    row: ServiceRow, items: list[FunctionChannel], labels: dict[int, str]
) -> list[tuple[str, str]]:
    """What a quick edit can address: the whole service, each function, each item."""
    found = [
        (
            row.slug,
            ngettext("Hele dienst (%(n)s onderdeel)", "Hele dienst (%(n)s onderdelen)", len(items))
            % {"n": len(items)},
        )
    ]
    if len(items) < 2:
        return found
    functions: dict[int, list[FunctionChannel]] = {}
    for item in items:
        functions.setdefault(item.function_id, []).append(item)
    for group in functions.values():
        function = group[0].function
        if len(group) > 1 and len(functions) > 1:
            name = pick(function.name, "nl", row.organisation.language).text or function.slug
            found.append(
                (
                    f"{row.slug}/{function.slug or '-'}",
                    _("%(name)s (alle kanalen)") % {"name": name or _("Algemeen")},
                )
            )
    found += [(_address(row.slug, item), labels[item.pk]) for item in items]
    return found


def _keep(
    items: list[FunctionChannel], address: str, slug: str
) -> tuple[ManualStatus | None, int, bool]:
    """The manual status to start the form from (the first item addressed), how many
    items the address covers, and whether their manual statuses differ."""
    chosen = [
        i
        for i in items
        if _address(slug, i) == address
        or _address(slug, i).startswith(address + "/")
        or address == slug
    ]
    if not chosen:
        return None, 0, False
    statuses = {manual_from_row(i).to_json().__repr__() for i in chosen}
    return manual_from_row(chosen[0]), len(chosen), len(statuses) > 1


def _context(scope: Scope, row: ServiceRow, form: QuickEditForm | None) -> dict[str, Any]:
    org = organisation_of(scope)
    snapshot = current(org.slug)
    service = snapshot.service(row.slug) if snapshot else None
    if service is None:
        raise Http404("no such service")
    loc = localiser(org)
    labels = present.Labels(service, loc)
    names = system_names(scope)
    items = _items(row)
    item_labels = {i.id: labels.item(i) for i in service.items}
    rows = [
        _item_row(row.slug, fc, service, item_labels, loc, names)
        for fc in items
        if fc.pk in item_labels
    ]
    address = scope.request.GET.get("onderdeel", row.slug)
    choices = quick_targets(row, items, item_labels)
    if address not in {a for a, _ in choices}:
        address = row.slug
    keep, covered, differ = _keep(items, address, row.slug)
    if form is None and scope.can("edit"):
        form = QuickEditForm(
            language=org.language, keep=keep, targets=choices, initial={"target": address}
        )
    board = reverse("console:board", kwargs={"org": org.slug})
    return {
        "scope": scope,
        "service": service,
        "name": loc.text(service.name) or service.slug,
        "line": present.service_line(service, loc, board),
        "rows": rows,
        "dependencies": _dependencies(scope, row),
        "alternatives": present.alternatives_of(service, labels),
        "instructions": present.notes_of(service.instructions, INSTRUCTION_KINDS, labels),
        "measures": present.notes_of(service.measures, MEASURE_KINDS, labels),
        "form": form,
        "covered": covered,
        "differ": differ,
        "public_url": reverse("public:service", kwargs={"org": org.slug, "service": row.slug}),
        "zone": org.time_zone,
    }


def _item_row(
    slug: str,
    fc: FunctionChannel,
    service: Service,
    labels: dict[int, str],
    loc: Any,
    names: Any,
) -> ItemRow:
    item = next(i for i in service.items if i.id == fc.pk)
    status = item.status
    manual = manual_from_row(fc)
    causes = status.get("causes")
    working = item.level == "available"
    return ItemRow(
        address=_address(slug, fc),
        label=labels[fc.pk],
        level=item.level,
        level_label=loc.level(item.level),
        qualifiers=loc.qualifiers(status.get("qualifiers")),
        since="" if working else loc.since(status.get("since"), with_time=True),
        expected="" if working else loc.expected(status.get("expected")),
        why=explain(status, names, public=False) if causes else "",
        manual=level_label(manual.level.word),
        pinned=manual.pinned,
        note=loc.text(fc.note),
    )


@dataclass
class DependencyRow:
    scope: str
    system: str
    kind: str
    state: str
    href: str


def _dependencies(scope: Scope, row: ServiceRow) -> list[DependencyRow]:
    org = organisation_of(scope)
    found = []
    deps = service_dependencies(row.pk)
    words = system_words([d.system_id for d in deps], scope)
    for dep in deps:
        if dep.function_channel_id:
            item = dep.function_channel
            assert item is not None
            function = pick(item.function.name, "nl", org.language).text or _("Algemeen")
            channel = pick(item.channel.name, "nl", org.language).text if item.channel else ""
            where = f"{function} ({channel})" if channel else function
        elif dep.function_id:
            assert dep.function is not None
            where = pick(dep.function.name, "nl", org.language).text or _("Algemeen")
        else:
            where = _("hele dienst")
        found.append(
            DependencyRow(
                where,
                system_label(dep.system, org),
                _("hard") if dep.kind == "hard" else _("zacht"),
                words.get(dep.system_id, ""),
                system_url(org, dep.system),
            )
        )
    return found


def service_page(request: HttpRequest, scope: Scope, service: str) -> HttpResponseBase:
    row = _service(scope, service)
    with timezone.override(row.organisation.time_zone):
        return render(request, "console/board_service.html", _context(scope, row, None))


def quick_edit(request: HttpRequest, scope: Scope, service: str) -> HttpResponseBase:
    """POST: a new manual status for the service, one function or one item."""
    row = _service(scope, service)
    org = organisation_of(scope)
    if request.method != "POST":
        return redirect("console:service", org=org.slug, service=row.slug)
    items = _items(row)
    snapshot = current(org.slug)
    snap = snapshot.service(row.slug) if snapshot else None
    labels = present.Labels(snap, localiser(org)) if snap else None
    item_labels = {i.id: labels.item(i) for i in snap.items} if snap and labels else {}
    address = request.POST.get("target", row.slug)
    keep = _keep(items, address, row.slug)[0]
    form = QuickEditForm(
        request.POST,
        language=org.language,
        keep=keep,
        targets=quick_targets(row, items, item_labels),
    )
    with timezone.override(org.time_zone):
        if form.is_valid() and form.status is not None:
            try:
                chosen = targets.items(org, form.cleaned_data["target"])
            except targets.TargetError:
                form.add_error("target", _("Dit onderdeel bestaat niet (meer)."))
            else:
                saved = save_statuses(chosen, form.status, scope, form.cleaned_data["note"])
                messages.success(request, saved_message(saved, form.status.level))
                url = reverse("console:service", kwargs={"org": org.slug, "service": row.slug})
                return redirect(f"{url}?onderdeel={form.cleaned_data['target']}")
        context = _context(scope, row, form)
        return render(request, "console/board_service.html", context, status=400)


# -- help --------------------------------------------------------------------------------

KINDS: dict[str, tuple[Any, Any, Any, str]] = {
    "alternatives": (Alternative, AlternativeRowForm, edits.replace_alternatives, "alt"),
    "instructions": (Instruction, HelpRowForm, edits.replace_instructions, "ins"),
    "measures": (Measure, MeasureRowForm, edits.replace_measures, "mea"),
}


def _scopes(row: ServiceRow, items: list[FunctionChannel]) -> list[tuple[str, str]]:
    lang = row.organisation.language
    found = [("", _("hele dienst"))]
    seen = set()
    for item in items:
        function = item.function
        name = pick(function.name, "nl", lang).text or _("Algemeen")
        key = function.slug or "-"
        if key not in seen:
            seen.add(key)
            found.append((key, name))
        channel = pick(item.channel.name, "nl", lang).text if item.channel else _("alle kanalen")
        found.append(
            (f"{key}/{item.channel.slug if item.channel else '-'}", f"{name} \N{EN DASH} {channel}")
        )
    return found


def _initial(rows: list[Any], language: str) -> list[dict[str, Any]]:
    found = []
    for i, r in enumerate(rows):
        described = edits.describe_help(r)
        values = {"row": i, "kind": r.kind, "text": r.text.get(language, "")}
        if isinstance(r, Alternative):
            values.update(
                scope=described.get("scope", ""),
                channel=described.get("channel", ""),
                phone=r.phone,
                email=r.email,
                url=r.url,
                hours=r.hours.get(language, ""),
            )
        found.append(values)
    return found


def _formsets(row: ServiceRow, data: Any, kind: str | None) -> dict[str, Any]:
    items = _items(row)
    lang = row.organisation.language
    channels = [
        (c.slug, pick(c.name, "nl", lang).text or c.slug) for c in row.organisation.channels.all()
    ]
    found = {}
    for name, (model, form, _replace, prefix) in KINDS.items():
        stored = edits.help_rows(model, row)
        kwargs: dict[str, Any] = {"language": lang, "keep": stored}
        if model is Alternative:
            kwargs.update(scopes=_scopes(row, items), channels=channels)
        bound = data if name == kind else None
        found[name] = help_formset(form)(
            bound, prefix=prefix, initial=_initial(stored, lang), form_kwargs=kwargs
        )
    return found


def help_page(request: HttpRequest, scope: Scope, service: str) -> HttpResponseBase:
    """GET: the help of a service in forms; POST (``soort``): replace one kind."""
    row = _service(scope, service)
    org = organisation_of(scope)
    kind = request.POST.get("soort") if request.method == "POST" else None
    if kind is not None and kind not in KINDS:
        kind = None
    formsets = _formsets(row, request.POST if kind else None, kind)
    status = 200
    if kind is not None:
        formset = formsets[kind]
        if formset.is_valid():
            entries, rows = formset.entries()
            try:
                changed = KINDS[kind][2](
                    row, entries, scope.principal.actor, request.POST.get("note", "")[:500]
                )
            except edits.CatalogueError as error:
                formset.refused(error, rows)
            else:
                messages.success(
                    request,
                    _("Opgeslagen.") if changed else _("Niets veranderd: het stond er al zo."),
                )
                url = reverse("console:service-help", kwargs={"org": org.slug, "service": row.slug})
                return redirect(url)
        status = 400
    context = {
        "scope": scope,
        "row": row,
        "name": pick(row.name, "nl", org.language).text or row.slug,
        "formsets": [(name, formsets[name]) for name in KINDS],
        "service_url": reverse("console:service", kwargs={"org": org.slug, "service": row.slug}),
    }
    return render(request, "console/board_help.html", context, status=status)

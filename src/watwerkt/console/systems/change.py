"""Set a system down, degraded, in maintenance or up: preview the impact, then confirm.

Step one (a POST without ``confirm``) shows every organisation, domain, service
and function x channel whose level would change, before -> after, among the
organisations the person has a role in (a shared system's impact elsewhere
is only counted), from :func:`watwerkt.status.impact.preview`. Step two posts
the same values with the preview's digest; :func:`watwerkt.status.impact.apply`
makes the change only if it still does exactly what was shown, else the
person sees the new preview. Nothing is written before the confirm.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from watwerkt.accounts.permissions import organisation_ids, visible_system_ids
from watwerkt.catalogue.models import Channel, Domain, Function, Organisation, Service, System
from watwerkt.console.routing import Scope
from watwerkt.lib.i18n import pick
from watwerkt.status.explain import level_label, state_label
from watwerkt.status.impact import Impact, ImpactLine, ImpactMoved, apply, preview

from .forms import SystemStateForm
from .views import detail_context, find_to_change, name_of, organisation_of, system_url

SUBJECT_TITLES = {
    "organisation": lambda: _("Organisaties"),
    "domain": lambda: _("Domeinen"),
    "service": lambda: _("Diensten"),
    "item": lambda: _("Onderdelen (functie × kanaal)"),  # noqa: RUF001 - the sign, not an x
    "system": lambda: _("Andere systemen"),
}
SHOWN = ("service", "item", "domain", "organisation", "system")


@dataclass
class Shown:
    name: str
    url: str
    before: str
    after: str
    better: bool


def _words(line: ImpactLine, word: str) -> str:
    if word == "-":
        return _("(geen)")
    return state_label(word) if line.subject == "system" else level_label(word)


class Names:
    """Readable names for the paths of impact lines (one query per kind)."""

    def __init__(self, lines: tuple[ImpactLine, ...]) -> None:
        parts = [line.path.split("/") for line in lines]
        slugs = {p[0] for p in parts}
        self.orgs = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
        by = defaultdict(set)
        for line, p in zip(lines, parts, strict=True):
            if len(p) > 1:
                by[line.subject if line.subject != "item" else "service"].add(p[1])
        self.services = {
            (s.organisation.slug, s.slug): s
            for s in Service.objects.filter(
                organisation__slug__in=slugs, slug__in=by["service"]
            ).select_related("organisation")
        }
        self.domains = {
            (d.organisation.slug, d.slug): d
            for d in Domain.objects.filter(
                organisation__slug__in=slugs, slug__in=by["domain"]
            ).select_related("organisation")
        }
        self.systems = {
            (s.organisation.slug, s.slug): s
            for s in System.objects.filter(
                organisation__slug__in=slugs, slug__in=by["system"]
            ).select_related("organisation")
        }
        self.functions = {
            (f.service.organisation.slug, f.service.slug, f.slug): f
            for f in Function.objects.filter(service__in=self.services.values()).select_related(
                "service__organisation"
            )
        }
        self.channels = {
            (c.organisation.slug, c.slug): c
            for c in Channel.objects.filter(organisation__slug__in=slugs).select_related(
                "organisation"
            )
        }

    def text(self, texts: dict[str, str], org: str) -> str:
        found = self.orgs.get(org)
        return pick(texts, "nl", found.language if found else "nl").text

    def of(self, line: ImpactLine) -> tuple[str, str]:
        """(name, console URL or "") of the subject a line is about."""
        p = line.path.split("/")
        org = p[0]
        if line.subject == "organisation":
            found = self.orgs.get(org)
            return (self.text(found.name, org) if found else "") or org, ""
        if line.subject == "domain":
            domain = self.domains.get((org, p[1]))
            return (self.text(domain.name, org) if domain else "") or p[1], ""
        if line.subject == "system":
            system = self.systems.get((org, p[1]))
            return (name_of(system) if system else p[1]), ""
        service = self.services.get((org, p[1]))
        name = (self.text(service.name, org) if service else "") or p[1]
        url = reverse("console:service", kwargs={"org": org, "service": p[1]}) if service else ""
        if line.subject == "service":
            return name, url
        return f"{name} \N{EN DASH} {self._part(org, p)}", url

    def _part(self, org: str, p: list[str]) -> str:
        function = self.functions.get((org, p[1], "" if p[2] == "-" else p[2]))
        fname = (self.text(function.name, org) if function else "") or _("Algemeen")
        if p[3] == "-":
            return fname
        channel = self.channels.get((org, p[3]))
        return f"{fname} ({(self.text(channel.name, org) if channel else '') or p[3]})"


def impact_groups(impact: Impact) -> list[tuple[str, list[Shown]]]:
    names = Names(impact.lines)
    groups = []
    for subject in SHOWN:
        lines = impact.of(subject)
        if lines:
            shown = []
            for line in lines:
                name, url = names.of(line)
                shown.append(
                    Shown(
                        name, url, _words(line, line.before), _words(line, line.after), line.better
                    )
                )
            groups.append((SUBJECT_TITLES[subject](), shown))
    return groups


def _counts(impact: Impact) -> tuple[int, int]:
    services = impact.of("service")
    return sum(1 for x in services if x.better), sum(1 for x in services if not x.better)


def _preview_page(
    request: HttpRequest,
    scope: Scope,
    system: System,
    form: SystemStateForm,
    impact: Impact,
    moved: bool = False,
) -> HttpResponseBase:
    better, worse = _counts(impact)
    assert form.change is not None
    context = {
        "scope": scope,
        "system": system,
        "name": name_of(system),
        "form": form,
        "state": state_label(form.change.state.word),
        "groups": impact_groups(impact),
        "digest": impact.digest,
        "better": better,
        "worse": worse,
        "hidden": impact.hidden,
        "moved": moved,
        "system_url": system_url(organisation_of(scope), system),
    }
    return render(request, "console/system_preview.html", context, status=409 if moved else 200)


def change(request: HttpRequest, scope: Scope, owner: str, system: str) -> HttpResponseBase:
    """POST: preview a new state (step one), or confirm the preview (step two)."""
    found = find_to_change(scope, owner, system)
    org = organisation_of(scope)
    if request.method != "POST":
        return redirect(system_url(org, found))
    form = SystemStateForm(request.POST, language=found.organisation.language)
    with timezone.override(org.time_zone):
        if not form.is_valid() or form.change is None:
            context = detail_context(scope, found, form=form)
            return render(request, "console/system_detail.html", context, status=400)
        visible = {
            "organisation_ids": organisation_ids(scope.principal),
            "system_ids": visible_system_ids(scope.principal),
        }
        confirmed = form.cleaned_data.get("confirm") or ""
        if not confirmed:
            return _preview_page(
                request, scope, found, form, preview(found, form.change, **visible)
            )
        try:
            done = apply(
                found,
                form.change,
                scope.principal.actor,
                form.cleaned_data["note"],
                confirmed=confirmed,
                **visible,
            )
        except ImpactMoved as moved:
            return _preview_page(request, scope, found, form, moved.impact, moved=True)
    better, worse = _counts(done)
    messages.success(request, _done(name_of(found), form.change.state.word, better, worse))
    return redirect(system_url(org, found))


def _done(name: str, state: str, better: int, worse: int) -> str:
    said = _("%(name)s staat nu op “%(state)s”.") % {"name": name, "state": state_label(state)}
    if better:
        said += " " + ngettext(
            "%(n)s dienst werkt beter.", "%(n)s diensten werken beter.", better
        ) % {"n": better}
    if worse:
        said += " " + ngettext(
            "%(n)s dienst werkt minder goed.", "%(n)s diensten werken minder goed.", worse
        ) % {"n": worse}
    return said

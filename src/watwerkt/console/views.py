"""The console's home (choose an organisation) and an organisation's landing page.

Views get a :class:`~watwerkt.console.routing.Scope` from the guard: who asks
and where. They never check permissions themselves.
"""

from __future__ import annotations

from collections import Counter

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse

from watwerkt.accounts.permissions import visible_systems
from watwerkt.engine import LEVEL_WORDS
from watwerkt.lib.i18n import pick
from watwerkt.status.explain import level_label, state_label
from watwerkt.status.models import EffectiveStatus

from .routing import Scope


def home(request: HttpRequest, scope: Scope) -> HttpResponseBase:
    """Straight to the one organisation; a choice between several; or a note
    that this person has no role anywhere yet."""
    orgs = scope.organisations
    wanted = request.GET.get("organisatie")
    chosen = [o for o in orgs if o.slug == wanted] if wanted else orgs[:1] if len(orgs) == 1 else []
    if chosen:
        return redirect("console:organisation", org=chosen[0].slug)
    listed = [
        (pick(o.name, "nl", o.language).text or o.slug,
         reverse("console:organisation", kwargs={"org": o.slug}),
         scope.principal.role_in(o))
        for o in orgs
    ]  # fmt: skip
    return render(request, "console/home.html", {"scope": scope, "organisations": listed})


def organisation(request: HttpRequest, scope: Scope) -> HttpResponseBase:
    """What needs attention: services by effective level, and systems that are not up,
    including shared systems of other organisations that services here depend on."""
    org = scope.organisation
    assert org is not None  # an organisation page: the guard resolved it
    levels = Counter(
        value["level"]
        for value in EffectiveStatus.objects.filter(organisation=org, subject="service")
        .values_list("value", flat=True)
    )  # fmt: skip
    systems = [
        {
            "name": pick(s.name, "nl", org.language).text or s.slug,
            "state": state_label(s.state),
            "owner": s.organisation.slug,
            "shared": s.organisation_id != org.pk,
        }
        for s in visible_systems(scope.principal, org).select_related("organisation")
        if s.state != "up"
    ]
    context = {
        "scope": scope,
        "name": pick(org.name, "nl", org.language).text or org.slug,
        "levels": [(level_label(w), levels[w], w) for w in LEVEL_WORDS if levels[w]],
        "systems": systems,
        "public_url": reverse("public:overview", kwargs={"org": org.slug}),
    }
    return render(request, "console/organisation.html", context)

"""The API keys of an organisation, for its admins: list, make (shown once), revoke.

The guard lets only admins of the organisation in; everything the page does
goes through :mod:`watwerkt.accounts.tokens`, the functions the CLI calls,
so making and revoking is audited the same way. A new key's secret is in the
answer to the POST that made it and nowhere else: not in the session, not in
a redirect, and the guard marks every console page never to be cached.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from watwerkt.accounts import tokens
from watwerkt.accounts.models import ApiToken
from watwerkt.accounts.roles import Role
from watwerkt.catalogue.models import Organisation
from watwerkt.console.moments import check_range
from watwerkt.console.routing import Scope

ROLE_LABELS = {
    Role.VIEWER: gettext_lazy("viewer: wijzigt niets"),
    Role.EDITOR: gettext_lazy("editor: wijzigt statussen en updates"),
    Role.ADMIN: gettext_lazy("admin: zoals editor"),
}
STATES = {
    "active": gettext_lazy("actief"),
    "revoked": gettext_lazy("ingetrokken"),
    "expired": gettext_lazy("verlopen"),
}


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Naam"),
        max_length=100,
        help_text=gettext_lazy(
            "Waarvoor de sleutel dient, bv. monitoring of website. Letters, cijfers, "
            "spaties, punten, streepjes; in de audit staat deze naam bij elke wijziging."
        ),
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Rol"),
        choices=[(r.value, label) for r, label in ROLE_LABELS.items()],
        initial=Role.EDITOR.value,
    )
    expires = forms.DateField(
        label=gettext_lazy("Geldig tot en met"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Leeg: tot iemand de sleutel intrekt."),
        validators=[check_range],
    )

    def __init__(self, organisation: Organisation, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        if not tokens.NAME.fullmatch(name):
            raise forms.ValidationError(
                _("Gebruik letters, cijfers, spaties, punten, streepjes of liggende streepjes.")
            )
        if ApiToken.objects.filter(organisation=self.organisation, name=name).exists():
            raise forms.ValidationError(
                _("Er is al een sleutel met deze naam (misschien ingetrokken). Kies een andere.")
            )
        return name

    def clean_expires(self) -> date | None:
        day: date | None = self.cleaned_data.get("expires")
        today = timezone.localdate(timezone=ZoneInfo(self.organisation.time_zone))
        if day is not None and day < today:
            raise forms.ValidationError(_("Die dag is al voorbij."))
        return day


def index(request: HttpRequest, scope: Scope) -> HttpResponseBase:
    """GET: the keys and a form for a new one. POST: make one, or revoke one."""
    org = scope.organisation
    assert org is not None  # an organisation page: the guard resolved it
    if request.method == "POST" and request.POST.get("action") == "revoke":
        return _revoke(request, scope, org)
    form = TokenForm(org)
    made: tuple[ApiToken, str] | None = None
    status = 200
    if request.method == "POST":
        form = TokenForm(org, request.POST)
        made = _create(form, scope, org)
        if made is None:
            status = 400
        else:
            form = TokenForm(org)  # a fresh form under the new key
    context = {
        "scope": scope,
        "form": form,
        "made": made,
        "rows": _rows(org),
        "api": request.build_absolute_uri(reverse("api:index")),
        "zone": org.time_zone,
    }
    return render(request, "console/tokens.html", context, status=status)


def _create(form: TokenForm, scope: Scope, org: Organisation) -> tuple[ApiToken, str] | None:
    if not form.is_valid():
        return None
    day = form.cleaned_data.get("expires")
    try:
        return tokens.create(
            org,
            form.cleaned_data["name"],
            Role(form.cleaned_data["role"]),
            scope.principal.actor,
            expires_at=tokens.expiry(day, org) if day else None,
        )
    except tokens.TokenError as error:  # made by someone else at the same moment
        form.add_error(None, _("Deze sleutel kan niet: %(why)s") % {"why": error})
        return None


def _revoke(request: HttpRequest, scope: Scope, org: Organisation) -> HttpResponseBase:
    try:
        token = tokens.find(request.POST.get("token", ""), organisation=org)
        tokens.revoke(token, scope.principal.actor)
    except tokens.TokenError:
        messages.error(request, _("Deze sleutel bestaat niet of is al ingetrokken."))
    else:
        messages.success(
            request,
            _("Sleutel %(name)s is ingetrokken: hij werkt niet meer.") % {"name": token.name},
        )
    return redirect("console:tokens", org=org.slug)


def _rows(org: Organisation) -> list[dict[str, Any]]:
    zone = ZoneInfo(org.time_zone)

    def local(moment: Any) -> Any:
        return timezone.localtime(moment, zone) if moment else None

    return [
        {
            "id": token.public_id,
            "name": token.name,
            "role": token.role,
            "state": tokens.state(token),
            "state_label": STATES[tokens.state(token)],
            "created_at": local(token.created_at),
            "created_by": token.created_by,
            "expires_at": local(token.expires_at),
            "last_used_at": local(token.last_used_at),
            "revoked_at": local(token.revoked_at),
            "revoked_by": token.revoked_by,
        }
        for token in tokens.listing(org)
    ]

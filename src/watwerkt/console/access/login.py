"""Signing in to the console: password, then a code from an authenticator app.

Nobody is signed in until every step is done. The password step only notes,
in the session, who is half-way (for a few minutes); the code step (or, the
first time, setting up the authenticator) completes the sign-in. So no page
ever sees a person who gave a password but no code as signed in.

Wrong passwords and wrong codes both count towards the lockout
(django-axes), per user name and address; a locked-out person gets
:func:`locked_out`, a page that says so in plain Dutch.
"""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, update_session_auth_hash
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.csrf import csrf_failure as django_csrf_failure
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from watwerkt.accounts import services, twofactor
from watwerkt.console.routing import LANGUAGE, Scope, mark_seen, signed_in_user
from watwerkt.status.writing import Actor

PENDING = "console.pending"  # session key: {"user": id, "at": time, "next": url}
PENDING_SECONDS = 300  # a half-done sign-in is forgotten after five minutes
BACKEND = "django.contrib.auth.backends.ModelBackend"


class LoginForm(forms.Form):
    username = forms.CharField(
        label=gettext_lazy("Gebruikersnaam"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=gettext_lazy("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user: Any = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        username, password = data.get("username"), data.get("password")
        if username and password:
            self.user = authenticate(self.request, username=username, password=password)
            if self.user is None:
                raise forms.ValidationError(_disabled_or_wrong(username, password))
        return data


def _disabled_or_wrong(username: str, password: str) -> str:
    """Tell a disabled person so, but only once they proved their password."""
    user = get_user_model().objects.filter(username=username, is_active=False).first()
    if user is not None and user.check_password(password):
        return _(
            "Dit account is uitgeschakeld. Vraag een beheerder van je organisatie om het "
            "weer aan te zetten."
        )
    return _(
        "Deze combinatie van gebruikersnaam en wachtwoord kennen we niet. Let op: na "
        "%(limit)s mislukte pogingen word je een tijd geblokkeerd."
    ) % {"limit": settings.AXES_FAILURE_LIMIT}


class CodeForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code uit je app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        token = twofactor.clean_token(self.cleaned_data["token"])
        if token is None:
            raise forms.ValidationError(_("Typ de zes cijfers die je app nu toont."))
        return token


def _safe_next(request: HttpRequest, url: str | None) -> str:
    """Only back into the console, on this site."""
    home = reverse("console:home")
    if (
        url
        and url.startswith(home)
        and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return url
    return home


def login(request: HttpRequest) -> HttpResponseBase:
    if request.user.is_authenticated and getattr(request.user, "otp_device", None) is not None:
        return redirect(_safe_next(request, request.GET.get("next")))
    form = LoginForm(request, request.POST if request.method == "POST" else None)
    if form.is_valid():
        user = form.user
        target = _safe_next(request, request.POST.get("next"))
        if not twofactor.required(user):
            return _finish(request, user, None, target)
        request.session[PENDING] = {"user": user.pk, "at": time.time(), "next": target}
        step = "console:code" if twofactor.confirmed_device(user) else "console:enrol"
        return redirect(step)
    context = {
        "form": form,
        "next": _safe_next(request, request.GET.get("next") or request.POST.get("next")),
        "expired": "verlopen" in request.GET,
        "signed_out": "uit" in request.GET,
    }
    return render(request, "console/login.html", context, status=400 if form.errors else 200)


def _pending_user(request: HttpRequest) -> Any:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user_id = pending.get("user")
    if not isinstance(user_id, int):
        return None
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()


def _finish(
    request: HttpRequest, user: Any, device: TOTPDevice | None, target: str
) -> HttpResponse:
    request.session.pop(PENDING, None)
    auth_login(request, user, backend=BACKEND)  # a new session key: no fixation
    if device is not None:
        otp_login(request, device)
    mark_seen(request)
    return redirect(target)


def _locked(request: HttpRequest, username: str) -> bool:
    from axes.handlers.proxy import AxesProxyHandler

    return not AxesProxyHandler.is_allowed(request, {"username": username})


def _wrong_code(request: HttpRequest, form: CodeForm, username: str) -> None:
    """Count a wrong code like a wrong password (the lockout may follow)."""
    user_login_failed.send(__name__, credentials={"username": username}, request=request)
    form.add_error("token", _("Deze code klopt niet. Kijk of de klok van je toestel juist staat."))


def _throttled(form: CodeForm, device: TOTPDevice) -> bool:
    """After a wrong code, django-otp checks the next one only after a pause."""
    wait = twofactor.wait_seconds(device)
    if wait:
        form.add_error("token", _("Wacht %(n)s seconden na een foute code.") % {"n": wait})
    return wait > 0


def code(request: HttpRequest) -> HttpResponseBase:
    """Step two: the code from the authenticator app."""
    user = _pending_user(request)
    if user is None:
        return redirect("console:login")
    if twofactor.confirmed_device(user) is None:
        return redirect("console:enrol")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if _locked(request, user.username):
            return locked_out(request)
        if form.is_valid() and not _throttled(form, twofactor.confirmed_device(user)):
            device = twofactor.verify(user, form.cleaned_data["token"])
            if device is not None:
                return _finish(request, user, device, request.session[PENDING]["next"])
            _wrong_code(request, form, user.username)
    return render(request, "console/code.html", {"form": form}, status=400 if form.errors else 200)


def enrol(request: HttpRequest) -> HttpResponseBase:
    """The first time: set up an authenticator app, and prove it works with a code."""
    user = _pending_user(request)
    if user is None:
        return redirect("console:login")
    if twofactor.confirmed_device(user) is not None:
        return redirect("console:code")
    device = twofactor.enrolment_device(user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if _locked(request, user.username):
            return locked_out(request)
        if form.is_valid() and not _throttled(form, device):
            actor = Actor(user.username, "console")
            if twofactor.confirm(device, form.cleaned_data["token"], actor):
                return _finish(request, user, device, request.session[PENDING]["next"])
            _wrong_code(request, form, user.username)
    context = {
        "form": form,
        "qr": twofactor.qr_data_uri(device),
        "uri": twofactor.otpauth_uri(device),
        "secret": twofactor.secret(device),
    }
    return render(request, "console/enrol.html", context, status=400 if form.errors else 200)


def logout(request: HttpRequest) -> HttpResponseBase:
    if request.method == "POST":
        auth_logout(request)
        return redirect(reverse("console:login") + "?uit=1")
    return render(request, "console/logout.html")


def password(request: HttpRequest, scope: Scope) -> HttpResponseBase:
    user = signed_in_user(request)
    form = PasswordChangeForm(user, request.POST if request.method == "POST" else None)
    if form.is_valid():
        services.change_password(user, form.cleaned_data["new_password1"], scope.principal.actor)
        update_session_auth_hash(request, user)  # stay signed in here; other sessions end
        messages.success(request, _("Je wachtwoord is gewijzigd."))
        return redirect("console:home")
    context = {"form": form, "scope": scope, "temporary": services.password_is_temporary(user)}
    return render(request, "console/password.html", context, status=400 if form.errors else 200)


def locked_out(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """What django-axes answers to a locked-out sign-in (``AXES_LOCKOUT_CALLABLE``)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    with translation.override(LANGUAGE):
        response = render(request, "console/locked.html", {"minutes": minutes}, status=429)
    add_never_cache_headers(response)
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form posted without a valid CSRF token: in the console, say so in Dutch
    (usually the page was open longer than the session lasts)."""
    if not request.path.startswith("/console/"):
        return django_csrf_failure(request, reason)
    with translation.override(LANGUAGE):
        return render(request, "console/csrf.html", status=403)

"""Every console URL declares, once, what it needs; views hold no permission code.

``console_path(route, view, "edit", name="board", menu=...)`` is Django's
``path()`` plus a guard that runs before the view:

========== ===========================================================
access     who gets the view
========== ===========================================================
public     anyone (sign-in pages)
signed_in  anyone signed in, with a second factor where their roles need one
view       a role in the route's organisation (``<slug:org>``)
edit       editor or admin there
admin      admin there
========== ===========================================================

Anonymous visitors are sent to the sign-in page; a signed-in person gets 404
for an organisation they have no role in (exactly as for one that does not
exist) and 403 where their role is too small. Views receive a :class:`Scope`:
who asks, in which organisation. The test in ``tests/console/test_permission_walk.py``
walks every URL under /console/ and fails for one not declared here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, wraps
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from watwerkt.accounts import services, twofactor
from watwerkt.accounts.permissions import Principal, can, organisations
from watwerkt.accounts.roles import Action, Role
from watwerkt.catalogue.models import Organisation

ACCESS = ("public", "signed_in", "view", "edit", "admin")
LANGUAGE = "nl"  # the console speaks Dutch (its msgids are Dutch)
SEEN = "console.seen"  # session key: time of the last console request
SEEN_EVERY = 60  # seconds: refresh the idle clock (and save the session) at most this often
PASSWORD_URL = "console:password"  # noqa: S105 - a URL name


@dataclass(frozen=True)
class MenuEntry:
    name: str  # URL name, without the "console:" namespace
    label: str  # shown in the navigation (a lazy translation)
    access: str
    position: int


MENU: dict[str, MenuEntry] = {}


@dataclass(frozen=True)
class Scope:
    """Who asks (``principal``), where (``organisation``; None on pages that belong
    to no organisation), and which organisations they may switch to."""

    request: HttpRequest
    principal: Principal
    organisation: Organisation | None

    def can(self, action: Action | str) -> bool:
        return self.organisation is not None and can(self.principal, action, self.organisation)

    @property
    def role(self) -> Role | None:
        return self.principal.role_in(self.organisation) if self.organisation else None

    @cached_property
    def organisations(self) -> list[Organisation]:
        return list(organisations(self.principal))

    @cached_property
    def menu(self) -> list[tuple[str, Any, bool]]:
        """(url, label, is the current page) for every page this person may open here."""
        if self.organisation is None:
            return []
        match = self.request.resolver_match
        current = match.url_name if match else ""
        return [
            (reverse(f"console:{e.name}", kwargs={"org": self.organisation.slug}), e.label,
             e.name == current)
            for e in sorted(MENU.values(), key=lambda e: e.position)
            if self.can(e.access)
        ]  # fmt: skip


View = Callable[..., HttpResponseBase]


def console_path(
    route: str,
    view: View,
    access: str,
    *,
    name: str,
    menu: Any = None,
    position: int = 50,
) -> URLPattern:
    """``path(route, view)`` under /console/, guarded by ``access`` (see the module).
    With ``menu`` (a label), the page is listed in the navigation of its
    organisation, ordered by ``position``, for those allowed to open it."""
    if access not in ACCESS:
        raise ImproperlyConfigured(f"console URL {route!r}: access must be one of {ACCESS}")
    scoped = access in ("view", "edit", "admin")
    if scoped != route.startswith("<slug:org>/"):
        raise ImproperlyConfigured(
            f"console URL {route!r}: view, edit and admin pages start with <slug:org>/, "
            "and only they do"
        )
    if menu is not None:
        if not scoped:
            raise ImproperlyConfigured(
                f"console URL {route!r}: only organisation pages have a menu entry"
            )
        MENU[name] = MenuEntry(name, menu, access, position)
    guarded = _guard(view, access)
    guarded.console_access = access  # type: ignore[attr-defined]
    return path(route, guarded, name=name)


def _guard(view: View, access: str) -> View:
    @wraps(view)
    def guarded(request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
        with translation.override(LANGUAGE):
            try:
                response = _enter(request, view, access, kwargs)
            except Http404:
                response = error(request, 404)
            except PermissionDenied:
                response = error(request, 403)
            add_never_cache_headers(response)  # private pages: never in a shared cache
            response.headers["Content-Language"] = LANGUAGE
            return response

    return guarded


def _enter(
    request: HttpRequest, view: View, access: str, kwargs: dict[str, Any]
) -> HttpResponseBase:
    if access == "public":
        return view(request, **kwargs)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = signed_in_user(request)
    if _idle_too_long(request) or _missing_second_factor(request):
        logout(request)
        return redirect_to_login(request.get_full_path(), reverse("console:login") + "?verlopen=1")
    match = request.resolver_match
    if services.password_is_temporary(user) and (match is None or match.view_name != PASSWORD_URL):
        return redirect(PASSWORD_URL)
    principal = principal_for(request)
    if access == "signed_in":
        return view(request, Scope(request, principal, None), **kwargs)
    organisation = Organisation.objects.filter(slug=kwargs.pop("org")).first()
    if organisation is None or not can(principal, Action.VIEW, organisation):
        raise Http404("no such organisation")
    if not can(principal, access, organisation):
        raise PermissionDenied
    return view(request, Scope(request, principal, organisation), **kwargs)


def signed_in_user(request: HttpRequest) -> User:
    """The person behind a request the guard let through (never anonymous)."""
    user = request.user
    assert isinstance(user, User), "only for views behind a signed_in, view, edit or admin guard"
    return user


def principal_for(request: HttpRequest) -> Principal:
    verified = getattr(request.user, "otp_device", None) is not None
    return Principal.for_user(request.user, second_factor=verified)


def _idle_too_long(request: HttpRequest) -> bool:
    now = time.time()
    seen = request.session.get(SEEN)
    if not isinstance(seen, (int, float)) or now - seen > settings.CONSOLE_IDLE_MINUTES * 60:
        return True
    if now - seen > SEEN_EVERY:
        request.session[SEEN] = now  # saving the session also renews its expiry
    return False


def _missing_second_factor(request: HttpRequest) -> bool:
    """A session without a verified code, for a person whose roles now need one
    (promoted, or their authenticator was reset, while signed in)."""
    return getattr(request.user, "otp_device", None) is None and twofactor.required(request.user)


def mark_seen(request: HttpRequest) -> None:
    request.session[SEEN] = time.time()


def error(request: HttpRequest, status: int) -> HttpResponse:
    """The console's own 403 and 404 pages, which never say whether something exists."""
    return render(request, "console/error.html", {"status": status}, status=status)

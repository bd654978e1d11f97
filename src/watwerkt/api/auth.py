"""Who writes through the API: a bearer token, checked, throttled and scoped.

Only ``Authorization: Bearer <token>`` is read: never a query parameter
(URLs end up in logs and browser histories), never a cookie (so no CSRF).
Every refusal is in the API's one error shape:

- 401 ``unauthenticated`` with ``WWW-Authenticate: Bearer``: no token, not a
  token, unknown, revoked or expired (RFC 6750);
- 429 ``too_many_requests``: too many wrong tokens from one address;
- 404 ``not_found``: an organisation the token does not belong to, worded
  exactly as for one that does not exist, as the console does for people;
- 403 ``forbidden``: the token's own organisation, but its role is too small.

Who may do what is decided by :func:`watwerkt.accounts.permissions.can`, as
for people in the console.
"""

from __future__ import annotations

from django.http import HttpRequest

from watwerkt.accounts import tokens
from watwerkt.accounts.models import ApiToken
from watwerkt.accounts.permissions import Principal, can
from watwerkt.accounts.roles import Action
from watwerkt.accounts.throttle import client_ip, token_failed, token_wait
from watwerkt.catalogue.models import Organisation

from .errors import ApiError

REALM = "watwerkt"

REFUSALS = {
    tokens.Refusal.MALFORMED: "this is not an API token: they start with ww_",
    tokens.Refusal.UNKNOWN: "this API token is not valid",
    tokens.Refusal.REVOKED: "this API token was revoked",
    tokens.Refusal.EXPIRED: "this API token has expired",
}


class AuthError(ApiError):
    """An :class:`ApiError` with the headers its status needs."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(status, code, message)
        self.headers = headers or {}


def _challenge(error: str = "", description: str = "") -> dict[str, str]:
    value = f'Bearer realm="{REALM}"'
    if error:
        value += f', error="{error}", error_description="{description}"'
    return {"WWW-Authenticate": value}


def unauthenticated(message: str, error: str = "", description: str = "") -> AuthError:
    return AuthError(401, "unauthenticated", message, _challenge(error, description))


def authenticate(request: HttpRequest) -> ApiToken:
    """The token this request carries, or an :class:`AuthError`."""
    address = client_ip(request)
    wait = token_wait(address)
    if wait:
        raise AuthError(
            429,
            "too_many_requests",
            f"too many invalid API tokens from this address; try again in {wait} seconds",
            {"Retry-After": str(wait)},
        )
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header:
        raise unauthenticated("this needs an API token: send 'Authorization: Bearer <token>'")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise unauthenticated(
            "send the API token as 'Authorization: Bearer <token>'",
            "invalid_request",
            "expected a Bearer token",
        )
    checked = tokens.check(raw.strip())
    if checked.token is None:
        refusal = checked.refusal or tokens.Refusal.UNKNOWN
        if refusal in (tokens.Refusal.MALFORMED, tokens.Refusal.UNKNOWN):
            token_failed(address)  # revoked and expired tokens were real: no guessing there
        raise unauthenticated(REFUSALS[refusal], "invalid_token", REFUSALS[refusal])
    return checked.token


def organisation(token: ApiToken, slug: str, action: Action) -> tuple[Organisation, Principal]:
    """The organisation ``slug`` names, when ``token`` may do ``action`` there."""
    principal = tokens.principal(token)
    found = token.organisation if token.organisation.slug == slug else None
    if found is None or not can(principal, Action.VIEW, found):
        # The same answer whether it exists or not: a token learns nothing of others.
        raise ApiError(404, "not_found", f"no organisation {slug!r} for this token")
    if not can(principal, action, found):
        needed = action.least_role.value
        raise ApiError(
            403,
            "forbidden",
            f"this token is a {token.role} of {slug}; this needs the {needed} role or more",
        )
    return found, principal

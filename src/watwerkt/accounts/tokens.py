"""API tokens: made, checked, listed and revoked here, by the CLI, the console and the API.

A token is ``ww_<public id>_<secret>``: the prefix makes a leaked token easy
to recognise (secret scanners, log filters), the public id finds its row, and
the secret is 32 random bytes. Only the SHA-256 of the whole token is stored,
and a token is shown once, when it is made. A fast hash is enough: the secret
is 256 random bits, not a password people choose, so there is nothing to
guess from a leaked hash, and checking costs one hash per request.

Making and revoking a token is audited (never with the secret or its hash).
The last use is recorded at most once a minute per token, so a busy client
does not turn every request into a write.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from watwerkt.audit.services import record
from watwerkt.catalogue.models import Organisation
from watwerkt.status.values import parse_date, parse_datetime
from watwerkt.status.writing import Actor

from .models import ApiToken
from .permissions import Principal
from .roles import Role

PREFIX = "ww_"
PUBLIC_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
PUBLIC_LENGTH = 12
SECRET_BYTES = 32
# ww_, 12 characters of public id, _, 43 characters of URL-safe base64 (32 bytes).
TOKEN = re.compile(r"^ww_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$")
NAME_HELP = "1 to 100 letters, digits, spaces, dots, hyphens or underscores"
TOUCH_EVERY = timedelta(minutes=1)  # how stale "last used" may be


class TokenError(ValueError):
    """A token request refused; the message says why."""


class Refusal(StrEnum):
    """Why a presented token does not authenticate."""

    MALFORMED = "malformed"  # not ww_<id>_<secret> at all
    UNKNOWN = "unknown"  # no such token, or the secret does not match
    REVOKED = "revoked"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Checked:
    """The outcome of :func:`check`: the token, or why there is none."""

    token: ApiToken | None
    refusal: Refusal | None = None

    @property
    def principal(self) -> Principal:
        assert self.token is not None, "only for a token that authenticated"
        return principal(self.token)


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _public_id() -> str:
    return "".join(secrets.choice(PUBLIC_ALPHABET) for _ in range(PUBLIC_LENGTH))


def principal(token: ApiToken) -> Principal:
    """Who a token is, for :func:`~watwerkt.accounts.permissions.can`: its name,
    source "api", its one role in its one organisation."""
    return Principal.for_token(token.name, token.organisation_id, Role(token.role))


def state(token: ApiToken, now: datetime | None = None) -> str:
    """``active``, ``revoked`` or ``expired``."""
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and token.expires_at <= (now or timezone.now()):
        return "expired"
    return "active"


def describe(token: ApiToken) -> dict[str, Any]:
    """A token as the audit trail keeps it and lists show it: never its secret or hash."""
    return {
        "id": token.public_id,
        "organisation": token.organisation.slug,
        "name": token.name,
        "role": token.role,
        "created_by": token.created_by,
        "created_at": token.created_at.isoformat(),
        "expires_at": token.expires_at.isoformat() if token.expires_at else None,
        "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
        "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
        "state": state(token),
    }


def _label(token: ApiToken) -> str:
    return f"{token.organisation.slug}/{token.name}"


def _audited(token: ApiToken) -> dict[str, Any]:
    return {k: v for k, v in describe(token).items() if k not in ("last_used_at", "state")}


def expiry(raw: str | date, organisation: Organisation) -> datetime:
    """When a token given ``--expires raw`` stops working. A date means "through
    that day": the token stops at the midnight after it, in the organisation's
    time zone; a date and time is taken as it is (without an offset, in that
    time zone too)."""
    zone = ZoneInfo(organisation.time_zone)
    if isinstance(raw, date) and not isinstance(raw, datetime):
        day = raw
    elif isinstance(raw, str) and re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", raw):
        day = parse_date(raw)
    else:
        with timezone.override(zone):
            return parse_datetime(raw)
    return datetime.combine(day + timedelta(days=1), time(), zone)


def create(
    organisation: Organisation,
    name: str,
    role: Role,
    actor: Actor,
    *,
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new token; returns it and the secret token text, which is never stored
    and cannot be shown again."""
    name = name.strip()
    if not NAME.fullmatch(name):
        raise TokenError(f"token name {name!r}: use {NAME_HELP}")
    now = timezone.now()
    if expires_at is not None and expires_at <= now:
        raise TokenError("the expiry lies in the past; give a moment in the future")
    with transaction.atomic():
        if ApiToken.objects.filter(organisation=organisation, name=name).exists():
            raise TokenError(
                f"{organisation.slug} already has a token named {name!r} (perhaps revoked); "
                "names stay with their token for the audit trail: choose another"
            )
        public_id = _public_id()
        raw = f"{PREFIX}{public_id}_{secrets.token_urlsafe(SECRET_BYTES)}"
        token = ApiToken(
            organisation=organisation,
            name=name,
            role=role.value,
            public_id=public_id,
            secret_hash=digest(raw),
            created_by=actor.name,
            created_at=now,
            expires_at=expires_at,
        )
        try:
            with transaction.atomic():
                token.save(force_insert=True)
        except IntegrityError:  # the same name, made by someone else just now
            raise TokenError(f"{organisation.slug} already has a token named {name!r}") from None
        record(actor, "token.create", organisation=organisation, target=token,
               label=_label(token), after=_audited(token))  # fmt: skip
    return token, raw


def revoke(token: ApiToken, actor: Actor) -> ApiToken:
    """Stop ``token`` from working, at once and for good."""
    with transaction.atomic():
        current = ApiToken.objects.select_for_update().select_related("organisation")
        locked = current.get(pk=token.pk)
        if locked.revoked_at is not None:
            raise TokenError(f"token {locked.public_id} ({locked.name}) is already revoked")
        before = {"revoked_at": None}
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor.name
        locked.save(update_fields=["revoked_at", "revoked_by"])
        record(actor, "token.revoke", organisation=locked.organisation, target=locked,
               label=_label(locked), before=before,
               after={"revoked_at": locked.revoked_at.isoformat()})  # fmt: skip
    return locked


def find(public_id: str, organisation: Organisation | None = None) -> ApiToken:
    """The token with ``public_id`` (of ``organisation``, when given)."""
    rows = ApiToken.objects.select_related("organisation").filter(public_id=public_id.strip())
    if organisation is not None:
        rows = rows.filter(organisation=organisation)
    found = rows.first()
    if found is None:
        raise TokenError(f"no token with id {public_id!r}; 'watwerkt token list' shows them")
    return found


def listing(organisation: Organisation | None = None) -> QuerySet[ApiToken]:
    """Tokens, active first, newest first; of one organisation or of all."""
    rows = ApiToken.objects.select_related("organisation")
    if organisation is not None:
        rows = rows.filter(organisation=organisation)
    revoked_last = F("revoked_at").asc(nulls_first=True)
    return rows.order_by("organisation__slug", revoked_last, "-created_at", "-id")


def check(raw: str, now: datetime | None = None) -> Checked:
    """Does ``raw`` (the text after ``Bearer``) name a token that may be used now?"""
    match = TOKEN.fullmatch(raw)
    if match is None:
        return Checked(None, Refusal.MALFORMED)
    token = ApiToken.objects.select_related("organisation").filter(public_id=match[1]).first()
    # Compare in constant time; with no row, compare anyway so both take as long.
    stored = token.secret_hash if token is not None else digest("")
    matches = hmac.compare_digest(stored, digest(raw))
    if token is None or not matches:
        return Checked(None, Refusal.UNKNOWN)
    if token.revoked_at is not None:
        return Checked(None, Refusal.REVOKED)
    now = now or timezone.now()
    if token.expires_at is not None and token.expires_at <= now:
        return Checked(None, Refusal.EXPIRED)
    touch(token, now)
    return Checked(token)


def touch(token: ApiToken, now: datetime) -> None:
    """Record a use, unless one was recorded less than :data:`TOUCH_EVERY` ago.
    The condition is in the UPDATE too, so concurrent requests write once."""
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_EVERY:
        return
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOUCH_EVERY)
    ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
    token.last_used_at = now

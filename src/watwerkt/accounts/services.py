"""Every change to people and their rights: the CLI, the console and the demo call these.

Each function is one transaction and records what it did in the audit trail.
A change to a person as a whole (added without a role, disabled, a new
password, second factor removed) is recorded once for every organisation the
person works for, so each organisation's admins see what happened to their
people; for someone with no role yet it is recorded without an organisation.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from watwerkt.audit.services import record
from watwerkt.catalogue.models import Organisation
from watwerkt.status.writing import Actor

from .models import Account, Membership
from .roles import Role

DEMO_ADMIN = "demo-admin"
# No 0/O, 1/l/I: the password is read off a terminal and typed by hand.
PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105


class AccountError(ValueError):
    """A request that cannot be carried out; the message says why."""


def one_time_password() -> str:
    """Twenty random characters (about 115 bits) in four groups, easy to type."""
    chars = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(20))
    return "-".join(chars[i : i + 5] for i in range(0, 20, 5))


def find_user(username: str) -> User:
    found = User.objects.filter(username=username).first()
    if found is None:
        raise AccountError(f"unknown user '{username}'")
    return found


def _organisations_of(user: User) -> list[Organisation | None]:
    orgs = [
        m.organisation for m in Membership.objects.filter(user=user).select_related("organisation")
    ]
    return list(orgs) or [None]


def record_for_user(
    actor: Actor, action: str, user: User, before: Any = None, after: Any = None
) -> None:
    for org in _organisations_of(user):
        record(actor, action, organisation=org, target=user, label=user.username,
               before=before, after=after)  # fmt: skip


def _account(user: User) -> Account:
    return Account.objects.get_or_create(user=user)[0]


def _temporary_password(user: User) -> str:
    password = one_time_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    Account.objects.update_or_create(user=user, defaults={"password_is_temporary": True})
    return password


@transaction.atomic
def add_user(
    username: str,
    actor: Actor,
    *,
    email: str = "",
    organisation: Organisation | None = None,
    role: Role | None = None,
) -> tuple[User, str]:
    """A new person with a one-time password (returned, never stored in clear)."""
    try:
        UnicodeUsernameValidator()(username)
        if email:
            validate_email(email)
    except ValidationError as exc:
        raise AccountError(f"'{email or username}': {exc.messages[0]}") from None
    if len(username) > 150:
        raise AccountError("a user name has at most 150 characters")
    if User.objects.filter(username=username).exists():
        raise AccountError(f"user '{username}' already exists")
    if (organisation is None) != (role is None):
        raise AccountError("give both an organisation and a role, or neither")
    user = User.objects.create_user(username=username, email=email)
    password = _temporary_password(user)
    if organisation is not None and role is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    after = {"username": username, "email": email}
    if organisation is not None and role is not None:
        after["role"] = f"{organisation.slug}:{role.value}"
    record_for_user(actor, "user.add", user, after=after)
    return user, password


@transaction.atomic
def set_role(user: User, organisation: Organisation, role: Role | None, actor: Actor) -> bool:
    """Give ``user`` ``role`` in ``organisation`` (None: take every role there away).
    False when that was already so."""
    current = Membership.objects.filter(user=user, organisation=organisation).first()
    before = current.role if current else None
    after = role.value if role else None
    if before == after:
        return False
    if role is None:
        Membership.objects.filter(pk=current.pk).delete()  # type: ignore[union-attr]
    else:
        Membership.objects.update_or_create(
            user=user, organisation=organisation, defaults={"role": role.value}
        )
    record(actor, "user.role", organisation=organisation, target=user, label=user.username,
           before={"role": before}, after={"role": after})  # fmt: skip
    return True


def end_sessions(user: User) -> int:
    """Sign ``user`` out everywhere. Sessions live in the database and only the
    console creates them, so reading the unexpired ones is cheap."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def disable_user(user: User, actor: Actor) -> int:
    """Stop ``user`` from signing in, and end the sessions they have. Returns how many."""
    if not user.is_active:
        raise AccountError(f"user '{user.username}' is already disabled")
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = end_sessions(user)
    record_for_user(actor, "user.disable", user, before={"active": True}, after={"active": False})
    return ended


@transaction.atomic
def enable_user(user: User, actor: Actor) -> None:
    if user.is_active:
        raise AccountError(f"user '{user.username}' is not disabled")
    user.is_active = True
    user.save(update_fields=["is_active"])
    record_for_user(actor, "user.enable", user, before={"active": False}, after={"active": True})


@transaction.atomic
def issue_password(user: User, actor: Actor) -> str:
    """A new one-time password for ``user`` (a forgotten one, or the demo's); it
    ends their sessions, and they choose their own at the next sign-in."""
    password = _temporary_password(user)
    end_sessions(user)
    record_for_user(actor, "user.password.issue", user, after={"temporary": True})
    return password


@transaction.atomic
def change_password(user: User, new_password: str, actor: Actor) -> None:
    """``user`` chose a password (already validated by the form that asked for it)."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    account = _account(user)
    was_temporary = account.password_is_temporary
    if was_temporary:
        Account.objects.filter(pk=account.pk).update(password_is_temporary=False)
    record_for_user(actor, "user.password.change", user,
                     before={"temporary": was_temporary}, after={"temporary": False})  # fmt: skip


def password_is_temporary(user: User) -> bool:
    return Account.objects.filter(user=user, password_is_temporary=True).exists()


@transaction.atomic
def reset_second_factor(user: User, actor: Actor) -> int:
    """Forget ``user``'s authenticator (lost phone): they enrol again at the next
    sign-in. Ends their sessions. Returns how many devices were removed."""
    devices = TOTPDevice.objects.filter(user=user)
    count: int = devices.count()
    if count == 0:
        raise AccountError(f"user '{user.username}' has no second factor to reset")
    devices.delete()
    end_sessions(user)
    record_for_user(actor, "user.2fa.reset", user, before={"devices": count}, after={"devices": 0})
    return count


def unlock(user: User, actor: Actor) -> int:
    """Lift a login lockout of ``user`` before it runs out. Returns the attempts cleared."""
    from axes.handlers.proxy import AxesProxyHandler

    with transaction.atomic():
        cleared = int(AxesProxyHandler.reset_attempts(username=user.username))
        record_for_user(actor, "user.unlock", user, after={"attempts_cleared": cleared})
    return cleared


@transaction.atomic
def ensure_demo_admin(organisation: Organisation, actor: Actor) -> tuple[User, str]:
    """The demo's admin of ``organisation``, with a fresh one-time password on every run."""
    user = User.objects.filter(username=DEMO_ADMIN).first()
    if user is None:
        user, password = add_user(DEMO_ADMIN, actor, organisation=organisation, role=Role.ADMIN)
        return user, password
    if not user.is_active:
        enable_user(user, actor)
    set_role(user, organisation, Role.ADMIN, actor)
    return user, issue_password(user, actor)


def describe(user: User) -> dict[str, Any]:
    """One person as ``watwerkt user list`` shows them."""
    roles = [
        f"{m.organisation.slug}:{m.role}"
        for m in Membership.objects.filter(user=user).select_related("organisation")
    ]
    return {
        "username": user.username,
        "email": user.email,
        "active": user.is_active,
        "second_factor": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "roles": roles,
        "last_login": user.last_login,
    }

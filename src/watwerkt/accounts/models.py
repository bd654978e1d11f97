"""Who may work in the console: a role per organisation, and an account's own state.

Users are Django's own ``auth.User``; a person who works for several
organisations (a shared IT provider's crisis team) holds one
:class:`Membership` per organisation. What each role allows is decided in
:mod:`watwerkt.accounts.permissions`, nowhere else.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from watwerkt.catalogue.models import Organisation

from .roles import ROLE_CHOICES, Role


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=8, choices=ROLE_CHOICES)

    class Meta:
        ordering = ["organisation__position", "organisation__slug"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="membership_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.organisation_id}: {self.role}"


class Account(models.Model):
    """What Django's user model does not keep: whether the password is a one-time one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account"
    )
    # Set when a password was printed (``watwerkt user add``, the demo): the
    # person must choose their own before the console lets them do anything.
    password_is_temporary = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"account of {self.user_id}"


class ApiToken(models.Model):
    """A machine's credential for the API's writes: one organisation, one role.

    Only a hash of the secret is kept (:mod:`watwerkt.accounts.tokens` makes,
    checks and revokes tokens); ``public_id`` finds the row, and is what lists
    and the audit trail show. Tokens are never deleted: a revoked or expired
    token stays, so the audit trail can still say whose it was.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    role = models.CharField(max_length=8, choices=ROLE_CHOICES)
    public_id = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)  # SHA-256 of the whole token, hex
    created_by = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.CharField(max_length=200, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__position", "organisation__slug", "name"]
        constraints = [
            # Unique for good, revoked ones included: the audit trail names a
            # token by its name, and one name must mean one token.
            models.UniqueConstraint(fields=["organisation", "name"], name="apitoken_unique_name"),
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="apitoken_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.public_id} ({self.name})"


class TokenFailures(models.Model):
    """How many wrong API tokens one client address presented in one window.

    In the database, so every worker process and every instance counts the
    same failures (a per-process count let each worker allow its own share),
    and so a cache outage can neither lift the throttle nor block valid tokens.
    Rows of past windows are dropped as new windows start.
    """

    address = models.CharField(max_length=64)
    window = models.BigIntegerField()  # the window's start, in seconds since the epoch
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["address", "window"], name="tokenfailures_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.address}@{self.window}: {self.count}"

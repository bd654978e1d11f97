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

"""The second factor: a TOTP authenticator app (django-otp's TOTP device).

Enrolment creates an *unconfirmed* device and shows its key as a QR code and
as an ``otpauth://`` URI; the device counts only once the person typed a code
from it. Verification also goes through django-otp's own throttling (each
wrong code doubles the wait before the next one is checked); the login view
additionally reports wrong codes to the lockout (django-axes).
"""

from __future__ import annotations

import re
from base64 import b32encode
from math import ceil
from typing import Any

import segno
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from watwerkt.status.writing import Actor

from .models import Membership
from .permissions import needs_second_factor
from .roles import Role
from .services import record_for_user

DEVICE_NAME = "authenticator"
TOKEN = re.compile(r"^[0-9]{6}$")  # ASCII only: \d also matches digits of other scripts


def required(user: Any) -> bool:
    """Must ``user`` give a code to sign in? Editors and admins must, and so must
    anyone who has an authenticator, whatever their role."""
    roles = [Role(r) for r in Membership.objects.filter(user=user).values_list("role", flat=True)]
    return needs_second_factor(roles) or confirmed_device(user) is not None


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def enrolment_device(user: Any) -> TOTPDevice:
    """The unconfirmed device being set up (the same one until it is confirmed,
    so reloading the page does not change the QR code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret(device: TOTPDevice) -> str:
    """The key as authenticator apps ask for it when typed in: base32, in groups of four."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def otpauth_uri(device: TOTPDevice) -> str:
    return str(device.config_url)


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth URI as an SVG QR code in a ``data:`` URI: an image the page
    shows with a plain ``<img>``, inside the strict Content-Security-Policy."""
    return str(segno.make(otpauth_uri(device), error="m").svg_data_uri(scale=5, border=4))


def clean_token(raw: str) -> str | None:
    """Six digits, spaces allowed ("123 456"); None for anything else."""
    token = re.sub(r"\s+", "", raw or "")
    return token if TOKEN.match(token) else None


def wait_seconds(device: TOTPDevice) -> int:
    """How long django-otp's throttle makes a wait after wrong codes (0: no wait)."""
    allowed, details = device.verify_is_allowed()
    if allowed:
        return 0
    until = (details or {}).get("locked_until")
    return max(1, ceil((until - timezone.now()).total_seconds())) if until else 1


def verify(user: Any, token: str) -> TOTPDevice | None:
    """The confirmed device that accepts ``token``, or None."""
    device = confirmed_device(user)
    if device is None:
        return None
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        return locked if locked.verify_token(token) else None


def confirm(device: TOTPDevice, token: str, actor: Actor) -> bool:
    """Make an enrolment device count, when ``token`` comes from it."""
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if locked.confirmed or not locked.verify_token(token):
            return False
        locked.confirmed = True
        locked.save(update_fields=["confirmed"])
        # One authenticator per person: a re-enrolment replaces the old one.
        TOTPDevice.objects.filter(user_id=locked.user_id).exclude(pk=locked.pk).delete()
        record_for_user(actor, "user.2fa.enrol", locked.user)
    device.confirmed = True
    return True

"""Who is trying to sign in: the client address that login lockout (django-axes) counts."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address of the client. Behind a reverse proxy (``WATWERKT_BEHIND_PROXY``)
    that is the last address in ``X-Forwarded-For``, the one our proxy appended;
    earlier ones come from the client and can be anything. Without a proxy,
    the header is ignored for the same reason."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return str(hops[-1])
    return str(request.META.get("REMOTE_ADDR", ""))

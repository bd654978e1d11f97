"""Who is asking, and how often they got it wrong: client addresses, and the
throttle on wrong API tokens.

Sign-in failures are counted by django-axes; wrong API tokens here, per client
address in fixed windows, in the database (:class:`~.models.TokenFailures`):
shared by every worker and instance, and with nothing besides the database to
fail. A throttled address is refused before its token is looked at; every
other address, and every valid token from one, goes on as before.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest

from .models import TokenFailures

# Wrong tokens one address may present per window before it must wait. A real
# client with a real token never comes close; guessing a 256-bit secret needs
# more tries than this allows by a factor beyond counting.
FAILURE_LIMIT = 20
FAILURE_WINDOW = 600  # seconds


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


def _window(now: float) -> int:
    return int(now // FAILURE_WINDOW) * FAILURE_WINDOW


def token_failed(address: str, now: float | None = None) -> None:
    """Count one wrong token from ``address``."""
    window = _window(time.time() if now is None else now)
    counted = TokenFailures.objects.filter(address=address, window=window)
    if counted.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            TokenFailures.objects.create(address=address, window=window, count=1)
    except IntegrityError:  # another worker created the row first
        counted.update(count=F("count") + 1)
        return
    TokenFailures.objects.filter(window__lt=window).delete()  # a new window: drop the old ones


def token_wait(address: str, now: float | None = None) -> int:
    """Seconds ``address`` must wait before its tokens are looked at again (0: none)."""
    now = time.time() if now is None else now
    window = _window(now)
    found = TokenFailures.objects.filter(address=address, window=window).values_list(
        "count", flat=True
    )
    if (found.first() or 0) < FAILURE_LIMIT:
        return 0
    return max(1, int(window + FAILURE_WINDOW - now) + 1)

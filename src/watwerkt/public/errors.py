"""The page a visitor gets when we fail: Dutch (with a line in French, English and
German), never Django's English one, never a traceback.

A database that cannot be reached is not our bug but an outage: the answer is
then ``503 Service Unavailable`` with ``Retry-After``, so browsers, proxies and
status aggregators know to come back, and the page cache (:mod:`watwerkt.webcache`)
answers with the last copy of the page instead, when it has one. Anything
else is a ``500``. The page needs neither the database nor a request context.
"""

from __future__ import annotations

import logging
import sys

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static

log = logging.getLogger(__name__)

RETRY_AFTER = 30  # seconds: long enough not to hammer a database coming back


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's ``handler500``: called while the exception is being handled."""
    outage = isinstance(sys.exc_info()[1], DatabaseError)
    response = HttpResponse(page(outage), status=503 if outage else 500)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def page(outage: bool) -> str:
    try:
        css = static("public/site.css")
    except ValueError:  # no manifest entry (static files not collected): plain text will do
        log.warning("no public/site.css in the static files manifest")
        css = ""
    return render_to_string("500.html", {"outage": outage, "css": css})

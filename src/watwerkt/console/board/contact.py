"""The contact-centre view: one search box, and the answer to read out to a caller.

The search is the public site's own (:mod:`watwerkt.search.services`), on the
public read model, so an agent says exactly what the public pages say. A GET
form: it works without JavaScript, and a search is a link a colleague can open.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from watwerkt.console.routing import Scope
from watwerkt.search.services import MAX_QUERY, QueryTooLong, read_out, search

LIMIT = 8


@dataclass(frozen=True)
class Answer:
    title: str
    level: str
    level_label: str
    domain: str
    said: str  # the read-out answer
    url: str  # the service in the console


def contact(request: HttpRequest, scope: Scope) -> HttpResponseBase:
    org = scope.organisation
    assert org is not None
    query = request.GET.get("q", "")
    answers: list[Answer] = []
    error = ""
    status = 200
    if len(query) > MAX_QUERY:
        error = _("Die vraag is te lang: hoogstens %(n)s tekens.") % {"n": MAX_QUERY}
        status = 400
    elif query.strip():
        try:
            hits = search(org, query, "nl", LIMIT)
        except QueryTooLong:  # the same limit, counted after cleaning
            error = _("Die vraag is te lang: hoogstens %(n)s tekens.") % {"n": MAX_QUERY}
            status = 400
        else:
            answers = [
                Answer(
                    h.title,
                    h.level,
                    h.line.level_label,
                    h.domain,
                    read_out(h),
                    reverse("console:service", kwargs={"org": org.slug, "service": h.service.slug}),
                )
                for h in hits
            ]
    context = {
        "scope": scope,
        "query": query[:MAX_QUERY],
        "answers": answers,
        "error": error,
        "searched": bool(query.strip()) and not error,
    }
    return render(request, "console/contact.html", context, status=status)

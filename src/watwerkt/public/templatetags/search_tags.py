"""The search box of the public site's pages (see templates/search/fragment_searchbox.html)."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString

from watwerkt.search.services import MAX_QUERY

register = template.Library()


@register.simple_tag(takes_context=True)
def search_box(context: template.Context, where: str = "header") -> SafeString:
    """A search form for the organisation of the page being shown: ``where`` is
    "header" (compact, label for screen readers) or "main" (with an example).
    Nothing on pages that belong to no organisation (the list of organisations)."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    org = match.kwargs.get("org") if match is not None else None
    if not isinstance(org, str):
        return SafeString("")
    try:
        action = reverse("public:search", kwargs={"org": org})
    except NoReverseMatch:
        return SafeString("")
    values = {"where": where, "action": action, "max_query": MAX_QUERY}
    return render_to_string("search/fragment_searchbox.html", values)

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path

from watwerkt.api.errors import nothing_here

urlpatterns = [
    # Before the public site, whose /<organisation>/ would otherwise take /console/.
    path("console/", include("watwerkt.console.urls")),
    # Machine outputs (docs/api.md): JSON, never language-prefixed; any other
    # address under an API prefix is a 404 in the API's one error shape.
    path("api/v1/", include("watwerkt.api.urls")),
    re_path(r"^api/", nothing_here),
    path("<slug:org>/api/v2/", include("watwerkt.api.statuspage_urls")),
    path("<segment:org>/api/<path:rest>", nothing_here),
    *i18n_patterns(path("", include("watwerkt.feeds.urls")), prefix_default_language=False),
    *i18n_patterns(path("", include("watwerkt.public.urls")), prefix_default_language=False),
]

# Dutch, and 503 with Retry-After when the database cannot be reached (watwerkt.public.errors).
handler500 = "watwerkt.public.errors.server_error"

"""Public URLs, inside ``i18n_patterns``: ``/`` for Dutch, ``/fr/``, ``/en/``, ``/de/``.

Organisation and service identifiers are slugs, which never contain a dot,
so machine outputs added under an organisation (``/<org>/summary.json``,
``/<org>/history.atom``) cannot collide with a service page.
"""

from django.urls import path

from . import history as history_views
from . import incidents as incident_views
from . import search as search_views
from . import views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:org>/", views.overview, name="overview"),
    path("<slug:org>/zoeken/", search_views.search, name="search"),  # before <service>
    path("<slug:org>/incidenten/", incident_views.incidents, name="incidents"),  # before <service>
    path("<slug:org>/incidenten/<slug:incident>/", incident_views.incident, name="incident"),
    # History and recovery (watwerkt.history), before <service>.
    path("<slug:org>/geschiedenis/", history_views.organisation, name="history"),
    path("<slug:org>/herstel/", history_views.recovery, name="recovery"),
    path("<slug:org>/<slug:service>/", views.service, name="service"),
    path(
        "<slug:org>/<slug:service>/geschiedenis/",
        history_views.service,
        name="service-history",
    ),
]

"""Public URLs, inside ``i18n_patterns``: ``/`` for Dutch, ``/fr/``, ``/en/``, ``/de/``.

Organisation and service identifiers are slugs, which never contain a dot,
so machine outputs added under an organisation (``/<org>/summary.json``,
``/<org>/history.atom``) cannot collide with a service page.
"""

from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:org>/", views.overview, name="overview"),
    path("<slug:org>/<slug:service>/", views.service, name="service"),
]

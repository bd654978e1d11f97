"""``/api/v1/``: the native read API (docs/api.md, the OpenAPI document at openapi.json)."""

from django.urls import path, re_path

from . import views
from .errors import nothing_here

app_name = "api"
org = "organisations/<slug:org>"
urlpatterns = [
    path("", views.index, name="index"),
    path("openapi.json", views.openapi, name="openapi"),
    path("organisations", views.organisations, name="organisations"),
    path(org, views.organisation, name="organisation"),
    path(f"{org}/domains", views.domains, name="domains"),
    path(f"{org}/domains/<slug:domain>", views.domain, name="domain"),
    path(f"{org}/services", views.services, name="services"),
    path(f"{org}/services/<slug:service>", views.service, name="service"),
    path(f"{org}/services/<slug:service>/history", views.history, name="history"),
    path(f"{org}/incidents", views.incidents, name="incidents"),
    path(f"{org}/incidents/<slug:incident>", views.incident, name="incident"),
    path(f"{org}/maintenances", views.maintenances, name="maintenances"),
    path(f"{org}/maintenances/<slug:maintenance>", views.maintenance, name="maintenance"),
    re_path(r"^(?P<rest>.*)$", nothing_here),
]

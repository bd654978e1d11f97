"""``/api/v1/``: the native read API (docs/api.md, the OpenAPI document at openapi.json)."""

from django.urls import path, re_path

from . import views, writes
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
    path(
        f"{org}/domains/<slug:domain>/availability",
        views.domain_availability,
        name="domain-availability",
    ),
    path(f"{org}/services", views.services, name="services"),
    path(f"{org}/services/<slug:service>", views.service, name="service"),
    path(f"{org}/services/<slug:service>/history", views.history, name="history"),
    path(
        f"{org}/services/<slug:service>/availability",
        views.service_availability,
        name="service-availability",
    ),
    path(f"{org}/recovery", views.recovery, name="recovery"),
    path(f"{org}/incidents", views.incidents, name="incidents"),
    path(f"{org}/incidents/<slug:incident>", views.incident, name="incident"),
    path(f"{org}/maintenances", views.maintenances, name="maintenances"),
    path(f"{org}/maintenances/<slug:maintenance>", views.maintenance, name="maintenance"),
    # Writes, with an API token (docs/api.md "Writes").
    path(f"{org}/services/<slug:service>/status", writes.status_view, name="service-status"),
    path(
        f"{org}/services/<slug:service>/functions/<slug:function>/status",
        writes.status_view,
        name="function-status",
    ),
    path(
        f"{org}/services/<slug:service>/functions/<slug:function>/channels/<slug:channel>/status",
        writes.status_view,
        name="item-status",
    ),
    path(f"{org}/systems/<slug:system>/state", writes.system_view, name="system-state"),
    path(f"{org}/systems/<slug:system>/recovery-plan", writes.plan_view, name="system-plan"),
    path(f"{org}/incidents/<slug:incident>/updates", writes.update_view, name="incident-updates"),
    re_path(r"^(?P<rest>.*)$", nothing_here),
]

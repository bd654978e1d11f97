"""``/<organisation>/api/v2/``: Statuspage's public endpoints, by their own names."""

from django.urls import path, re_path

from . import statuspage_views as views
from .errors import nothing_here

app_name = "statuspage"
urlpatterns = [
    path("summary.json", views.summary, name="summary"),
    path("status.json", views.status, name="status"),
    path("components.json", views.components, name="components"),
    path("incidents.json", views.incidents, name="incidents"),
    path("incidents/unresolved.json", views.unresolved, name="unresolved"),
    path("scheduled-maintenances.json", views.maintenances, name="maintenances"),
    path("scheduled-maintenances/upcoming.json", views.upcoming, name="upcoming"),
    path("scheduled-maintenances/active.json", views.active, name="active"),
    re_path(r"^(?P<rest>.*)$", nothing_here),
]

from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    """The crisis itself: incidents with dated updates, and planned maintenance."""

    name = "watwerkt.incidents"
    label = "incidents"
    verbose_name = "Incidents"
    default_auto_field = "django.db.models.BigAutoField"

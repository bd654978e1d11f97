from django.apps import AppConfig


class HistoryConfig(AppConfig):
    """What happened over time: daily rollups, timelines, availability bars, recovery."""

    name = "watwerkt.history"
    label = "history"
    verbose_name = "History and recovery"
    default_auto_field = "django.db.models.BigAutoField"

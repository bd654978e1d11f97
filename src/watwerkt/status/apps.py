from django.apps import AppConfig


class StatusConfig(AppConfig):
    name = "watwerkt.status"
    label = "status"
    verbose_name = "Status"
    default_auto_field = "django.db.models.BigAutoField"

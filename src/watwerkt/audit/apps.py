from django.apps import AppConfig


class AuditConfig(AppConfig):
    """Who changed what, when, from which interface: the audit trail."""

    name = "watwerkt.audit"
    label = "audit"
    verbose_name = "Audit trail"
    default_auto_field = "django.db.models.BigAutoField"

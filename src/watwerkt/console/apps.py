from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    """The operators' console under /console/: sign-in, the shell, the audit trail."""

    name = "watwerkt.console"
    label = "console"
    verbose_name = "Console"

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Operators: their roles per organisation, second factors and one-time passwords."""

    name = "watwerkt.accounts"
    label = "accounts"
    verbose_name = "Accounts"
    default_auto_field = "django.db.models.BigAutoField"

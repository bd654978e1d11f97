from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the product: the server command and deployment checks."""

    name = "watwerkt.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from watwerkt.ops import checks  # noqa: F401  (registers the system checks)

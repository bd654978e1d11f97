from django.apps import AppConfig


class AuthoringConfig(AppConfig):
    """Changing the catalogue: as code (YAML) and piece by piece (help, notices, plans)."""

    name = "watwerkt.authoring"
    label = "authoring"
    verbose_name = "Catalogue authoring"

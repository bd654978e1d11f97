from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "watwerkt.public"
    label = "public"
    verbose_name = "Public site"

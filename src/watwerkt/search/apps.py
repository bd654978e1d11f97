from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "watwerkt.search"
    label = "search"
    verbose_name = "Search"

"""Feed and calendar URLs, inside ``i18n_patterns``: ``/fr/<org>/feeds/status.atom`` is French.

Feed names carry their format as an extension; organisation, domain and
service ids are slugs and never contain a dot, so these cannot collide with
the public pages' ``/<org>/<service>/``.
"""

from django.urls import path, register_converter

from . import views


class FeedKind:
    regex = "atom|rss"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FeedKind, "feed")

app_name = "feeds"
urlpatterns = [
    path("<slug:org>/feeds/status.<feed:kind>", views.status, name="status"),
    path("<slug:org>/feeds/domain/<slug:domain>.<feed:kind>", views.domain, name="domain"),
    path("<slug:org>/feeds/service/<slug:service>.<feed:kind>", views.service, name="service"),
    path("<slug:org>/history.<feed:kind>", views.history, name="history"),
    path("<slug:org>/onderhoud.ics", views.maintenance_calendar, name="maintenance"),
]

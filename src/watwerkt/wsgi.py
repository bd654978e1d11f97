"""The WSGI application, for granian, gunicorn or any other WSGI server."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "watwerkt.settings")
django_application = get_wsgi_application()

from watwerkt.ops import database  # noqa: E402 - needs Django set up first

if database.missing():  # refuse to start rather than serve errors (or, before, an empty site)
    raise ImproperlyConfigured(database.missing())

# Cached public pages are answered before Django's middleware (docs/performance.md).
from watwerkt.webcache.fastpath import fast_path  # noqa: E402 - needs Django set up first

application = fast_path(django_application)

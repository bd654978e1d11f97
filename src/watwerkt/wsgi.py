"""The WSGI application, for granian, gunicorn or any other WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "watwerkt.settings")
django_application = get_wsgi_application()

# Cached public pages are answered before Django's middleware (docs/performance.md).
from watwerkt.webcache.fastpath import fast_path  # noqa: E402 - needs Django set up first

application = fast_path(django_application)

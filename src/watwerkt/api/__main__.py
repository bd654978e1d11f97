"""``python -m watwerkt.api [--write | --check]``: print, write or check docs/openapi.json."""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "watwerkt.settings")
django.setup()

from .openapi import main  # noqa: E402  (needs the apps loaded)

sys.exit(main(sys.argv[1:]))

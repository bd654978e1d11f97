"""The ``watwerkt`` command: Django's management commands under one friendly name.

``watwerkt catalog validate FILE`` is ``django-admin catalog validate FILE``
with the settings already chosen, so operators never need to know Django is
underneath.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "watwerkt.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["watwerkt", *(sys.argv[1:] if argv is None else argv)])

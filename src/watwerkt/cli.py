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
    from django.db import OperationalError

    from watwerkt.ops import database

    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["migrate"]:
        database.create()
    try:
        execute_from_command_line(["watwerkt", *args])
    except OperationalError:
        # A command that needs the database, without it: one line, not a traceback.
        if not database.missing():
            raise
        sys.exit(f"watwerkt: {database.missing()}")

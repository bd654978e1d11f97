"""``watwerkt serve``: collect static files, then run the production WSGI server.

Granian (a Rust HTTP server) serves the WSGI application; see
docs/dependencies.md for why it and not gunicorn, with the measurements.
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from watwerkt.ops import database


def default_workers() -> int:
    # One process per core: more only adds contention (granian warns about it);
    # threads per worker cover requests that wait on the database.
    return max(1, os.cpu_count() or 1)


class Command(BaseCommand):
    help = "Serve watwerkt with the production WSGI server (granian)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=default_workers())
        parser.add_argument("--threads", type=int, default=4, help="blocking threads per worker")

    def handle(self, *args: Any, **options: Any) -> None:
        if database.missing():
            raise CommandError(database.missing())
        self.check(display_num_errors=False)
        call_command("collectstatic", interactive=False, verbosity=0)
        granian = shutil.which("granian") or os.path.join(
            os.path.dirname(sys.executable), "granian"
        )
        if not os.path.exists(granian):
            raise CommandError("granian is not installed; pip install granian")
        host, port = options["host"], options["port"]
        shown = f"[{host}]" if ":" in host else host
        self.stdout.write(f"watwerkt is served at http://{shown}:{port}/  (Ctrl+C stops it)")
        self.stdout.flush()
        argv = [
            granian,
            "--interface",
            "wsgi",
            "--host",
            host,
            "--port",
            str(port),
            "--workers",
            str(options["workers"]),
            "--blocking-threads",
            str(options["threads"]),
            "--no-ws",
            "--log-level",
            "warning",
            "watwerkt.wsgi:application",
        ]
        os.execv(granian, argv)  # noqa: S606 - replace this process, so signals reach granian

"""The SQLite file, when that is the database: made by ``migrate`` and by nothing else.

The settings open SQLite with ``mode=rw``, so a file that is missing (deleted,
or a wrong ``WATWERKT_VAR_DIR``) is an error instead of a new, empty database
that would serve an empty site as if nothing were wrong. ``watwerkt migrate``
creates the file first; every other command and the server refuse to start
without it, saying so in one line.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from django.conf import settings


def sqlite_file() -> Path | None:
    """The file of the default database when it is SQLite on disk; None otherwise."""
    config = settings.DATABASES["default"]
    name = str(config.get("NAME") or "")
    if not str(config["ENGINE"]).endswith("sqlite3") or not name.startswith("file:"):
        return None
    path = name.removeprefix("file:").split("?", 1)[0]
    return None if "mode=memory" in name else Path(path)


def missing() -> str:
    """A sentence saying the database file is missing, or "" when all is well."""
    path = sqlite_file()
    if path is None or path.exists():
        return ""
    return (
        f"the database {path} does not exist: create it with `watwerkt migrate` "
        "(and load the demo with `watwerkt demo`), or point DATABASE_URL or "
        "WATWERKT_VAR_DIR at the one you meant"
    )


def create() -> None:
    """Create the empty SQLite file for ``migrate`` (nothing when it exists or is not SQLite)."""
    path = sqlite_file()
    if path is not None and not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        sqlite3.connect(path).close()

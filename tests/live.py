"""Helpers for tests against a live server (their database is flushed, not rolled back)."""

from __future__ import annotations

from django.db import connection

from watwerkt.lib.append_only import TABLES, statements


def empty_append_only_tables() -> None:
    """Let the test database be flushed after a live-server test.

    Status events and audit entries are append-only down to database
    triggers, and flushing deletes their rows, which the triggers refuse. So
    lift the triggers, empty the tables, and put the triggers back, with the
    migrations' own SQL.
    """
    with connection.cursor() as cursor:
        for table, what in TABLES.items():
            create, drop = statements(table, what, connection.vendor)
            for sql in drop:
                cursor.execute(sql)
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 -- our own table names
            for sql in create:
                cursor.execute(sql)

"""Triggers that refuse UPDATE and DELETE on a table, on SQLite and PostgreSQL.

Used by the migrations of every append-only table (status events, audit
entries): a bulk ``QuerySet.update()`` or raw SQL would bypass the models'
guards, these cannot be bypassed from inside the product.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

# Every append-only table and what its rows are called in error messages.
TABLES = {"status_statusevent": "status events", "audit_auditentry": "audit entries"}


def statements(table: str, what: str, vendor: str) -> tuple[list[str], list[str]]:
    """(create, drop) statements for ``table``'s append-only triggers."""
    message = f"{what} are append-only"
    if vendor == "postgresql":
        function = f"{table}_append_only"
        return (
            [
                f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION '{message}'; END $$ LANGUAGE plpgsql""",
                f"""CREATE TRIGGER {function} BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION {function}()""",
            ],
            [
                f"DROP TRIGGER IF EXISTS {function} ON {table}",
                f"DROP FUNCTION IF EXISTS {function}()",
            ],
        )
    return (
        [
            f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
            BEGIN SELECT RAISE(ABORT, '{message}'); END""",
            f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
            BEGIN SELECT RAISE(ABORT, '{message}'); END""",
        ],
        [f"DROP TRIGGER IF EXISTS {table}_no_update", f"DROP TRIGGER IF EXISTS {table}_no_delete"],
    )


def operation(table: str, what: str) -> migrations.RunPython:
    def forwards(apps: Any, schema_editor: Any) -> None:
        for sql in statements(table, what, schema_editor.connection.vendor)[0]:
            schema_editor.execute(sql)

    def backwards(apps: Any, schema_editor: Any) -> None:
        for sql in statements(table, what, schema_editor.connection.vendor)[1]:
            schema_editor.execute(sql)

    return migrations.RunPython(forwards, backwards)

"""Make status events append-only in the database itself, not only in the model.

A bulk ``QuerySet.update()`` or raw SQL from inside the product would bypass
the model's guard; these triggers refuse it on both supported databases.
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER status_event_no_update BEFORE UPDATE ON status_statusevent
       BEGIN SELECT RAISE(ABORT, 'status events are append-only'); END""",
    """CREATE TRIGGER status_event_no_delete BEFORE DELETE ON status_statusevent
       BEGIN SELECT RAISE(ABORT, 'status events are append-only'); END""",
]
SQLITE_UNDO = [
    "DROP TRIGGER IF EXISTS status_event_no_update",
    "DROP TRIGGER IF EXISTS status_event_no_delete",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION status_event_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'status events are append-only'; END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER status_event_append_only BEFORE UPDATE OR DELETE ON status_statusevent
       FOR EACH ROW EXECUTE FUNCTION status_event_append_only()""",
]
POSTGRES_UNDO = [
    "DROP TRIGGER IF EXISTS status_event_append_only ON status_statusevent",
    "DROP FUNCTION IF EXISTS status_event_append_only()",
]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    statements = POSTGRES_UNDO if schema_editor.connection.vendor == "postgresql" else SQLITE_UNDO
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("status", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

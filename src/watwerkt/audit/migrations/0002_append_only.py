"""Audit entries are append-only in the database itself, like status events."""

from django.db import migrations

from watwerkt.lib import append_only


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [append_only.operation("audit_auditentry", "audit entries")]

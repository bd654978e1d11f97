"""Make status events append-only in the database itself, not only in the model."""

from django.db import migrations

from watwerkt.lib import append_only


class Migration(migrations.Migration):
    dependencies = [("status", "0001_initial")]
    operations = [append_only.operation("status_statusevent", "status events")]

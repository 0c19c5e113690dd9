"""ScheduledJobRun now belongs to core (core 0003 adopted its table and rows): state only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("backups", "0001_initial"),
        ("core", "0003_idempotencykey_scheduledjobrun"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ScheduledJobRun")],
            database_operations=[],
        )
    ]

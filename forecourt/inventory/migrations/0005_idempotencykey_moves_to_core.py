"""IdempotencyKey now belongs to core (core 0003 adopted its table and rows): state only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0004_vehicle_make_status_price_index"),
        ("core", "0003_idempotencykey_scheduledjobrun"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="IdempotencyKey")],
            database_operations=[],
        )
    ]

"""PostgreSQL-only search indexes (docs/performance.md explains each).

The database collation is not "C", so a plain b-tree cannot serve LIKE 'prefix%':
text_pattern_ops can. VIN suffix search ("last 6-8 of the VIN") becomes a prefix search
over reverse(vin), which the same index also serves for a whole-VIN lookup.
SQLite (development) does without them.
"""

from django.db import migrations

INDEXES = [
    (
        "vehicle_vin_reversed",
        "CREATE INDEX IF NOT EXISTS vehicle_vin_reversed "
        "ON inventory_vehicle (reverse(vin) text_pattern_ops)",
    ),
    (
        "vehicle_stock_prefix",
        "CREATE INDEX IF NOT EXISTS vehicle_stock_prefix "
        "ON inventory_vehicle (stock_number text_pattern_ops)",
    ),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _name, sql in INDEXES:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _sql in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("inventory", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]

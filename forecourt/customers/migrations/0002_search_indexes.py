"""Search indexes for the customer list (docs/customers.md, "Search").

The database collation is not "C", so a plain btree cannot serve LIKE 'DIA%'; name prefixes
need text_pattern_ops on upper(name) (what Django's istartswith compares), and tag filters a
GIN index on the jsonb tags. Both are PostgreSQL-only; SQLite (development) scans.
"""

from django.db import migrations, models

INDEXES = [
    (
        "customer_last_name_prefix",
        "CREATE INDEX IF NOT EXISTS customer_last_name_prefix "
        "ON customers_customer (upper(last_name::text) text_pattern_ops)",
    ),
    (
        "customer_first_name_prefix",
        "CREATE INDEX IF NOT EXISTS customer_first_name_prefix "
        "ON customers_customer (upper(first_name::text) text_pattern_ops)",
    ),
    (
        "customer_business_name_prefix",
        "CREATE INDEX IF NOT EXISTS customer_business_name_prefix "
        "ON customers_customer (upper(business_name::text) text_pattern_ops)",
    ),
    (
        "customer_tags",
        "CREATE INDEX IF NOT EXISTS customer_tags ON customers_customer USING gin (tags)",
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
    dependencies = [("customers", "0001_initial")]

    operations = [
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(fields=["alt_email"], name="customer_alt_email"),
        ),
        migrations.RunPython(create, drop, elidable=False),
    ]

"""Make the audit log append-only in the database itself, not only in Python.

PostgreSQL: a trigger refuses UPDATE and DELETE. SQLite: a trigger refuses UPDATE
(DELETE stays possible there so the test runner can empty tables between tests;
the application has no delete path either way).
"""

from django.db import migrations

POSTGRES_UP = [
    """
CREATE OR REPLACE FUNCTION forecourt_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'the audit log is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER core_auditentry_append_only
    BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION forecourt_audit_append_only()
""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry",
    "DROP FUNCTION IF EXISTS forecourt_audit_append_only()",
]
SQLITE_UP = [
    """
CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only (UPDATE refused)'); END
"""
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS core_auditentry_no_update"]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}.get(vendor, []):
        schema_editor.execute(statement)


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]

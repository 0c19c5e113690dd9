"""How a backup's migration state relates to this code's migrations."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db.migrations.loader import MigrationLoader


@dataclass(frozen=True)
class SchemaComparison:
    unknown: list[str]  # applied in the backup, absent here: the backup is from newer code
    missing: list[str]  # present here, not applied in the backup: migrate after restoring

    @property
    def is_newer(self) -> bool:
        return bool(self.unknown)

    @property
    def is_older(self) -> bool:
        return bool(self.missing)


def compare_with_code(backup_migrations: list[str]) -> SchemaComparison:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    installed = {config.label for config in apps.get_app_configs()}
    applied = set(backup_migrations)
    # Migrations of apps no longer installed say nothing about the schema this code needs.
    unknown = sorted(m for m in applied - known if m.split(".", 1)[0] in installed)
    replaced = {f"{a}.{n}" for m in loader.disk_migrations.values() for a, n in m.replaces}
    missing = sorted(known - applied - replaced)
    return SchemaComparison(unknown=unknown, missing=missing)

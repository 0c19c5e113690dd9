"""forecourt restore BACKUP: restore the database and media from a backup."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from forecourt.core.backups.options import options_from_config
from forecourt.core.backups.service import restore_backup


class Command(BaseCommand):
    help = (
        "Restore BACKUP (a name, a path to its .fcbk or manifest, or 'latest'; fetched from the"
        " bucket when not local) into the configured database. Checksums are verified and the"
        " archive decrypted before anything is written. Refuses a non-empty database unless"
        " --force, and a backup from a newer Forecourt; applies migrations when it is older."
        " Stop the app and the workers first."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("backup", help="Backup name, path, or 'latest'.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a non-empty database (everything in it is DELETED) and the media.",
        )
        parser.add_argument(
            "--no-migrate",
            action="store_false",
            dest="migrate",
            help="Do not apply newer migrations after restoring an older backup.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = restore_backup(
            options["backup"],
            options_from_config(),
            force=options["force"],
            migrate=options["migrate"],
        )
        self.stdout.write(
            self.style.SUCCESS(f"Restored {result.name}") + f" ({result.media_files} media files)."
        )
        if result.migrated:
            self.stdout.write(f"Applied {len(result.migrated)} newer migration(s).")

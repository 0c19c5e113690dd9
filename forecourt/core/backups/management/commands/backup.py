"""forecourt backup [create|verify|list|prune]: take, check and thin out backups."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from forecourt.core.backups.options import options_from_config
from forecourt.core.backups.service import apply_retention, create_backup, stores, verify_backup
from forecourt.core.backups.storage import backup_time


class Command(BaseCommand):
    help = (
        "Back up the database and media into an encrypted archive with a manifest (the default),"
        " or: verify [BACKUP] restores a backup into a scratch database and checks it;"
        " list shows the backups; prune applies the retention policy."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="{create,verify,list,prune}")
        actions.add_parser("create", help="Take a backup now (the default).")
        verify = actions.add_parser("verify", help="Restore into a scratch database and check.")
        verify.add_argument("backup", nargs="?", default="latest", help="Name, path or latest.")
        verify.add_argument("--json", action="store_true", help="Print the report as JSON.")
        actions.add_parser("list", help="List the local and remote backups.")
        actions.add_parser("prune", help="Delete the backups retention no longer keeps.")

    def handle(self, *args: Any, action: str | None = None, **options: Any) -> None:
        settings = options_from_config()
        if action in (None, "create"):
            record = create_backup(settings)
            where = f" and s3://{settings.s3.bucket}/{record.remote_key}" if settings.s3 else ""
            self.stdout.write(
                self.style.SUCCESS(f"Backup {record.name} ({record.size_bytes} bytes)")
                + f" written to {record.archive_path}{where}"
            )
        elif action == "verify":
            report = verify_backup(options["backup"], settings)
            if options["json"]:
                self.stdout.write(json.dumps(report.as_dict(), indent=2))
            else:
                self.stdout.write(
                    f"Backup {report.name}: {len(report.row_counts)} tables,"
                    f" {sum(report.row_counts.values())} rows restored into a scratch database."
                )
                for problem in report.problems:
                    self.stdout.write(f"  - {problem}")
            if not report.ok:
                raise CommandError(f"backup {report.name} failed verification")
            self.stdout.write(self.style.SUCCESS("Verified: restored rows match the manifest."))
        elif action == "list":
            local, remote = stores(settings)
            remote_names = set(remote.names()) if remote else set()
            for name in sorted(set(local.names()) | remote_names, key=backup_time):  # type: ignore[arg-type]
                places = [
                    p
                    for p, present in (
                        ("local", name in local.names()),
                        ("s3", name in remote_names),
                    )
                    if present
                ]
                self.stdout.write(f"{name}  {'+'.join(places)}")
        elif action == "prune":
            deleted = apply_retention(settings)
            self.stdout.write(f"Retention removed {len(deleted)} backup(s).")
            for name in deleted:
                self.stdout.write(f"  - {name}")

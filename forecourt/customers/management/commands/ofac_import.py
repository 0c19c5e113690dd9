"""`forecourt ofac-import sdn.csv [--aliases alt.csv] [--version V]`: load the SDN list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from forecourt.customers.compliance.actions import import_sdn_list
from forecourt.customers.compliance.ofac import OfacFileError


class Command(BaseCommand):
    help = (
        "Import Treasury's SDN list (sdn.csv, and optionally alt.csv with --aliases) as the "
        "list customers are screened against. Importing the same files again changes nothing."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # Our --version names the list edition; it replaces Django's "show version" flag.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="sdn.csv in the published CSV format.")
        parser.add_argument("--aliases", type=Path, help="alt.csv: the entries' other names.")
        parser.add_argument(
            "--version",
            dest="list_version",
            default="",
            help="A name for this edition (default: import date and the files' SHA-256).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sdn_path = Path(options["file"])
        aliases_path = Path(options["aliases"]) if options["aliases"] else None
        for path in (sdn_path, aliases_path):
            if path is not None and not path.is_file():
                raise CommandError(f"{path}: no such file.")
        try:
            result = import_sdn_list(
                None, sdn_path, aliases_path=aliases_path, version=options["list_version"]
            )
        except OfacFileError as error:
            raise CommandError(f"Nothing imported: {error}") from None
        except ValidationError as error:
            raise CommandError(f"Nothing imported: {' '.join(error.messages)}") from None
        sdn_list = result.sdn_list
        if result.created:
            self.stdout.write(
                f"Imported SDN list {sdn_list.version}: {sdn_list.entry_count} names "
                "(with aliases); it is now the list in force."
            )
        elif result.made_current:
            self.stdout.write(f"Already imported as {sdn_list.version}; it is in force again.")
        else:
            self.stdout.write(f"Already imported as {sdn_list.version}; nothing changed.")

"""forecourt seed-demo: every app's demo data and one login per role (idempotent).

The apps register their seeders in `forecourt/core/demo.py`; this command runs them in order.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from forecourt.core.demo import DemoOptions, demo_logins, seeders


class Command(BaseCommand):
    help = (
        "Load demo data: two rooftops (US and UK), one user per role and their records. "
        "Safe to run again: it adds only what is missing. Refused in production."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--quiet-logins", action="store_true", help="Do not print the demo logins."
        )
        parser.add_argument(
            "--vehicles",
            type=int,
            default=None,
            help="Top the demo inventory up to this many vehicles (default 200).",
        )
        parser.add_argument(
            "--customers",
            type=int,
            default=None,
            help="Top the demo customers up to this many (default 12, spread over rooftops).",
        )

    def handle(
        self,
        *args: Any,
        quiet_logins: bool = False,
        vehicles: int | None = None,
        customers: int | None = None,
        **options: Any,
    ) -> None:
        if settings.FORECOURT_ENV == "production":
            raise CommandError("seed-demo is refused in production: it creates known passwords.")
        demo_options = DemoOptions(vehicles=vehicles, customers=customers)
        for seeder in seeders():
            self.stdout.write(seeder.seed(demo_options))
        logins = demo_logins()
        if quiet_logins or logins is None:
            return
        password, rows = logins
        self.stdout.write("")
        self.stdout.write(
            self.style.MIGRATE_HEADING("Demo logins (password for all: ")
            + password
            + self.style.MIGRATE_HEADING(")")
        )
        for login in rows:
            self.stdout.write(f"  {login.role:<16} {login.email:<36} {login.rooftops}")

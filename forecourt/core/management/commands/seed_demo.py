"""forecourt seed-demo: demo rooftops and one login per role (idempotent)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from forecourt.accounts.demo import DEMO_PASSWORD, DEMO_USERS, seed_accounts


class Command(BaseCommand):
    help = (
        "Load demo data: two rooftops (US and UK) and one user per role. Safe to run again: "
        "it adds only what is missing. Refused in production."
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
        rooftops, users = seed_accounts()
        self.stdout.write(f"Demo data: {rooftops} rooftop(s) and {users} user(s) added.")
        from forecourt.inventory.demo import DEFAULT_DEMO_VEHICLES, seed_vehicles

        added = seed_vehicles(DEFAULT_DEMO_VEHICLES if vehicles is None else vehicles)
        self.stdout.write(f"Demo inventory: {added} vehicle(s) added.")
        from forecourt.customers.demo import DEFAULT_DEMO_CUSTOMERS, seed_customers

        added = seed_customers(DEFAULT_DEMO_CUSTOMERS if customers is None else customers)
        self.stdout.write(f"Demo customers: {added} customer(s) added.")
        from forecourt.leads.demo import seed_leads

        self.stdout.write(f"Demo leads: {seed_leads()} lead(s) added.")
        from forecourt.deals.demo import seed_deals

        self.stdout.write(f"Demo deals: {seed_deals()} deal(s) added.")
        if quiet_logins:
            return
        self.stdout.write("")
        self.stdout.write(
            self.style.MIGRATE_HEADING("Demo logins (password for all: ")
            + DEMO_PASSWORD
            + self.style.MIGRATE_HEADING(")")
        )
        for demo in DEMO_USERS:
            rooftops_text = ", ".join(demo.rooftops)
            self.stdout.write(f"  {demo.role.value:<16} {demo.email:<36} {rooftops_text}")

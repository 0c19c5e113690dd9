"""forecourt deactivate-idle-users: deactivate users with no sign-in for 90 days."""

from typing import Any

from django.core.management.base import BaseCommand

from forecourt.core.security.access_review import IDLE_DAYS, idle_users
from forecourt.core.security.actions import deactivate_idle_users


class Command(BaseCommand):
    help = f"Deactivate users who have not signed in for {IDLE_DAYS} days (their sessions end)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List them, change nothing.")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        if dry_run:
            for email in idle_users().values_list("email", flat=True):
                self.stdout.write(email)
            return
        emails = deactivate_idle_users(None)
        for email in emails:
            self.stdout.write(f"deactivated {email}")
        self.stdout.write(f"{len(emails)} idle user(s) deactivated.")

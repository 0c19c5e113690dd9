"""forecourt unlock-user EMAIL: clear an account's sign-in limits (audited, as "system")."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from forecourt.core.security.actions import unlock_account


class Command(BaseCommand):
    help = (
        "Clear the sign-in limits of one account: its slow-down after repeated failures and "
        "every (account, address) cool-off. Audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The account's sign-in email (any case).")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip()
        user = get_user_model()._default_manager.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user with the email {email!r}.")
        cleared = unlock_account(None, user)
        self.stdout.write(self.style.SUCCESS(f"{user.email}: sign-in limits cleared ({cleared})."))

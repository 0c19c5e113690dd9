"""`forecourt setup`: first run. Creates the first rooftop and invites its owner.

No password goes through the shell: the command prints a one-time link (the same kind an
admin's invitation sends by email) with which the owner chooses their password, then
enrols a second factor on first sign-in. Refused once an owner exists or is invited.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from forecourt.accounts.invitations import actions
from forecourt.accounts.models import Country, Currency

# Each option: (prompt, default). Currency follows the country unless given.
_QUESTIONS = {
    "email": ("Owner's email", None),
    "name": ("Owner's full name", None),
    "rooftop_code": ("Rooftop code (short, e.g. downtown)", None),
    "rooftop_name": ("Rooftop name", None),
    "country": (f"Country ({', '.join(Country.values)})", Country.US.value),
    "time_zone": ("Time zone (IANA name)", None),
}
_CURRENCY = {Country.US.value: Currency.USD.value, Country.GB.value: Currency.GBP.value}
_TIME_ZONE = {Country.US.value: "America/New_York", Country.GB.value: "Europe/London"}
_LOCALE = {Country.US.value: "en-US", Country.GB.value: "en-GB"}


class Command(BaseCommand):
    help = (
        "First run: create the first rooftop and print a one-time link for its owner to "
        "choose a password (refused once an owner exists)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email")
        parser.add_argument("--name", help="The owner's full name.")
        parser.add_argument("--rooftop-code")
        parser.add_argument("--rooftop-name")
        parser.add_argument("--country", choices=Country.values)
        parser.add_argument("--currency", choices=Currency.values)
        parser.add_argument("--time-zone")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Never prompt: every value must come from the options.",
        )

    def _ask(self, answers: dict[str, Any], name: str, interactive: bool) -> str:
        if answers.get(name):
            return str(answers[name])
        prompt, default = _QUESTIONS[name]
        if name == "time_zone":
            default = _TIME_ZONE.get(answers["country"])
        if not interactive:
            if default:
                return default
            raise CommandError(f"--{name.replace('_', '-')} is required with --no-input.")
        while True:
            shown = f" [{default}]" if default else ""
            value = input(f"{prompt}{shown}: ").strip() or (default or "")
            if value:
                return value

    def handle(self, *args: Any, interactive: bool = True, **options: Any) -> None:
        if actions.owner_exists():
            raise CommandError("An owner already exists; invite people from the Users page.")
        answers = dict(options)
        for name in _QUESTIONS:
            answers[name] = self._ask(answers, name, interactive)
        country = answers["country"].upper()
        fields = {
            "code": answers["rooftop_code"],
            "name": answers["rooftop_name"],
            "country": country,
            "currency": options.get("currency") or _CURRENCY.get(country, ""),
            "locale": _LOCALE.get(country, "en-US"),
            "time_zone": answers["time_zone"],
        }
        try:
            rooftop, invitation, token = actions.set_up_first_owner(
                email=answers["email"], full_name=answers["name"], fields=fields
            )
        except PermissionDenied as refused:
            raise CommandError(str(refused)) from None
        except ValidationError as error:
            problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
            raise CommandError(f"Nothing was created. {problems}") from None
        self.stdout.write(f"Rooftop {rooftop.code} ({rooftop.name}) created.")
        self.stdout.write(
            f"Owner {invitation.email} invited. Open this link (once, within "
            f"{actions.INVITATION_DAYS} days) to choose the owner's password:\n"
        )
        self.stdout.write(actions.invitation_url(token))

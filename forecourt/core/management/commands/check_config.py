"""forecourt check-config: print the effective configuration, secrets masked."""

from typing import Any

from django.core.management.base import BaseCommand

from forecourt.core.config import load_config


class Command(BaseCommand):
    help = (
        "Validate the environment and print the effective configuration with secrets masked. "
        "Exits non-zero, listing every problem, when it is invalid."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # load_config (not the cached copy) so the check reflects the environment right now;
        # an invalid one raises ConfigError, which the forecourt command prints and exits on.
        config = load_config()
        width = max(len(name) for name in config.masked())
        for name, value in config.masked().items():
            self.stdout.write(f"{name.ljust(width)}  {value}")
        self.stdout.write(self.style.SUCCESS("Configuration is valid."))

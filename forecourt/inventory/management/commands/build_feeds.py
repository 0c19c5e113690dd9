"""`forecourt build-feeds`: rebuild the marketplace feed file of every (or one) rooftop."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from forecourt.accounts.models import Rooftop
from forecourt.inventory.media.feed import build_feed, write_feed


class Command(BaseCommand):
    help = "Write MEDIA_ROOT/feeds/<rooftop>.csv: the published, available vehicles."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rooftop", help="Only this rooftop (its code).")
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue background tasks instead of waiting."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rooftops = Rooftop.objects.filter(is_active=True).order_by("code")
        if options["rooftop"]:
            rooftops = rooftops.filter(code=options["rooftop"])
            if not rooftops.exists():
                raise CommandError(f"No active rooftop with code {options['rooftop']!r}.")
        for rooftop in rooftops:
            if options["enqueue"]:
                build_feed.enqueue(rooftop.pk)
                self.stdout.write(f"{rooftop.code}: queued")
            else:
                run = write_feed(rooftop)
                self.stdout.write(
                    f"{rooftop.code}: {run.vehicle_count} vehicles -> {run.file_name}"
                )

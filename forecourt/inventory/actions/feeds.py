"""The record of each marketplace feed build (the file itself is inventory/media/feed.py)."""

from __future__ import annotations

from django.utils import timezone

from forecourt.accounts.models import Rooftop
from forecourt.inventory.models import FeedRun


def start_feed_run(rooftop: Rooftop) -> FeedRun:
    return FeedRun.objects.create(rooftop=rooftop)


def record_feed_built(run: FeedRun, vehicle_count: int, file_name: str) -> None:
    run.vehicle_count = vehicle_count
    run.file_name = file_name
    run.finished_at = timezone.now()
    run.save(update_fields=["vehicle_count", "file_name", "finished_at"])


def record_feed_failure(run: FeedRun, error: str) -> None:
    run.error = error[:2000]
    run.finished_at = timezone.now()
    run.save(update_fields=["error", "finished_at"])

"""Marketplace feeds: one CSV per rooftop of its published, available vehicles.

Built by a background task (and `forecourt build-feeds`, and the scheduler every hour), written
to MEDIA_ROOT/feeds/<rooftop code>.csv through a temporary file and an atomic rename, so a
marketplace fetching the file never reads half of it. Each build selects afresh: a vehicle
sold or unpublished since the last build is simply not in the next one.
Photo URLs are absolute and signed (see photos.public_photo_token): a marketplace can fetch
the photos of listed vehicles without an account, and nothing else.
"""

from __future__ import annotations

import csv
import logging
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.tasks import task
from django.urls import reverse

from forecourt.accounts.models import Rooftop
from forecourt.inventory import actions
from forecourt.inventory.media.photos import public_photo_token
from forecourt.inventory.models import FeedRun, Status, Vehicle, VehiclePhoto

logger = logging.getLogger("forecourt.inventory.feed")

FEED_SCHEDULE = "every 1h"
CHUNK = 2000
FEED_COLUMNS = [
    "vin",
    "stock_number",
    "condition",
    "year",
    "make",
    "model",
    "trim",
    "body_style",
    "drivetrain",
    "engine",
    "transmission",
    "fuel_type",
    "exterior_color",
    "interior_color",
    "mileage",
    "price",
    "currency",
    "dealer_name",
    "dealer_phone",
    "primary_photo_url",
    "photo_urls",
]
_VEHICLE_FIELDS = [
    "pk",
    "vin",
    "stock_number",
    "condition",
    "year",
    "make",
    "model",
    "trim",
    "body_style",
    "drivetrain",
    "engine",
    "transmission",
    "fuel_type",
    "exterior_color",
    "interior_color",
    "odometer",
    "list_price",
    "internet_price",
]


def listed_vehicles(rooftop: Rooftop) -> Any:
    """What a marketplace may show: published and available for sale, nothing else."""
    return Vehicle.objects.filter(
        Q(rooftop=rooftop) & Q(is_published=True) & Q(status=Status.AVAILABLE)
    ).order_by("pk")


def feed_path(rooftop: Rooftop) -> Path:
    return Path(settings.MEDIA_ROOT) / "feeds" / f"{rooftop.code}.csv"


def photo_url(photo_id: int) -> str:
    path = reverse("inventory:public-photo", args=[public_photo_token(photo_id)])
    return f"{settings.FORECOURT_PUBLIC_BASE_URL}{path}"


def _photo_ids(vehicle_ids: list[int]) -> dict[int, list[int]]:
    """Each vehicle's photo ids, primary first, then in the dealer's order."""
    by_vehicle: dict[int, list[int]] = defaultdict(list)
    rows = (
        VehiclePhoto.objects.filter(vehicle_id__in=vehicle_ids)
        .order_by("vehicle_id", "-is_primary", "position", "pk")
        .values_list("vehicle_id", "pk")
    )
    for vehicle_id, photo_id in rows:
        by_vehicle[vehicle_id].append(photo_id)
    return by_vehicle


def feed_rows(rooftop: Rooftop) -> Iterator[list[str]]:
    """The feed's data rows, read in chunks (bounded memory for any inventory size)."""
    chunk: list[dict[str, Any]] = []
    rows = listed_vehicles(rooftop).values(*_VEHICLE_FIELDS).iterator(chunk_size=CHUNK)
    for vehicle in rows:
        chunk.append(vehicle)
        if len(chunk) == CHUNK:
            yield from _render_chunk(rooftop, chunk)
            chunk = []
    if chunk:
        yield from _render_chunk(rooftop, chunk)


def _render_chunk(rooftop: Rooftop, chunk: list[dict[str, Any]]) -> Iterator[list[str]]:
    photos = _photo_ids([v["pk"] for v in chunk])
    for v in chunk:
        urls = [photo_url(pk) for pk in photos.get(v["pk"], [])]
        price = v["internet_price"] if v["internet_price"] is not None else v["list_price"]
        yield [
            v["vin"],
            v["stock_number"],
            v["condition"],
            str(v["year"]),
            v["make"],
            v["model"],
            v["trim"],
            v["body_style"],
            v["drivetrain"],
            v["engine"],
            v["transmission"],
            v["fuel_type"],
            v["exterior_color"],
            v["interior_color"],
            str(v["odometer"]),
            f"{price:.2f}",
            rooftop.currency,
            rooftop.name,
            rooftop.phone,
            urls[0] if urls else "",
            "|".join(urls),
        ]


def write_feed(rooftop: Rooftop) -> FeedRun:
    """Build the rooftop's feed file atomically and record the run."""
    run = actions.start_feed_run(rooftop)
    target = feed_path(rooftop)
    target.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, renamed on success
        "w", dir=target.parent, prefix=f".{rooftop.code}.", suffix=".tmp", delete=False,
        newline="", encoding="utf-8",
    )  # fmt: skip
    try:
        with handle:
            writer = csv.writer(handle)
            writer.writerow(FEED_COLUMNS)
            for row in feed_rows(rooftop):
                writer.writerow(row)
                count += 1
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, target)  # atomic on one filesystem: readers see old or new
    except Exception as error:
        Path(handle.name).unlink(missing_ok=True)
        actions.record_feed_failure(run, f"{type(error).__name__}: {error}")
        logger.exception("feed of rooftop %s failed", rooftop.code)
        raise
    actions.record_feed_built(run, count, str(target.relative_to(Path(settings.MEDIA_ROOT))))
    logger.info("feed of rooftop %s: %d vehicles", rooftop.code, count)
    return run


@task(queue_name="default")
def build_feed(rooftop_id: int) -> int:
    """Background task: rebuild one rooftop's feed; returns the number of vehicles in it."""
    rooftop = Rooftop.objects.get(pk=rooftop_id)
    return write_feed(rooftop).vehicle_count


def enqueue_all_feeds() -> list[int]:
    """Queue a feed build for every active rooftop (the scheduler's hourly job)."""
    ids = list(Rooftop.objects.filter(is_active=True).values_list("pk", flat=True))
    for rooftop_id in ids:
        build_feed.enqueue(rooftop_id)
    return ids

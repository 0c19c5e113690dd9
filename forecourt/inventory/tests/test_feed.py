"""Marketplace feed: published, available vehicles only, absolute signed photo URLs,
written atomically, rebuilt by a task, a command and the scheduler."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from PIL import Image

from forecourt.core.scheduler import registered_jobs
from forecourt.inventory import actions
from forecourt.inventory.media import feed, photos
from forecourt.inventory.models import FeedRun
from forecourt.inventory.tests.factories import receive


@pytest.fixture(autouse=True)
def public_base_url(settings, media_root: Path) -> None:
    settings.FORECOURT_PUBLIC_BASE_URL = "https://dms.example-motors.com"


def jpeg() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, "JPEG")
    out.seek(0)
    return out


def read_feed(rooftop) -> list[dict[str, str]]:
    text = feed.feed_path(rooftop).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_feed_lists_published_available_vehicles_with_photo_urls(manager, rooftop):
    listed = receive(manager, rooftop, status="available", internet_price="18500")
    unpublished = receive(manager, rooftop, status="available")
    in_recon = receive(manager, rooftop, status="in_reconditioning")
    actions.bulk_set_published(manager, [listed.pk, in_recon.pk], True)
    first = actions.add_photo(manager, listed, jpeg())
    second = actions.add_photo(manager, listed, jpeg())
    actions.set_primary_photo(manager, second)

    run = feed.build_feed.enqueue(rooftop.pk)  # immediate backend in tests
    assert run.return_value == 1
    rows = read_feed(rooftop)
    assert [r["vin"] for r in rows] == [listed.vin]
    assert unpublished.vin not in {r["vin"] for r in rows}
    row = rows[0]
    assert row["price"] == "18500.00"
    assert row["currency"] == "USD"
    urls = row["photo_urls"].split("|")
    assert len(urls) == 2
    assert row["primary_photo_url"] == urls[0]
    assert urls[0].startswith("https://dms.example-motors.com/inventory/public/photos/")
    assert urls[0].endswith(f"/inventory/public/photos/{photos.public_photo_token(second.pk)}/")
    assert photos.public_photo_token(first.pk) in urls[1]
    path = urls[0].removeprefix("https://dms.example-motors.com")
    assert Client().get(path).status_code == 200  # a marketplace needs no account
    assert FeedRun.objects.get().vehicle_count == 1


def test_sold_or_unpublished_vehicles_drop_out_of_the_next_feed(manager, rooftop):
    kept = receive(manager, rooftop, status="available")
    sold = receive(manager, rooftop, status="available")
    hidden = receive(manager, rooftop, status="available")
    actions.bulk_set_published(manager, [kept.pk, sold.pk, hidden.pk], True)
    feed.write_feed(rooftop)
    assert len(read_feed(rooftop)) == 3
    actions.change_status(manager, sold, to_status="sold", reason="sold to a customer")
    actions.bulk_set_published(manager, [hidden.pk], False)
    feed.write_feed(rooftop)
    assert [r["vin"] for r in read_feed(rooftop)] == [kept.vin]


def test_feed_file_is_replaced_atomically(manager, rooftop, monkeypatch):
    vehicle = receive(manager, rooftop, status="available")
    actions.bulk_set_published(manager, [vehicle.pk], True)
    feed.write_feed(rooftop)
    before = feed.feed_path(rooftop).read_text()

    def broken_rows(_rooftop):
        yield ["half", "a", "row"]
        raise RuntimeError("database went away")

    monkeypatch.setattr(feed, "feed_rows", broken_rows)
    with pytest.raises(RuntimeError):
        feed.write_feed(rooftop)
    assert feed.feed_path(rooftop).read_text() == before  # the old feed is intact
    leftovers = [p.name for p in feed.feed_path(rooftop).parent.iterdir()]
    assert leftovers == [f"{rooftop.code}.csv"]  # no temporary file left behind
    assert FeedRun.objects.filter(error__contains="database went away").exists()


def test_build_feeds_command_and_scheduler_registration(manager, rooftop, other_rooftop):
    out = io.StringIO()
    call_command("build_feeds", stdout=out)
    assert f"{rooftop.code}: 0 vehicles" in out.getvalue()
    assert feed.feed_path(other_rooftop).exists()
    assert read_feed(rooftop) == []
    job = {j.name: j for j in registered_jobs()}["inventory.feeds"]
    assert job.run is feed.enqueue_all_feeds
    assert sorted(feed.enqueue_all_feeds()) == sorted([rooftop.pk, other_rooftop.pk])

"""Forecourt's own export imports back (read-only columns ignored with a notice), on a
populated database; a missing VIN says "VIN is required"; skipped counts every row not
written, rows with errors included."""

from __future__ import annotations

import csv
import io

import pytest

from forecourt.inventory.demo import seed_vehicles
from forecourt.inventory.models import ImportMode, ImportStatus, Vehicle
from forecourt.inventory.tests.test_import import HEADER, csv_bytes, good_row, run

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def exported(client, query: str = "status=") -> bytes:
    response = client.get(f"/inventory/export.csv?{query}")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("mode", [ImportMode.VALID_ROWS, ImportMode.ALL_OR_NOTHING])
def test_an_export_imports_back_into_the_same_rooftop(owner, rooftop, client_for, mode):
    seed_vehicles(40, [rooftop])
    content = exported(client_for(owner))
    header = next(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert {"id", "rooftop_id", "sold_at", "created_at", "updated_at"} <= set(header)
    job = run(owner, rooftop, content, mode=mode)
    assert job.status == ImportStatus.DONE, (job.message, job.errors[:3])
    assert job.error_count == 0
    assert job.skipped_count == 40  # every unit is already in stock: nothing to create
    assert Vehicle.objects.count() == 40
    assert "Ignored read-only column(s) id, rooftop_id" in job.message
    for column in ("sold_at", "created_at", "updated_at"):
        assert column in job.message


def test_an_export_recreates_the_stock_in_another_database(
    owner, rooftop, other_rooftop, client_for
):
    seed_vehicles(40, [rooftop])
    client = client_for(owner)
    content = exported(client, "status=available")
    before = {
        v.vin: (v.make, v.model, v.trim, v.odometer, v.list_price, v.engine)
        for v in Vehicle.objects.filter(status="available")
    }
    assert before
    # The units leave this rooftop for good (the export travels to a new installation).
    Vehicle.objects.update(status="removed")
    job = run(owner, other_rooftop, content)
    assert job.status == ImportStatus.DONE, (job.message, job.errors[:3])
    assert (job.created_count, job.error_count) == (len(before), 0)
    after = {
        v.vin: (v.make, v.model, v.trim, v.odometer, v.list_price, v.engine)
        for v in Vehicle.objects.filter(rooftop=other_rooftop)
    }
    assert after == before


def test_a_missing_vin_is_reported_as_required(owner, rooftop):
    job = run(
        owner, rooftop, csv_bytes([good_row(), ["", "", "2020", "Honda", "Civic", "auction", "1"]])
    )
    assert job.errors == [{"row": 3, "column": "vin", "message": "VIN is required."}]


def test_skipped_counts_every_row_not_imported(owner, rooftop):
    rows = [
        good_row(),
        good_row(),
        ["", "", "2020", "Honda", "Civic", "auction", "1"],
        [good_row()[0], "", "two thousand", "Honda", "Civic", "auction", "1"],
        [good_row()[0], "", "2020", "Honda", "Civic", "auction", "1", "extra"],
    ]
    job = run(owner, rooftop, csv_bytes(rows, HEADER))
    assert (job.rows_seen, job.created_count, job.skipped_count) == (5, 2, 3)
    assert "2 created, 0 updated, 3 skipped (3 of them with errors), 3 error(s)." in job.message

"""CSV import: row/column error reports, all-or-nothing vs valid rows, idempotent by VIN."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.inventory import actions
from forecourt.inventory.imports import csv_import
from forecourt.inventory.models import (
    ImportJob,
    ImportMode,
    ImportStatus,
    Vehicle,
    VehiclePriceChange,
)
from forecourt.inventory.tests.factories import make_vin, receive

HEADER = ["VIN", "Stock Number", "Year", "Make", "Model", "Acquisition Source", "List Price"]


def csv_bytes(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def good_row(vin: str | None = None, price: str = "19995.00", stock: str = "") -> list[str]:
    return [vin or make_vin(), stock, "2020", "Honda", "Accord", "auction", price]


def bad_check_digit_vin() -> str:
    vin = make_vin()
    wrong = "0" if vin[8] != "0" else "1"
    return vin[:8] + wrong + vin[9:]


pytestmark = pytest.mark.usefixtures("media_root")


def run(actor, rooftop, content: bytes, mode=ImportMode.VALID_ROWS, **options) -> ImportJob:
    job = actions.start_import(
        actor,
        rooftop=rooftop,
        upload=ContentFile(content, name="vehicles.csv"),
        original_name="vehicles.csv",
        mode=mode,
        **options,
    )
    csv_import.process_import.enqueue(job.pk)  # the immediate backend runs it now
    job.refresh_from_db()
    return job


def errors_by_cell(job: ImportJob) -> dict[tuple[int, str], str]:
    return {(e["row"], e["column"]): e["message"] for e in job.errors}


def test_valid_rows_mode_imports_good_rows_and_reports_bad_ones(manager, rooftop) -> None:
    bad_vin = bad_check_digit_vin()
    content = csv_bytes(
        [
            good_row(),
            good_row(price="-5"),  # row 3: negative price
            good_row(),
            [bad_vin, "", "2020", "Honda", "Accord", "auction", "100"],  # row 5
            [make_vin(), "", "twenty", "Honda", "Accord", "auction", "100"],  # row 6
            good_row(stock="MY-STOCK-1"),
        ]
    )
    job = run(manager, rooftop, content)
    assert job.status == ImportStatus.DONE, job.message
    assert (job.created_count, job.error_count, job.rows_seen) == (3, 3, 6)
    cells = errors_by_cell(job)
    assert set(cells) == {(3, "list_price"), (5, "vin"), (6, "year")}
    assert "negative" in cells[(3, "list_price")]
    assert "check digit" in cells[(5, "vin")]
    assert "expected" in cells[(5, "vin")]
    assert "'twenty' is not a whole number" in cells[(6, "year")]
    assert Vehicle.objects.filter(rooftop=rooftop).count() == 3
    assert Vehicle.objects.filter(stock_number="MY-STOCK-1").exists()
    assert AuditEntry.objects.filter(action="inventory.import_vehicles").count() == 1
    assert AuditEntry.objects.filter(object_type="inventory.vehicle").count() == 3


def test_all_or_nothing_imports_nothing_when_a_row_is_bad(manager, rooftop) -> None:
    content = csv_bytes([good_row(), good_row(), good_row(price="abc")])
    job = run(manager, rooftop, content, mode=ImportMode.ALL_OR_NOTHING)
    assert job.status == ImportStatus.REJECTED
    assert job.created_count == 0
    assert job.error_count == 1
    assert errors_by_cell(job) == {(4, "list_price"): "'abc' is not an amount."}
    assert "nothing was imported" in job.message
    assert not Vehicle.objects.exists()


def test_all_or_nothing_imports_everything_when_every_row_is_good(manager, rooftop) -> None:
    job = run(
        manager, rooftop, csv_bytes([good_row() for _ in range(5)]), ImportMode.ALL_OR_NOTHING
    )
    assert job.status == ImportStatus.DONE, job.message
    assert job.created_count == 5
    assert Vehicle.objects.filter(rooftop=rooftop).count() == 5
    assert job.percent == 100


def test_reimporting_is_idempotent_by_vin(manager, rooftop) -> None:
    vins = [make_vin() for _ in range(3)]
    content = csv_bytes([good_row(vin) for vin in vins])
    first = run(manager, rooftop, content)
    assert first.created_count == 3
    second = run(manager, rooftop, content)
    assert (second.created_count, second.updated_count, second.skipped_count) == (0, 0, 3)
    assert Vehicle.objects.count() == 3
    changed = csv_bytes([good_row(vins[0], price="17500.00"), good_row(vins[1]), good_row(vins[2])])
    third = run(manager, rooftop, changed)
    assert (third.created_count, third.updated_count, third.skipped_count) == (0, 1, 2)
    vehicle = Vehicle.objects.get(vin=vins[0])
    assert str(vehicle.list_price) == "17500.00"
    assert VehiclePriceChange.objects.filter(vehicle=vehicle, new_price="17500.00").exists()


def test_existing_vins_are_skipped_when_updates_are_off(manager, rooftop) -> None:
    vehicle = receive(manager, rooftop, list_price="10000")
    job = run(
        manager, rooftop, csv_bytes([good_row(vehicle.vin, price="9000")]), update_existing=False
    )
    assert (job.created_count, job.updated_count, job.skipped_count) == (0, 0, 1)
    vehicle.refresh_from_db()
    assert str(vehicle.list_price) == "10000.00"


def test_a_vin_in_stock_elsewhere_or_repeated_in_the_file_is_an_error(
    manager, rooftop, other_rooftop
) -> None:
    manager.rooftops.add(other_rooftop)
    elsewhere = receive(manager, other_rooftop)
    repeated = make_vin()
    content = csv_bytes([good_row(elsewhere.vin), good_row(repeated), good_row(repeated)])
    job = run(manager, rooftop, content)
    cells = errors_by_cell(job)
    assert "another rooftop" in cells[(2, "vin")]
    assert "appears earlier in the file" in cells[(4, "vin")]
    assert job.created_count == 1


def test_header_problems_fail_the_whole_file(manager, rooftop) -> None:
    content = csv_bytes([["x"] * 3], header=["vin", "colour", "make"])
    job = run(manager, rooftop, content)
    assert job.status == ImportStatus.FAILED
    assert "unknown column(s) colour" in job.message
    assert "missing column(s) year, model, acquisition_source" in job.message
    assert not Vehicle.objects.exists()


def test_a_file_that_is_not_utf8_text_fails_clearly(manager, rooftop) -> None:
    job = run(manager, rooftop, "vin,year\n\xe9t\xe9,2020\n".encode("latin-1"))
    assert job.status == ImportStatus.FAILED
    assert "not UTF-8" in job.message


def test_rows_with_the_wrong_number_of_values_are_reported(manager, rooftop) -> None:
    content = csv_bytes([good_row(), ["1HGCM82633A004352", "2020"], good_row()])
    job = run(manager, rooftop, content)
    assert errors_by_cell(job) == {(3, ""): "Expected 7 values, found 2."}
    assert job.created_count == 2


def test_import_pages_upload_and_show_the_error_report(manager, rooftop, client_for) -> None:
    client = client_for(manager)
    assert client.get("/inventory/imports/").status_code == 200
    content = csv_bytes([good_row(), good_row(price="-1")])
    response = client.post(
        "/inventory/imports/",
        {
            "file": SimpleUploadedFile("stock.csv", content, "text/csv"),
            "rooftop": rooftop.pk,
            "mode": ImportMode.VALID_ROWS,
            "update_existing": "on",
        },
    )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert response["Location"] == f"/inventory/imports/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "1 created" in page
    assert "A price cannot be negative." in page
    assert 'hx-trigger="every 1s"' not in page  # finished: it stops polling


def test_progress_partial_polls_until_the_job_finishes(manager, rooftop, client_for) -> None:
    job = ImportJob.objects.create(
        rooftop=rooftop,
        created_by=manager,
        file_name="imports/x.csv",
        mode=ImportMode.VALID_ROWS,
        total_bytes=1000,
        processed_bytes=250,
    )
    html = client_for(manager).get(f"/inventory/imports/{job.pk}/progress/").content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert 'value="25"' in html


def test_salesperson_cannot_import(salesperson, rooftop, client_for) -> None:
    client = client_for(salesperson)
    assert client.get("/inventory/imports/").status_code == 403
    response = client.post(
        "/api/v1/vehicle-imports",
        {"file": SimpleUploadedFile("a.csv", csv_bytes([good_row()])), "rooftop_id": rooftop.pk,
         "mode": "valid_rows"},
    )  # fmt: skip
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_imports_of_other_rooftops_are_invisible(
    manager, rooftop, make_user, other_rooftop, client_for
):
    job = run(manager, rooftop, csv_bytes([good_row()]))
    outsider = make_user(Role.SALES_MANAGER, rooftops=[other_rooftop])
    assert client_for(outsider).get(f"/inventory/imports/{job.pk}/").status_code == 404
    assert client_for(outsider).get(f"/api/v1/vehicle-imports/{job.pk}").status_code == 404


def test_api_import_returns_202_and_the_report(manager, rooftop, client_for) -> None:
    client = client_for(manager)
    content = csv_bytes([good_row(), good_row(vin="SHORTVIN")])
    response = client.post(
        "/api/v1/vehicle-imports",
        {"file": SimpleUploadedFile("a.csv", content), "rooftop_id": rooftop.pk,
         "mode": "all_or_nothing"},
    )  # fmt: skip
    assert response.status_code == 202, response.content
    body = client.get(f"/api/v1/vehicle-imports/{response.json()['id']}").json()
    assert body["status"] == "rejected"
    assert body["errors"][0]["row"] == 3
    assert body["errors"][0]["column"] == "vin"
    assert "17 characters" in body["errors"][0]["message"]
    bad_mode = client.post(
        "/api/v1/vehicle-imports",
        {"file": SimpleUploadedFile("a.csv", content), "rooftop_id": rooftop.pk, "mode": "some"},
    )
    assert bad_mode.status_code == 422


@pytest.mark.parametrize("mode", [ImportMode.VALID_ROWS, ImportMode.ALL_OR_NOTHING])
def test_rows_are_processed_in_batches_with_progress(manager, rooftop, monkeypatch, mode) -> None:
    monkeypatch.setattr(csv_import, "BATCH_SIZE", 2)
    saved: list[int] = []
    save = csv_import.Importer.save_progress

    def spy(self, rows=None, **extra):
        save(self, rows, **extra)
        saved.append(self.job.processed_bytes)

    monkeypatch.setattr(csv_import.Importer, "save_progress", spy)
    content = csv_bytes([good_row() for _ in range(5)])
    job = run(manager, rooftop, content, mode=mode)
    assert job.status == ImportStatus.DONE, job.message
    assert (job.created_count, job.rows_seen) == (5, 5)
    assert len(saved) >= 3  # one save per batch of 2 rows, at least
    assert saved == sorted(saved)  # progress only moves forward
    assert job.processed_bytes == job.total_bytes == len(content)


def test_a_batch_takes_the_same_queries_whatever_its_size(manager, rooftop) -> None:
    """Per-row queries must not creep back into the import (validation or writes)."""
    run(manager, rooftop, csv_bytes([good_row()]))  # creates the stock-number counter
    counts = []
    for size in (3, 30):
        with CaptureQueriesContext(connection) as queries:
            job = run(manager, rooftop, csv_bytes([good_row() for _ in range(size)]))
        assert job.created_count == size, job.message
        counts.append(len(queries))
    assert counts[0] == counts[1], [q["sql"][:60] for q in queries.captured_queries]

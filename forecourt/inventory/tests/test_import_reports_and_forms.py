"""Import reports (every invalid column, bounded, local times) and the worker that processes
them; form ids, filter and hold wording, the status dropdown."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from forecourt.accounts.roles import Role
from forecourt.core.worker import ForecourtWorker
from forecourt.inventory import actions
from forecourt.inventory.imports import csv_import
from forecourt.inventory.models import ImportJob, ImportMode, ImportStatus, Status, Vehicle
from forecourt.inventory.tests.factories import make_vin, receive

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

HX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"}
HEADER = "VIN,Year,Make,Model,Acquisition Source,Odometer,List Price\n"


def start(manager, rooftop, body: str, mode=ImportMode.VALID_ROWS, **options) -> ImportJob:
    return actions.start_import(
        manager,
        rooftop=rooftop,
        upload=ContentFile((HEADER + body).encode(), name="v.csv"),
        original_name="v.csv",
        mode=mode,
        **options,
    )


def run(manager, rooftop, body: str, mode=ImportMode.VALID_ROWS, **options) -> ImportJob:
    job = start(manager, rooftop, body, mode, **options)
    csv_import.process_import.enqueue(job.pk)  # the immediate backend runs it now
    job.refresh_from_db()
    return job


def cells(job: ImportJob) -> list[tuple[int, str]]:
    return [(e["row"], e["column"]) for e in job.errors]


def bad_check_digit(vin: str) -> str:
    return vin[:8] + ("0" if vin[8] != "0" else "1") + vin[9:]


# --- G6: every invalid column of a row ------------------------------------------------------


@pytest.mark.parametrize("mode", [ImportMode.VALID_ROWS, ImportMode.ALL_OR_NOTHING])
def test_an_import_row_reports_every_invalid_column(manager, rooftop, mode) -> None:
    body = (
        f"{make_vin()},2020,Honda,Accord,auction,100,19995\n"  # row 2: fine
        f"{make_vin()},2020,Honda,Accord,auction,100,19995\n"  # row 3: fine
        f"{make_vin()},2020,Honda,Accord,auction,abc,-5\n"  # row 4: odometer and price
        f"{bad_check_digit(make_vin())},twenty,Honda,,auction,-1,abc\n"  # row 5: five
    )
    job = run(manager, rooftop, body, mode)
    assert cells(job) == [
        (4, "odometer"),
        (4, "list_price"),
        (5, "vin"),
        (5, "year"),
        (5, "model"),
        (5, "odometer"),
        (5, "list_price"),
    ]  # in row order, then the file's column order
    messages = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert messages[(4, "odometer")] == "'abc' is not a whole number."
    assert messages[(4, "list_price")] == "A price cannot be negative."
    assert messages[(5, "year")] == "'twenty' is not a whole number."  # not "cannot be null"
    assert "check digit" in messages[(5, "vin")]
    assert job.error_count == 7
    if mode == ImportMode.VALID_ROWS:
        assert (job.status, job.created_count) == (ImportStatus.DONE, 2)
    else:
        assert (job.status, job.created_count) == (ImportStatus.REJECTED, 0)


def test_an_update_row_reports_every_invalid_column_and_changes_nothing(manager, rooftop):
    vehicle = receive(manager, rooftop, odometer=100)
    job = run(manager, rooftop, f"{vehicle.vin},2020,Honda,Accord,auction,abc,-5\n")
    assert cells(job) == [(2, "odometer"), (2, "list_price")]
    assert job.updated_count == 0
    vehicle.refresh_from_db()
    assert (vehicle.odometer, vehicle.version) == (100, 1)


def test_receiving_names_every_bad_field_at_once(manager, rooftop) -> None:
    with pytest.raises(ValidationError) as refused:
        actions.receive_vehicle(
            manager, rooftop=rooftop, vin="NOT-A-VIN", year=2020, make="Honda", model="",
            acquisition_source="auction", list_price="-1", status="sold",
        )  # fmt: skip
    assert set(refused.value.message_dict) == {"vin", "list_price", "status", "model"}


def test_reported_errors_stay_bounded(manager, rooftop, monkeypatch) -> None:
    monkeypatch.setattr(csv_import, "MAX_REPORTED_ERRORS", 5)
    body = "".join(f"{make_vin()},2020,Honda,Accord,auction,abc,-5\n" for _ in range(4))
    job = run(manager, rooftop, body)
    assert job.error_count == 8
    assert cells(job) == [(2, "odometer"), (2, "list_price"), (3, "odometer"),
                          (3, "list_price"), (4, "odometer")]  # fmt: skip


# --- C: import times in the rooftop's time zone, the app's date style -------------------------


def test_import_pages_show_times_in_the_rooftops_zone(make_rooftop, make_user, client_for):
    london = make_rooftop(name="Leeds", time_zone="Europe/London", country="GB", currency="GBP")
    chicago = make_rooftop(name="Springfield", time_zone="America/Chicago")
    manager = make_user(Role.GENERAL_MANAGER, rooftops=[london, chicago])
    job = run(manager, chicago, f"{make_vin()},2020,Honda,Accord,auction,100,19995\n")
    uploaded = datetime(2026, 11, 26, 13, 46, tzinfo=UTC)
    finished = datetime(2026, 11, 26, 13, 47, tzinfo=UTC)
    ImportJob.objects.filter(pk=job.pk).update(created_at=uploaded, finished_at=finished)
    client = client_for(manager)
    page = client.get(f"/inventory/imports/{job.pk}/").content.decode()
    assert "uploaded 2026-11-26 07:46 CST" in page
    assert "finished 2026-11-26 07:47 CST" in page
    assert "p.m." not in page
    assert "1:46" not in page
    listing = client.get("/inventory/imports/").content.decode()
    assert f"<td>{uploaded.astimezone(ZoneInfo('America/Chicago')):%Y-%m-%d %H:%M} CST</td>" in (
        listing
    )


# --- G5: the import list's count column -----------------------------------------------------


def test_the_import_list_names_its_count_column(manager, rooftop, client_for) -> None:
    run(manager, rooftop, f"{make_vin()},2020,Honda,Accord,auction,100,19995\n")
    listing = client_for(manager).get("/inventory/imports/").content.decode()
    assert '<th scope="col">Vehicles created</th>' in listing
    assert '<th scope="col">Created</th>' not in listing


# --- A: an import waits for the worker, and one worker pass processes it ----------------------


@pytest.mark.django_db(transaction=True)  # the worker manages its own connections
def test_one_worker_pass_processes_a_queued_import(settings, manager, rooftop) -> None:
    settings.TASKS = {
        "default": {
            "BACKEND": "forecourt.core.observability.tasking.TracedDatabaseBackend",
            "QUEUES": ["default", "alerts", "maintenance"],
        }
    }  # as in development and production: the task is queued, not run in the request
    job = start(manager, rooftop, f"{make_vin()},2020,Honda,Accord,auction,100,19995\n")
    csv_import.process_import.enqueue(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.PENDING  # "Waiting" until a worker takes it

    worker = ForecourtWorker(worker_id="make-run", interval=0, scheduled_jobs=False)
    assert worker.run_once() is True

    job.refresh_from_db()
    assert (job.status, job.created_count) == (ImportStatus.DONE, 1), job.message
    assert Vehicle.objects.filter(rooftop=rooftop).count() == 1


# --- G1: one id per element, aria-describedby names the error text --------------------------


def test_a_field_with_an_error_renders_unique_ids(salesperson, rooftop, client_for) -> None:
    vehicle = receive(salesperson, rooftop)
    response = client_for(salesperson).post(
        f"/inventory/{vehicle.pk}/hold/", {"deal_reference": "", "hours": "48"}
    )
    html = response.content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    described = re.search(r'aria-describedby="([^"]+)" id="id_deal_reference"', html)
    assert described is not None
    error_list = re.search(rf'<ul[^>]* id="{described.group(1)}"[^>]*>(.*?)</ul>', html)
    assert error_list is not None
    assert "This field is required." in error_list.group(1)


def test_help_text_has_the_id_the_widget_points_at(salesperson, client_for) -> None:
    html = client_for(salesperson).get("/inventory/receive/").content.decode()
    assert 'aria-describedby="id_stock_number_helptext"' in html
    assert '<small id="id_stock_number_helptext">' in html


# --- G2: a bad filter is named by its label -------------------------------------------------


def test_a_bad_filter_is_named_by_its_label(salesperson, client_for) -> None:
    client = client_for(salesperson)
    html = client.get("/inventory/", {"year_min": "-1"}, **HX).content.decode()
    assert "Year from: must not be negative." in html
    assert "year_min:" not in html
    html = client.get("/inventory/", {"price_max": "lots"}, **HX).content.decode()
    assert "Price to: enter a number." in html


def test_the_filter_panel_labels_are_the_error_labels(salesperson, client_for) -> None:
    html = client_for(salesperson).get("/inventory/").content.decode()
    year_from = '<label>Year from <input type="number" step="1" name="year_min" value=""></label>'
    assert year_from in html
    assert 'step="0.01" name="price_max"' in html


# --- G3: the hold form's limit in days ------------------------------------------------------


def test_a_too_long_hold_says_the_limit_in_days(salesperson, rooftop, client_for) -> None:
    vehicle = receive(salesperson, rooftop, status="available")
    hours = int(actions.MAX_HOLD.total_seconds() // 3600)
    response = client_for(salesperson).post(
        f"/inventory/{vehicle.pk}/hold/", {"deal_reference": "D-1", "hours": str(hours + 1)}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert f"A hold lasts at most {actions.MAX_HOLD.days} days ({hours} hours)." in html
    assert "less than or equal" not in html


# --- G4: nothing preselected, only legal moves ------------------------------------------------


@pytest.mark.parametrize("status", [Status.AVAILABLE, Status.INCOMING, Status.IN_RECONDITIONING])
def test_the_status_dropdown_starts_with_no_choice(status, salesperson, rooftop, client_for):
    vehicle = receive(salesperson, rooftop, status=status)
    html = client_for(salesperson).get(f"/inventory/{vehicle.pk}/").content.decode()
    select = html.split('<select name="status"', 1)[1].split("</select>", 1)[0]
    options = re.findall(r'<option value="([^"]*)"( selected)?>', select)
    assert options[0][0] == ""  # "Choose…", the one selected
    assert not any(selected for _, selected in options[1:])
    legal = actions.TRANSITIONS[status] - {Status.ON_HOLD}
    assert [value for value, _ in options[1:]] == [s.value for s in Status if s in legal]


def test_submitting_no_status_asks_for_one(salesperson, rooftop, client_for) -> None:
    vehicle = receive(salesperson, rooftop, status="available")
    response = client_for(salesperson).post(
        f"/inventory/{vehicle.pk}/status/", {"version": vehicle.version, "status": ""}
    )
    assert response.status_code == 422
    assert "Choose the new status." in response.content.decode()
    vehicle.refresh_from_db()
    assert vehicle.status == Status.AVAILABLE

"""CSV import of vehicles: streamed, validated row by row, idempotent by VIN.

The file is read through a text wrapper over the stored upload, one batch of rows at a
time, so memory stays bounded whatever its size. Each row is checked with the rules of
inventory/actions (this module only turns CSV text into typed values and maps errors to
rows and columns). A row whose VIN is an active unit of the rooftop updates that unit (or is
skipped), so importing the same file twice never duplicates a vehicle.

Modes (the user chooses):
- all or nothing: a first pass validates every row and writes nothing; only if no row has an
  error does a second pass write them all, in one transaction;
- only valid rows: one pass; each batch writes its valid rows, rows with errors are reported.
Progress (bytes read, counts, the first errors) is saved on the ImportJob after each batch
(outside any long transaction), so the page polling it sees the import advance.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from forecourt.accounts.models import Rooftop
from forecourt.inventory import actions
from forecourt.inventory.actions.vehicles import RECEIVING_STATUSES
from forecourt.inventory.models import (
    ACTIVE_STATUSES,
    ImportJob,
    ImportMode,
    ImportStatus,
    Status,
    Vehicle,
)
from forecourt.inventory.search import DETAIL_COLUMNS

logger = logging.getLogger("forecourt.inventory.import")

BATCH_SIZE = 1000
MAX_REPORTED_ERRORS = 1000
MAX_FIELD_CHARS = 10_000  # a longer cell is a malformed file, not a vehicle
PROGRESS_EVERY_BYTES = 256 * 1024

# The columns an import file may have: the Vehicle fields receive_vehicle accepts.
COLUMNS = sorted(actions.RECEIVE_FIELDS)
# Columns Forecourt's own export writes that an import cannot set (ids, the rooftop, times
# the system keeps): a file exported from Forecourt imports as it is, these columns ignored
# with a notice (the rooftop is the one chosen for the import).
READ_ONLY_COLUMNS = frozenset(DETAIL_COLUMNS) - frozenset(COLUMNS) | {"version"}
REQUIRED_COLUMNS = ("vin", "year", "make", "model", "acquisition_source")
INTEGER_COLUMNS = frozenset({"year", "odometer"})
MONEY_COLUMNS = frozenset({"acquisition_cost", "list_price", "internet_price", "floor_price"})
BOOLEAN_COLUMNS = frozenset({"is_published"})
DATE_COLUMNS = frozenset({"acquired_on"})
_TRUE = frozenset({"true", "yes", "y", "1"})
_FALSE = frozenset({"false", "no", "n", "0"})


class ImportFileError(Exception):
    """The file as a whole cannot be read (not UTF-8, no header, malformed CSV)."""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Row:
    number: int  # as a spreadsheet shows it: the header is row 1
    values: dict[str, Any]


@dataclass
class BatchPlan:
    """What to do with one batch: new vehicles, updates of existing ones, skips, errors."""

    new: list[tuple[Row, Vehicle]] = field(default_factory=list)
    updates: list[tuple[Row, int]] = field(default_factory=list)
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)


def normalize_header(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


# --- reading --------------------------------------------------------------------------------


class CsvRows:
    """Rows of an uploaded CSV as dicts keyed by column; tracks bytes read for progress."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._binary = stream
        self._text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        self._reader = csv.reader(self._text, strict=True)
        self.columns = self._read_header()

    @property
    def bytes_read(self) -> int:
        try:
            return int(self._binary.tell())
        except (OSError, ValueError):
            return 0

    def _read_header(self) -> list[str]:
        try:
            header = next(self._reader)
        except StopIteration:
            raise ImportFileError(
                "The file is empty: the first row must name the columns."
            ) from None
        except (csv.Error, UnicodeDecodeError) as error:
            raise _file_error(1, error) from None
        columns = [normalize_header(h) for h in header]
        self.ignored = [c for c in columns if c in READ_ONLY_COLUMNS]
        columns = ["" if c in READ_ONLY_COLUMNS else c for c in columns]  # "" is never read
        unknown = [c for c in columns if c and c not in COLUMNS]
        problems = []
        if unknown:
            problems.append(f"unknown column(s) {', '.join(unknown)}")
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            problems.append(f"missing column(s) {', '.join(missing)}")
        duplicated = sorted({c for c in columns if c and columns.count(c) > 1})
        if duplicated:
            problems.append(f"repeated column(s) {', '.join(duplicated)}")
        if problems:
            raise ImportFileError(
                f"Row 1 (header): {'; '.join(problems)}. Allowed columns: {', '.join(COLUMNS)}."
            )
        return columns

    def __iter__(self) -> Iterator[Row | RowError]:
        number = 1
        while True:
            try:
                cells = next(self._reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as error:
                raise _file_error(number + 1, error) from None
            number += 1
            if not any(c.strip() for c in cells):
                continue  # blank line
            if len(cells) != len(self.columns):
                yield RowError(
                    number, "", f"Expected {len(self.columns)} values, found {len(cells)}."
                )
                continue
            if any(len(c) > MAX_FIELD_CHARS for c in cells):
                yield RowError(number, "", f"A value is longer than {MAX_FIELD_CHARS} characters.")
                continue
            yield Row(number, dict(zip(self.columns, cells, strict=True)))


def _file_error(row: int, error: Exception) -> ImportFileError:
    if isinstance(error, UnicodeDecodeError):
        return ImportFileError(f"Row {row}: the file is not UTF-8 text (save it as CSV UTF-8).")
    return ImportFileError(f"Row {row}: malformed CSV ({error}).")


def parse_values(row: Row) -> tuple[dict[str, Any], list[RowError]]:
    """CSV text to typed values (format only: the business rules are the actions')."""
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    for column, raw in row.values.items():
        text = raw.strip()
        if not column or text == "":
            continue  # an empty cell leaves the field at its default / unchanged
        try:
            values[column] = _parse(column, text)
        except ValueError as error:
            errors.append(RowError(row.number, column, str(error)))
    return values, errors


def _parse(column: str, text: str) -> Any:
    if column in INTEGER_COLUMNS:
        try:
            return int(text.replace(",", ""))
        except ValueError:
            raise ValueError(f"{text!r} is not a whole number.") from None
    if column in MONEY_COLUMNS:
        try:
            return Decimal(text.replace(",", "").lstrip("$£"))
        except InvalidOperation:
            raise ValueError(f"{text!r} is not an amount.") from None
    if column in BOOLEAN_COLUMNS:
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise ValueError(f"{text!r} is not yes or no.")
    if column in DATE_COLUMNS:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a date like 2026-01-31.") from None
    return text


def _by_column(row: Row, errors: list[RowError]) -> list[RowError]:
    """A row's errors in the file's column order (row-wide errors first)."""
    order = {column: i for i, column in enumerate(row.values)}
    return sorted(errors, key=lambda e: order.get(e.column, -1))


def _merged(row: Row, parse_errors: list[RowError], rule_errors: list[RowError]) -> list[RowError]:
    """Every invalid column of a row, once: a column whose text did not parse is reported
    as such, not again as missing or invalid by the rules (they never saw its value)."""
    unparsed = {e.column for e in parse_errors}
    return _by_column(row, [*parse_errors, *(e for e in rule_errors if e.column not in unparsed)])


def _errors_of(row: Row, error: ValidationError) -> list[RowError]:
    if not hasattr(error, "error_dict"):
        return [RowError(row.number, "", message) for message in error.messages]
    return [
        RowError(row.number, "" if column == "__all__" else column, message)
        for column, messages in error.message_dict.items()
        for message in messages
    ]


# --- planning and writing -------------------------------------------------------------------


def _sold_or_gone(values: dict[str, Any]) -> bool:
    """A row (of an export) for a unit sold or no longer in stock: history, not stock."""
    status = values.get("status")
    return status in Status.values and status not in RECEIVING_STATUSES | {Status.ON_HOLD}


class Importer:
    """Runs one ImportJob. Holds only per-batch rows and the set of VINs seen so far."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.actor = job.created_by
        self.rooftop: Rooftop = job.rooftop
        self.seen_vins: set[str] = set()
        self.reported: list[dict[str, Any]] = []
        self.failed_rows = 0  # rows not imported because of their errors
        self.ignored_columns: list[str] = []  # read-only columns of an export, not read
        self.not_in_stock = 0  # rows of an export for units already sold or gone

    # The per-row rules come from the actions: prepare_vehicle applies receive_vehicle's
    # checks without writing; bulk_receive_vehicles writes a batch of prepared vehicles.
    def plan(self, rows: list[Row], errors: list[RowError]) -> BatchPlan:
        plan = BatchPlan(errors=list(errors))
        # A row whose text does not parse still has its other columns checked, so its
        # report names every invalid column at once, in the file's column order.
        parsed: list[tuple[Row, dict[str, Any], list[RowError]]] = []
        for row in rows:
            values, row_errors = parse_values(row)
            vin = str(values.get("vin", "")).strip().upper()
            if vin in self.seen_vins:
                message = f"{vin} appears earlier in the file."
                plan.errors.extend(
                    _by_column(row, [*row_errors, RowError(row.number, "vin", message)])
                )
                continue
            if not row_errors:  # a row that cannot be imported does not claim its VIN
                self.seen_vins.add(vin)
            values["vin"] = vin
            parsed.append((row, values, row_errors))
        existing = dict(
            Vehicle.objects.filter(
                vin__in=[v["vin"] for _, v, _ in parsed], status__in=ACTIVE_STATUSES
            ).values_list("vin", "pk")
        )
        elsewhere = set(
            Vehicle.objects.filter(pk__in=existing.values())
            .exclude(rooftop=self.rooftop)
            .values_list("vin", flat=True)
        )
        for row, values, row_errors in parsed:
            vin = values["vin"]
            if vin in elsewhere:
                message = f"{vin} is in stock at another rooftop."
                plan.errors.extend(
                    _by_column(row, [*row_errors, RowError(row.number, "vin", message)])
                )
            elif vin in existing:
                if self.job.update_existing:
                    plan.updates.append((row, existing[vin]))  # write() checks its columns
                elif row_errors:
                    plan.errors.extend(row_errors)
                else:
                    plan.skipped += 1
            elif _sold_or_gone(values):
                plan.skipped += 1
                self.not_in_stock += 1
            else:
                if values.get("status") == Status.ON_HOLD:
                    values["status"] = Status.AVAILABLE  # a hold belongs to a deal, not a file
                try:
                    # The file is deliberate (a floor above list is taken as confirmed);
                    # a rooftop that refuses such floor prices still refuses the row.
                    vehicle = actions.prepare_vehicle(
                        self.actor, rooftop=self.rooftop, check_access=False,
                        check_unique=False, confirm_floor_above_list=True, **values,
                    )  # fmt: skip
                except ValidationError as error:
                    plan.errors.extend(_merged(row, row_errors, _errors_of(row, error)))
                    continue
                if row_errors:
                    plan.errors.extend(row_errors)
                    continue
                plan.new.append((row, vehicle))
        return plan

    def write(self, plan: BatchPlan, *, dry_run: bool = False) -> tuple[int, int, int]:
        """Apply a plan: (created, updated, unchanged). Update errors join plan.errors."""
        created = updated = unchanged = 0
        for row, pk in plan.updates:
            values, row_errors = parse_values(row)
            values.pop("status", None)  # status moves through transitions, never by import
            values["vin"] = str(values["vin"]).strip().upper()
            try:
                with transaction.atomic():
                    before = Vehicle.objects.values_list("version", flat=True).get(pk=pk)
                    vehicle = actions.update_vehicle(self.actor, pk, **values)
                    if dry_run or row_errors:  # checked with the real action, then undone
                        raise _DryRun
            except _DryRun:
                plan.errors.extend(row_errors)
                continue
            except ValidationError as error:
                plan.errors.extend(_merged(row, row_errors, _errors_of(row, error)))
                continue
            if vehicle.version != before:
                updated += 1
            else:
                unchanged += 1
        if plan.new and not dry_run:
            actions.bulk_receive_vehicles(self.actor, self.rooftop, [v for _, v in plan.new])
            created = len(plan.new)
        return created, updated, unchanged

    def record_errors(self, errors: list[RowError]) -> None:
        self.failed_rows += len({e.row for e in errors})
        self.job.error_count += len(errors)
        room = MAX_REPORTED_ERRORS - len(self.reported)
        if room > 0:
            # In file order: a batch finds parse errors before rule errors (stable sort).
            in_order = sorted(errors, key=lambda e: e.row)
            self.reported.extend(e.as_dict() for e in in_order[:room])

    def save_progress(self, rows: CsvRows | None = None, **extra: Any) -> None:
        if rows is not None:
            self.job.processed_bytes = rows.bytes_read
        actions.record_import_progress(self.job, errors=self.reported, **extra)


class _DryRun(Exception):
    """Raised inside a savepoint to validate an update with the real action, then undo it."""


def _batches(rows: CsvRows) -> Iterator[tuple[list[Row], list[RowError]]]:
    batch: list[Row] = []
    errors: list[RowError] = []
    for item in rows:
        if isinstance(item, RowError):
            errors.append(item)
        else:
            batch.append(item)
        if len(batch) + len(errors) >= BATCH_SIZE:
            yield batch, errors
            batch, errors = [], []
    if batch or errors:
        yield batch, errors


def run_import(job: ImportJob) -> ImportJob:
    """Process the job's file to the end; the job row says what happened."""
    importer = Importer(job)
    actions.record_import_progress(job, status=ImportStatus.VALIDATING, started_at=timezone.now())
    try:
        if job.mode == ImportMode.ALL_OR_NOTHING:
            _all_or_nothing(importer)
        else:
            _valid_rows(importer)
    except ImportFileError as error:
        importer.save_progress(
            status=ImportStatus.FAILED, message=str(error), finished_at=timezone.now()
        )
    except Exception:
        logger.exception("import %s failed", job.pk)
        importer.save_progress(
            status=ImportStatus.FAILED,
            message="The import stopped on an unexpected error; nothing after the last saved "
            "batch was written. Quote the import number when reporting it.",
            finished_at=timezone.now(),
        )
    return job


def _open(importer: Importer) -> CsvRows:
    rows = CsvRows(default_storage.open(importer.job.file_name, "rb"))
    importer.ignored_columns = rows.ignored
    return rows


def _valid_rows(importer: Importer) -> None:
    job = importer.job
    rows = _open(importer)
    job.status = ImportStatus.IMPORTING
    for batch, errors in _batches(rows):
        with transaction.atomic():
            plan = importer.plan(batch, errors)
            created, updated, unchanged = importer.write(plan)
        importer.record_errors(plan.errors)
        job.rows_seen += len(batch) + len(errors)
        job.created_count += created
        job.updated_count += updated
        job.skipped_count += plan.skipped + unchanged + len({e.row for e in plan.errors})
        importer.save_progress(rows)
    _finish(importer, ImportStatus.DONE)


def _all_or_nothing(importer: Importer) -> None:
    job = importer.job
    rows = _open(importer)
    for batch, errors in _batches(rows):  # pass 1: validate everything, write nothing
        with transaction.atomic():
            plan = importer.plan(batch, errors)
            importer.write(plan, dry_run=True)
        importer.record_errors(plan.errors)
        job.rows_seen += len(batch) + len(errors)
        importer.save_progress(rows)
    if job.error_count:
        _finish(importer, ImportStatus.REJECTED)
        return
    importer.seen_vins.clear()
    importer.not_in_stock = 0  # pass 2 plans every row again
    job.rows_seen = 0
    importer.save_progress(status=ImportStatus.IMPORTING)
    counts = [0, 0, 0, 0]
    try:
        with transaction.atomic():  # pass 2: every row or none
            for batch, errors in _batches(_open(importer)):
                plan = importer.plan(batch, errors)
                created, updated, unchanged = importer.write(plan)
                if plan.errors:  # data changed between the passes (another user): undo all
                    importer.record_errors(plan.errors)
                    raise _Rejected
                counts = [
                    counts[0] + len(batch),
                    counts[1] + created,
                    counts[2] + updated,
                    counts[3] + plan.skipped + unchanged,
                ]
    except _Rejected:
        _finish(importer, ImportStatus.REJECTED)
        return
    job.rows_seen, job.created_count, job.updated_count, job.skipped_count = counts
    _finish(importer, ImportStatus.DONE)


class _Rejected(Exception):
    pass


def _finish(importer: Importer, status: ImportStatus) -> None:
    job = importer.job
    job.processed_bytes = job.total_bytes
    if status == ImportStatus.REJECTED:
        message = (
            f"{job.error_count} error(s) found; nothing was imported (all or nothing). "
            "Correct the rows listed and upload the file again."
        )
    else:
        # Skipped: every row read but not written (unchanged units and rows with errors).
        message = (
            f"{job.created_count} created, {job.updated_count} updated, "
            f"{job.skipped_count} skipped ({importer.failed_rows} of them with errors), "
            f"{job.error_count} error(s)."
        )
    if importer.not_in_stock:
        message += (
            f" {importer.not_in_stock} row(s) of sold or departed units (status sold, "
            "delivered, wholesale or removed) were skipped: they are not stock to receive."
        )
    if importer.ignored_columns:
        message += (
            f" Ignored read-only column(s) {', '.join(importer.ignored_columns)}: "
            "Forecourt sets them itself."
        )
    job.errors = importer.reported
    actions.finish_import(importer.actor, job, status, message)


@task(queue_name="default")
def process_import(job_id: int) -> str:
    """Background task: run one import to the end; returns its final status."""
    job = ImportJob.objects.select_related("rooftop", "created_by").get(pk=job_id)
    if job.status != ImportStatus.PENDING:
        return str(job.status)  # already taken by another worker or finished
    if not actions.claim_import(job_id):
        return str(job.status)
    return str(run_import(job).status)

"""CSV import of leads: reading the file and checking every row (errors by row and column).

Lead files are small (a show's sign-up sheet, a marketplace export), so the import runs in
the request, up to MAX_ROWS rows. Each row names a person (or business) and a way to reach
them; the customer is matched by email or phone among the rooftop's customers, or created
(by the write, `imports/actions.py`, which also says what the modes do).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from django.core.exceptions import ValidationError

from forecourt.accounts.models import Rooftop, User
from forecourt.customers.contact import normalize_email, normalize_phone
from forecourt.customers.models import Channel
from forecourt.inventory.imports.csv_import import RowError, normalize_header
from forecourt.inventory.models import Vehicle
from forecourt.leads import actions
from forecourt.leads.models import LeadSource

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_CELL = 2000
COLUMNS = (
    "first_name",
    "last_name",
    "business_name",
    "email",
    "phone",
    "source",
    "source_detail",
    "stock_number",
    "vehicle_description",
    "next_follow_up_on",
    "owner_email",
    "notes",
    "consent_call",
    "consent_sms",
    "consent_email",
)
CONSENT_COLUMNS = {
    "consent_call": Channel.CALL,
    "consent_sms": Channel.SMS,
    "consent_email": Channel.EMAIL,
}
_TRUE = frozenset({"true", "yes", "y", "1"})
_FALSE = frozenset({"false", "no", "n", "0", ""})


class ImportMode:
    ALL_OR_NOTHING = "all"
    ONLY_VALID = "valid"
    CHOICES = [(ALL_OR_NOTHING, "All or nothing"), (ONLY_VALID, "Only the valid rows")]


class ImportFileError(Exception):
    """The file as a whole cannot be read."""


@dataclass
class ParsedRow:
    number: int
    customer: dict[str, Any]
    consents: dict[str, bool]
    lead: dict[str, Any]


@dataclass
class ImportResult:
    created: list[int] = field(default_factory=list)
    matched_customers: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False


def read_rows(stream: IO[bytes]) -> list[tuple[int, dict[str, str]]]:
    raw = stream.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ImportFileError(f"The file is larger than {MAX_BYTES // 1024 // 1024} MB.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError("The file is not UTF-8 text; save it as CSV UTF-8.") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [normalize_header(h) for h in next(reader)]
    except StopIteration:
        raise ImportFileError("The file is empty: the first row must name the columns.") from None
    except csv.Error as error:
        raise ImportFileError(f"Row 1: {error}.") from None
    unknown = [c for c in header if c and c not in COLUMNS]
    if unknown:
        raise ImportFileError(
            f"Row 1 (header): unknown column(s) {', '.join(unknown)}. "
            f"Allowed: {', '.join(COLUMNS)}."
        )
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportFileError(f"More than {MAX_ROWS} rows: split the file.")
            rows.append((number, {h: c.strip() for h, c in zip(header, cells, strict=False) if h}))
    except csv.Error as error:
        raise ImportFileError(f"Row {reader.line_num}: {error}.") from None
    return rows


def _flag(value: str) -> bool:
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError("Enter yes or no.")


def parse_row(
    number: int,
    cells: dict[str, str],
    rooftop: Rooftop,
    vehicles: dict[str, Vehicle],
    owners: dict[str, User],
) -> tuple[ParsedRow | None, list[RowError]]:
    errors: list[RowError] = []

    def bad(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    for column, value in cells.items():
        if len(value) > MAX_CELL:
            bad(column, f"Longer than {MAX_CELL} characters.")
    customer: dict[str, Any] = {
        name: cells.get(name, "")[:100] for name in ("first_name", "last_name")
    }
    customer["business_name"] = cells.get("business_name", "")[:200]
    if customer["business_name"] and not (customer["first_name"] or customer["last_name"]):
        customer["kind"] = "business"
    if not any(customer[n] for n in ("first_name", "last_name", "business_name")):
        bad("last_name", "Give a name (or a business name).")
    if cells.get("email"):
        try:
            customer["email"] = normalize_email(cells["email"])
        except ValidationError as error:
            bad("email", " ".join(error.messages))
    if cells.get("phone"):
        try:
            customer["mobile_phone"] = normalize_phone(cells["phone"], rooftop.country)
        except ValidationError as error:
            bad("phone", " ".join(error.messages))
    if not cells.get("email") and not cells.get("phone"):
        bad("email", "Give an email or a phone number.")
    consents: dict[str, bool] = {}
    for column, channel in CONSENT_COLUMNS.items():
        try:
            consents[channel] = _flag(cells.get(column, ""))
        except ValueError as error:
            bad(column, str(error))
    lead: dict[str, Any] = {
        "source": cells.get("source") or LeadSource.OTHER,
        "source_detail": cells.get("source_detail", "")[:200],
        "vehicle_description": cells.get("vehicle_description", "")[:200],
        "notes": cells.get("notes", ""),
    }
    if lead["source"] not in LeadSource.values:
        bad("source", f"One of {', '.join(LeadSource.values)}.")
    if cells.get("stock_number"):
        lead["vehicle"] = vehicles.get(cells["stock_number"])
        if lead["vehicle"] is None:
            bad("stock_number", "No unit with this stock number at the rooftop.")
    if cells.get("next_follow_up_on"):
        try:
            lead["next_follow_up_on"] = date.fromisoformat(cells["next_follow_up_on"])
        except ValueError:
            bad("next_follow_up_on", "A date as YYYY-MM-DD.")
    if cells.get("owner_email"):
        lead["owner"] = owners.get(cells["owner_email"].lower())
        if lead["owner"] is None:
            bad("owner_email", "No active user of this rooftop who works leads has this email.")
    if errors:
        return None, errors
    return ParsedRow(number, customer, consents, lead), []


def lookups(rooftop: Rooftop, rows: list[tuple[int, dict[str, str]]]) -> tuple[Any, Any]:
    stock_numbers = {c["stock_number"] for _, c in rows if c.get("stock_number")}
    vehicles = {
        v.stock_number: v
        for v in Vehicle.objects.filter(rooftop=rooftop, stock_number__in=stock_numbers)
    }
    emails = {c["owner_email"].lower() for _, c in rows if c.get("owner_email")}
    workers = actions.lead_workers([rooftop.pk]).filter(email__in=emails)
    owners = {u.email.lower(): u for u in workers}
    return vehicles, owners


def row_errors(number: int, error: ValidationError) -> list[RowError]:
    if hasattr(error, "error_dict"):
        return [
            RowError(number, column if column != "__all__" else "", message)
            for column, messages in error.message_dict.items()
            for message in messages
        ]
    return [RowError(number, "", message) for message in error.messages]

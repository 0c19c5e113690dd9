"""CSV and XLSX export of a filtered vehicle list, streamed row by row.

The filters are the list screen's own (search.VehicleFilters / search.filtered): an export
holds exactly what the user was looking at, in the same order, every page of it. Rows are
read with a server-side iterator and written as they arrive (CSV through a
StreamingHttpResponse, XLSX through openpyxl's write-only mode), so memory stays bounded.
Each export is permission-checked (inventory.export_vehicles), audited, and reported to
monitoring as a bulk read.
"""

from __future__ import annotations

import csv
import logging
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook

from forecourt.core.permissions import require_permission
from forecourt.inventory.models import Vehicle
from forecourt.inventory.search import (
    COST_FIELDS,
    DETAIL_COLUMNS,
    SORT_FIELDS,
    VehicleFilters,
    as_text_term,
    filtered,
    sees_costs,
)

logger = logging.getLogger("forecourt.inventory.export")

ExportFormat = Literal["csv", "xlsx"]
EXPORT_PERMISSION = "inventory.export_vehicles"
# The floor price too: the lowest a unit may go for is the cost side of a negotiation.
COST_COLUMNS = frozenset({*COST_FIELDS, "floor_price"})
# Internal bookkeeping a spreadsheet user has no use for.
OMITTED_COLUMNS = frozenset({"version"})
CHUNK = 2000


def export_columns(user: Any) -> list[str]:
    """Every detail column the user may see: costs only with the cost permission."""
    with_costs = sees_costs(user)
    return [
        c
        for c in DETAIL_COLUMNS
        if c not in OMITTED_COLUMNS and (with_costs or c not in COST_COLUMNS)
    ]


def export_queryset(user: Any, filters: VehicleFilters) -> QuerySet[Vehicle]:
    """The user's visible vehicles under the list's filters and sort (a stock/VIN term that
    matches nothing read as a make or model, as the list reads it)."""
    name = SORT_FIELDS[filters.sort.lstrip("-")]
    order = [f"-{name}", "-id"] if filters.sort.startswith("-") else [name, "id"]
    visible = Vehicle.objects.for_user(user, "view")
    matching = filtered(visible, filters)
    text = as_text_term(filters)
    if text is not None and not matching.exists():
        matching = filtered(visible, filters, text)
    return matching.order_by(*order)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return value


def _csv_text(value: Any) -> str:
    value = _cell(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    # A cell starting with = + - @ runs as a formula in spreadsheets: neutralise it.
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not isinstance(value, int | Decimal):
        return "'" + text
    return text


def rows(queryset: QuerySet[Vehicle], columns: list[str]) -> Iterator[tuple[Any, ...]]:
    yield from queryset.values_list(*columns).iterator(chunk_size=CHUNK)


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(columns: list[str], data: Iterable[tuple[Any, ...]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(columns)  # BOM: spreadsheets then read UTF-8 correctly
    for row in data:
        yield writer.writerow([_csv_text(v) for v in row])


def xlsx_file(columns: list[str], data: Iterable[tuple[Any, ...]]) -> Any:
    """A temporary file holding the workbook (write-only mode keeps rows out of memory)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Vehicles")
    sheet.append(columns)
    for row in data:
        sheet.append([_xlsx_value(v) for v in row])
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - handed to FileResponse, which closes it
    workbook.save(spool)
    spool.seek(0)
    return spool


def _xlsx_value(value: Any) -> Any:
    value = _cell(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value  # never a formula
    return value


class CountingRows:
    """Wraps the row iterator to count rows as they stream (for audit and monitoring)."""

    def __init__(self, data: Iterable[tuple[Any, ...]]) -> None:
        self._data = data
        self.count = 0

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        for row in self._data:
            self.count += 1
            yield row


def check_export_allowed(user: Any) -> None:
    require_permission(user, EXPORT_PERMISSION)
    if not user.has_perm("inventory.view_vehicle"):
        raise PermissionDenied("Your role cannot see vehicles.")

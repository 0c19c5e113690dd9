"""The audit entry and monitoring note of a vehicle export (the file is
inventory/imports/export.py)."""

from __future__ import annotations

from typing import Any

from forecourt.core import audit
from forecourt.core.observability import events
from forecourt.inventory.imports.export import ExportFormat
from forecourt.inventory.search import VehicleFilters


def record_export(user: Any, fmt: ExportFormat, filters: VehicleFilters, count: int) -> None:
    """Audit the export and tell monitoring about the bulk read."""
    # The object of the entry is the exporting user: an export changes no vehicle.
    audit.record(
        user,
        "inventory.export_vehicles",
        user,
        {"format": [None, fmt], "filters": [None, filters.as_query()], "rows": [None, count]},
        rooftop_id=filters.rooftop,
    )
    note_bulk_read(user, "inventory.vehicles", count)


def note_bulk_read(user: Any, kind: str, count: int) -> None:
    """Tell monitoring (it alerts on unusually large reads by one user)."""
    events.note_bulk_read(user, kind, count)

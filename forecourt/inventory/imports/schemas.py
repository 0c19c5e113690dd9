"""API shapes for CSV imports (imports/api.py)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from forecourt.inventory.models import ImportMode, ImportStatus


class ImportRowError(Schema):
    row: int = Field(description="Row number as a spreadsheet shows it (the header is row 1).")
    column: str = Field(description="Column name; empty when the whole row is wrong.")
    message: str


class ImportJobOut(Schema):
    id: int
    rooftop_id: int
    original_name: str
    mode: ImportMode
    update_existing: bool
    status: ImportStatus
    percent: int = Field(description="Progress 0-100 (by bytes of the file read).")
    rows_seen: int
    created_count: int
    updated_count: int
    skipped_count: int
    error_count: int
    errors: list[ImportRowError] = Field(description="The first 1,000 errors.")
    message: str
    created_at: datetime
    finished_at: datetime | None

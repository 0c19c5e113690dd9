"""API shapes for photos, warranty terms and CSV imports (api_exchange.py)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from forecourt.core.schemas import StrictInput
from forecourt.inventory.models_documents import ImportMode, ImportStatus, WarrantyKind


class PhotoOut(Schema):
    id: int
    position: int
    is_primary: bool
    content_type: str = Field(examples=["image/jpeg"])
    width: int
    height: int
    size_bytes: int
    url: str = Field(description="Permission-checked full-size image.")
    thumbnail_url: str = Field(description="Permission-checked JPEG thumbnail.")
    created_at: datetime


class PhotoOrderIn(StrictInput):
    photo_ids: list[int] = Field(
        description="Every photo id of the vehicle, once, in the new order.", examples=[[3, 1, 2]]
    )


class WarrantyIn(StrictInput):
    kind: WarrantyKind = Field(examples=["limited"])
    labor_percent: int | None = Field(default=None, ge=0, le=100, examples=[50])
    parts_percent: int | None = Field(default=None, ge=0, le=100, examples=[100])
    systems_covered: str = Field(default="", max_length=2000, examples=["Engine, transmission"])
    duration: str = Field(default="", max_length=200, examples=["30 days or 1,000 miles"])
    manufacturer_warranty_applies: bool = False
    manufacturer_used_warranty_applies: bool = False
    other_used_warranty_applies: bool = False
    service_contract_available: bool = False


class WarrantyOut(Schema):
    kind: WarrantyKind
    labor_percent: int | None
    parts_percent: int | None
    systems_covered: str
    duration: str
    manufacturer_warranty_applies: bool
    manufacturer_used_warranty_applies: bool
    other_used_warranty_applies: bool
    service_contract_available: bool


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

"""API shapes for photos and warranty terms (media/api.py)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from forecourt.core.schemas import StrictInput
from forecourt.inventory.models import WarrantyKind


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

"""Appraisal and condition report API shapes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema
from pydantic import StrictInt

from forecourt.core.schemas import StrictInput
from forecourt.inventory.schemas import IsoDate, MoneyIn, MoneyOut
from forecourt.purchasing.condition.models import AppraisalStatus, ConditionGrade, ReportOccasion


class ComparableIn(StrictInput):
    source: str = Field(max_length=80)
    price: MoneyIn
    odometer: StrictInt = Field(default=0, ge=0)
    note: str = Field(default="", max_length=200)


class AppraisalCreate(StrictInput):
    rooftop_id: StrictInt
    vin: str = Field(default="", max_length=17)
    plate: str = Field(default="", max_length=16)
    year: StrictInt | None = None
    make: str = Field(default="", max_length=40)
    model: str = Field(default="", max_length=60)
    odometer: StrictInt = Field(default=0, ge=0)
    grade: ConditionGrade
    recon_estimate: dict[str, MoneyIn] = Field(default={}, examples=[{"tyres": "360.00"}])
    comparables: list[ComparableIn] = []
    acv: MoneyIn
    offer: MoneyIn
    expires_on: IsoDate
    customer_id: StrictInt | None = None
    notes: str = Field(default="", max_length=5000)


class AppraisalOut(Schema):
    id: int
    rooftop_id: int
    vin: str
    plate: str
    year: int | None
    make: str
    model: str
    odometer: int
    grade: ConditionGrade
    recon_estimate: dict[str, str]
    comparables: list[dict[str, Any]]
    acv: MoneyOut
    offer: MoneyOut
    expires_on: date
    status: AppraisalStatus
    customer_id: int | None
    purchase_line_id: int | None
    version: int


class AppraisalDecision(StrictInput):
    outcome: AppraisalStatus = Field(
        description="purchased (with seller_id), traded_in or declined"
    )
    seller_id: StrictInt | None = None
    price: MoneyIn | None = None


class MarkerIn(StrictInput):
    id: str = Field(default="", max_length=16)
    view: str = Field(examples=["left"], description="left, top or right")
    x: float = Field(description="Diagram coordinates: 0-600 across")
    y: float = Field(description="0-160 left, 160-320 top, 320-480 right")
    type: str = Field(examples=["dent"])
    severity: str = Field(examples=["minor"])
    note: str = Field(default="", max_length=300)


class ReportCreate(StrictInput):
    vehicle_id: StrictInt
    occasion: ReportOccasion
    signed_name: str = Field(max_length=150)
    markers: list[MarkerIn] = []
    tyres: dict[str, Decimal] = Field(default={}, examples=[{"front_left": "6.5"}])
    checks: dict[str, str] = Field(default={}, examples=[{"lights": "ok"}])
    notes: str = Field(default="", max_length=5000)


class ReportOut(Schema):
    id: int
    vehicle_id: int
    occasion: ReportOccasion
    markers: list[dict[str, Any]]
    tyres: dict[str, str]
    checks: dict[str, str]
    notes: str
    signed_name: str
    signed_at: datetime
    photos: list[str] = Field(description="Marker ids that have a photo.")


class ComparisonOut(Schema):
    earlier_id: int
    later_id: int
    new: list[dict[str, Any]]
    gone: list[dict[str, Any]]
    unchanged: list[dict[str, Any]]
    tyres: list[dict[str, str | None]]
    checks: list[dict[str, str | None]]

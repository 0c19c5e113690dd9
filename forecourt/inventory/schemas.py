"""Inventory API shapes. Money is a decimal string ("19995.00") in and out: never a float."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import BeforeValidator, StrictBool, StrictInt

from forecourt.core.schemas import StrictInput
from forecourt.inventory.models import (
    AcquisitionSource,
    AgingBucket,
    Condition,
    CostKind,
    Drivetrain,
    FuelType,
    OdometerBrand,
    Status,
    TitleBrand,
    TitleStatus,
    Transmission,
)


def _iso_text(value: object) -> object:
    """Dates and times travel as ISO 8601 text: refuse numbers (pydantic would take epochs)."""
    if isinstance(value, int | float):
        raise ValueError("must be an ISO 8601 string, e.g. 2026-05-01")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_text)]
IsoDateTime = Annotated[datetime, BeforeValidator(_iso_text)]
MoneyOut = Annotated[str, Field(pattern=r"^\d+\.\d{2}$", examples=["19995.00"])]
MoneyIn = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2, examples=["19995.00"])]
VIN_EXAMPLE = "1HGCM82633A004352"


class VehicleListItem(Schema):
    id: int = Field(examples=[1042])
    rooftop_id: int
    stock_number: str = Field(examples=["260042"])
    vin: str = Field(examples=[VIN_EXAMPLE])
    status: Status
    condition: Condition
    year: int = Field(examples=[2021])
    make: str = Field(examples=["Honda"])
    model: str = Field(examples=["Accord"])
    trim: str = Field(examples=["EX-L"])
    exterior_color: str = Field(examples=["Platinum White"])
    odometer: int = Field(examples=[38412])
    list_price: MoneyOut
    internet_price: MoneyOut | None
    acquired_on: date
    is_published: bool
    version: int = Field(description="Send back in If-Match (or `version`) when updating.")


class VehiclePage(Schema):
    items: list[VehicleListItem]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page.",
        examples=["WyItYWNxdWlyZWRfb24iLCIyMDI2LTA1LTAxIiwxMDQyXQ"],
    )
    has_next: bool


HIDDEN_COST = "null without the cost permission (`inventory.view_vehicle_cost`)"


class VehicleOut(VehicleListItem):
    body_style: str
    drivetrain: Drivetrain | None
    engine: str
    transmission: Transmission | None
    fuel_type: FuelType | None
    interior_color: str
    odometer_brand: OdometerBrand
    title_status: TitleStatus
    title_brand: TitleBrand
    acquisition_source: AcquisitionSource
    acquisition_cost: MoneyOut | None = Field(description=f"Purchase cost; {HIDDEN_COST}.")
    floor_price: MoneyOut | None
    lot_location: str
    key_tag: str
    notes: str
    sold_at: datetime | None
    created_at: datetime
    updated_at: datetime
    added_costs: MoneyOut | None = Field(description=f"Sum of the added costs; {HIDDEN_COST}.")
    true_cost: MoneyOut | None = Field(
        description=f"Acquisition cost plus added costs; {HIDDEN_COST}."
    )
    days_in_stock: int
    aging_bucket: AgingBucket
    hold_deal_reference: str | None = Field(description="The deal holding the vehicle, if any.")
    hold_expires_at: datetime | None
    vin_warnings: list[str] = Field(default=[], description="Non-blocking remarks on the VIN.")


class VehicleCreate(StrictInput):
    rooftop_id: StrictInt = Field(examples=[1])
    vin: str = Field(min_length=17, max_length=17, examples=[VIN_EXAMPLE])
    stock_number: str = Field(
        default="", max_length=32, description="Empty: generated from the rooftop's pattern."
    )
    status: Status = Field(
        default=Status.INCOMING, description="incoming, in_reconditioning or available."
    )
    condition: Condition = Condition.USED
    year: StrictInt = Field(ge=1900, le=2100, examples=[2021])
    make: str = Field(min_length=1, max_length=40, examples=["Honda"])
    model: str = Field(min_length=1, max_length=60, examples=["Accord"])
    trim: str = Field(default="", max_length=60, examples=["EX-L"])
    body_style: str = Field(default="", max_length=40, examples=["Sedan"])
    drivetrain: Drivetrain | None = None
    engine: str = Field(default="", max_length=60, examples=["1.5L 4-cyl turbo"])
    transmission: Transmission | None = None
    fuel_type: FuelType | None = None
    exterior_color: str = Field(default="", max_length=40)
    interior_color: str = Field(default="", max_length=40)
    odometer: StrictInt = Field(default=0, ge=0, examples=[38412])
    odometer_brand: OdometerBrand = OdometerBrand.ACTUAL
    title_status: TitleStatus = TitleStatus.CLEAR
    title_brand: TitleBrand = TitleBrand.NONE
    acquisition_source: AcquisitionSource = Field(examples=["trade_in"])
    acquired_on: IsoDate | None = None
    acquisition_cost: MoneyIn = Decimal("0")
    list_price: MoneyIn = Decimal("0")
    internet_price: MoneyIn | None = None
    floor_price: MoneyIn | None = None
    lot_location: str = Field(default="", max_length=40)
    key_tag: str = Field(default="", max_length=20)
    notes: str = ""
    is_published: StrictBool = False
    confirm_floor_above_list: StrictBool = Field(
        default=False,
        description=(
            "Save a floor price above the list price (the rooftop's price policy asks for "
            "this confirmation, or refuses such a floor price whatever this says)."
        ),
    )


class VehicleUpdate(StrictInput):
    """Only the fields sent are changed. Prices need the price permission."""

    version: StrictInt | None = Field(
        default=None, description="The version you read; or send it as the If-Match header."
    )
    vin: str | None = Field(default=None, min_length=17, max_length=17)
    stock_number: str | None = Field(default=None, min_length=1, max_length=32)
    condition: Condition | None = None
    year: StrictInt | None = Field(default=None, ge=1900, le=2100)
    make: str | None = Field(default=None, min_length=1, max_length=40)
    model: str | None = Field(default=None, min_length=1, max_length=60)
    trim: str | None = Field(default=None, max_length=60)
    body_style: str | None = Field(default=None, max_length=40)
    drivetrain: Drivetrain | None = None
    engine: str | None = Field(default=None, max_length=60)
    transmission: Transmission | None = None
    fuel_type: FuelType | None = None
    exterior_color: str | None = Field(default=None, max_length=40)
    interior_color: str | None = Field(default=None, max_length=40)
    odometer: StrictInt | None = Field(default=None, ge=0, examples=[40100])
    odometer_brand: OdometerBrand | None = None
    title_status: TitleStatus | None = None
    title_brand: TitleBrand | None = None
    acquisition_source: AcquisitionSource | None = None
    acquired_on: IsoDate | None = None
    acquisition_cost: MoneyIn | None = None
    list_price: MoneyIn | None = None
    internet_price: MoneyIn | None = None
    floor_price: MoneyIn | None = None
    lot_location: str | None = Field(default=None, max_length=40)
    key_tag: str | None = Field(default=None, max_length=20)
    notes: str | None = None
    is_published: StrictBool | None = None


class PriceChangeIn(StrictInput):
    version: StrictInt | None = None
    list_price: MoneyIn | None = None
    internet_price: MoneyIn | None = None
    floor_price: MoneyIn | None = None
    reason: str = Field(default="", max_length=200, examples=["45 days in stock"])
    confirm_floor_above_list: StrictBool = Field(
        default=False,
        description=(
            "Save a floor price above the list price (the rooftop's price policy asks for "
            "this confirmation, or refuses such a floor price whatever this says)."
        ),
    )


class StatusChangeIn(StrictInput):
    version: StrictInt | None = None
    status: Status = Field(examples=["sold"])
    reason: str = Field(default="", max_length=200, examples=["Deal D-1042 signed"])


class HoldIn(StrictInput):
    deal_reference: str = Field(min_length=1, max_length=64, examples=["D-1042"])
    customer_name: str = Field(default="", max_length=120, examples=["Ann Buyer"])
    expires_at: IsoDateTime | None = Field(default=None, description="Default: in 48 hours.")


class HoldOut(Schema):
    id: int
    vehicle_id: int
    deal_reference: str
    customer_name: str
    expires_at: datetime
    created_at: datetime
    released_at: datetime | None
    release_reason: str


class CostIn(StrictInput):
    kind: CostKind = Field(examples=["reconditioning"])
    amount: MoneyIn
    vendor: str = Field(default="", max_length=120, examples=["Shine Detailing"])
    incurred_on: IsoDate | None = None
    description: str = Field(default="", max_length=200)


class CostOut(Schema):
    id: int
    kind: CostKind
    amount: MoneyOut
    vendor: str
    incurred_on: date
    description: str
    created_at: datetime


class PriceChangeOut(Schema):
    field: str
    old_price: MoneyOut | None
    new_price: MoneyOut | None
    reason: str
    changed_at: datetime
    changed_by: str | None


class StatusChangeOut(Schema):
    from_status: str
    to_status: Status
    reason: str
    changed_at: datetime
    changed_by: str | None


class VehicleHistory(Schema):
    prices: list[PriceChangeOut]
    statuses: list[StatusChangeOut]


class DecodedVinOut(Schema):
    vin: str
    source: str = Field(examples=["offline"])
    year: int | None
    make: str
    model: str
    trim: str
    body_style: str
    engine: str
    drivetrain: str
    fuel_type: str
    transmission: str
    manufacturer: str
    country: str
    errors: list[str]
    warnings: list[str]
    active_vehicle_id: int | None = Field(
        description="An active vehicle the caller can see with this VIN (a duplicate)."
    )

"""Deals API shapes. Money travels as strings ("25000.00"); gross and costs only for roles
holding inventory.view_vehicle_cost (null otherwise)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import StrictBool, StrictInt

from forecourt.core.schemas import StrictInput
from forecourt.deals.models import DealStatus, LineKindChoice, PaymentMethod, SaleType

Money = Decimal


class SalespersonIn(StrictInput):
    user_id: StrictInt
    share: Money = Field(default=Decimal("100"), examples=["50.00"])
    plan_id: StrictInt | None = None


class DealCreate(StrictInput):
    vehicle_id: StrictInt = Field(examples=[5012])
    buyer_id: StrictInt = Field(examples=[1042])
    co_buyer_id: StrictInt | None = None
    lead_id: StrictInt | None = None
    sale_type: SaleType = Field(default=SaleType.CASH, examples=["cash"])
    price: Money | None = Field(default=None, description="Default: the vehicle's price.")
    discount: Money = Field(default=Decimal("0"), examples=["500.00"])
    sale_date: date | None = None
    vat_treatment: Literal["", "margin", "standard"] = Field(
        default="", description="UK only: blank follows the vehicle."
    )
    salespeople: list[SalespersonIn] | None = Field(
        default=None, description="Default: the caller, 100 %."
    )


class DealUpdate(StrictInput):
    """Only the fields sent change; the deal must be a quote."""

    version: StrictInt | None = Field(
        default=None, description="The version you read; or send it as the If-Match header."
    )
    price: Money | None = None
    discount: Money | None = None
    sale_type: SaleType | None = None
    sale_date: date | None = None
    vat_treatment: Literal["", "margin", "standard"] | None = None
    co_buyer_id: StrictInt | None = None
    salespeople: list[SalespersonIn] | None = None


class LineIn(StrictInput):
    version: StrictInt | None = None
    fee_id: StrictInt | None = Field(default=None, description="A row of the fee table.")
    kind: LineKindChoice | None = Field(default=None, examples=["accessory"])
    description: str = Field(default="", max_length=120, examples=["All-weather mats"])
    amount: Money | None = Field(default=None, examples=["189.00"])
    cost: Money = Field(default=Decimal("0"), examples=["60.00"])
    taxable: StrictBool = True


class TradeInIn(StrictInput):
    version: StrictInt | None = None
    vin: str = Field(max_length=17, examples=["1FADP3F20GL123456"])
    plate: str = Field(default="", max_length=12)
    year: StrictInt = Field(examples=[2016])
    make: str = Field(max_length=40, examples=["Ford"])
    model: str = Field(max_length=60, examples=["Focus"])
    odometer: StrictInt = Field(default=0, ge=0)
    acv: Money = Field(examples=["6000.00"])
    allowance: Money = Field(examples=["6500.00"])
    payoff: Money = Field(default=Decimal("0"))
    lienholder: str = Field(default="", max_length=120)
    payoff_good_through: date | None = None
    roll_negative_equity: StrictBool = False


class PaymentIn(StrictInput):
    method: PaymentMethod = Field(examples=["card"])
    amount: Money = Field(examples=["1000.00"])
    reference: str = Field(default="", max_length=80)


class TransitionIn(StrictInput):
    version: StrictInt | None = None
    action: Literal[
        "submit", "approve", "return_to_quote", "contract", "deliver", "cancel", "unwind"
    ] = Field(examples=["approve"])
    reason: str = Field(default="", max_length=300, description="cancel, unwind, return.")
    odometer: StrictInt | None = Field(default=None, description="deliver: the disclosure.")
    odometer_brand: Literal["actual", "exceeds_limits", "not_actual"] = "actual"


class ReasonIn(StrictInput):
    reason: str = Field(max_length=200)


class DealOut(Schema):
    id: int
    number: str = Field(examples=["D-118"])
    rooftop_id: int
    status: DealStatus
    sale_type: SaleType
    vehicle: dict[str, Any]
    buyer_id: int
    buyer_name: str
    co_buyer_id: int | None
    lead_id: int | None
    price: str
    discount: str
    vat_treatment: str
    sale_date: date
    delivery_date: date | None
    salespeople: list[dict[str, Any]]
    lines: list[dict[str, Any]]
    trades: list[dict[str, Any]]
    payments: list[dict[str, Any]]
    tasks: list[dict[str, Any]]
    invoices: list[dict[str, Any]]
    history: list[dict[str, Any]]
    numbers: dict[str, Any] = Field(description="Totals, taxes/VAT; gross for cost roles.")
    created_at: datetime
    version: int


class DealSummary(Schema):
    id: int
    number: str
    rooftop_id: int
    status: DealStatus
    sale_type: SaleType
    vehicle_label: str
    buyer_name: str
    salespeople: list[str]
    price: str
    sale_date: date
    created_at: datetime


class DealPageOut(Schema):
    items: list[DealSummary]
    next_cursor: str | None
    has_next: bool

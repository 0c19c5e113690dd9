"""Floor-plan API shapes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Field, Schema
from pydantic import StrictInt

from forecourt.core.schemas import StrictInput
from forecourt.inventory.schemas import IsoDate, MoneyIn, MoneyOut
from forecourt.purchasing.stocking.models import DayCountChoice, FlooringStatus

Percent = Decimal


class CurtailmentIn(StrictInput):
    age_days: StrictInt = Field(gt=0, examples=[90])
    percent: Decimal = Field(gt=0, le=100, examples=["10"])


class FacilityCreate(StrictInput):
    rooftop_id: StrictInt
    lender: str = Field(max_length=120)
    name: str = Field(max_length=120)
    department: str = Field(default="", max_length=60)
    credit_limit: MoneyIn
    advance_percent: Decimal = Field(default=Decimal("100"), ge=0, le=100)
    annual_percent: Decimal = Field(ge=0, le=100, examples=["7.25"])
    rate_from: IsoDate | None = None
    day_count: DayCountChoice = DayCountChoice.ACTUAL_365
    curtailments: list[CurtailmentIn] = []
    payoff_due_days: StrictInt = Field(default=5, ge=0, le=365)
    flooring_fee: MoneyIn = Field(default=Decimal("0"))
    curtailment_fee: MoneyIn = Field(default=Decimal("0"))
    payoff_fee: MoneyIn = Field(default=Decimal("0"))


class CurtailmentDueOut(Schema):
    flooring_id: int
    vehicle_id: int
    due_on: date
    amount: MoneyOut


class FacilityOut(Schema):
    id: int
    rooftop_id: int
    lender: str
    name: str
    department: str
    credit_limit: MoneyOut
    advance_percent: str
    day_count: DayCountChoice
    curtailments: list[dict[str, str | int]]
    payoff_due_days: int
    rates: list[dict[str, str]]
    used: MoneyOut
    available: MoneyOut
    utilisation_percent: str
    units: int
    interest_this_month: MoneyOut
    curtailments_due_30_days: list[CurtailmentDueOut]
    sold_not_paid_off: list[int] = Field(description="Flooring ids sold out of trust.")


class RateIn(StrictInput):
    effective_from: IsoDate
    annual_percent: Decimal = Field(ge=0, le=100)


class FloorIn(StrictInput):
    vehicle_id: StrictInt
    floored_on: IsoDate | None = None
    advance: MoneyIn | None = Field(default=None, description="Default: cost x advance rate.")


class FlooringOut(Schema):
    id: int
    facility_id: int
    vehicle_id: int
    floored_on: date
    advance: MoneyOut
    principal: MoneyOut
    status: FlooringStatus
    sold_on: date | None
    paid_off_on: date | None
    interest_accrued: MoneyOut
    accrued_through: date | None
    version: int


class FlooringPaymentIn(StrictInput):
    amount: MoneyIn | None = Field(default=None, description="A payoff may leave it out.")
    paid_on: IsoDate | None = None
    reference: str = Field(default="", max_length=64)
    version: StrictInt | None = None


class StatementIn(StrictInput):
    statement_on: IsoDate
    filename: str = Field(default="", max_length=200)
    csv: str = Field(description="The lender's CSV: columns vin, balance, reference (optional).")


class ReconciliationOut(Schema):
    statement_id: int
    facility_id: int
    statement_on: date
    matched: int
    theirs_not_ours: list[dict[str, str]]
    ours_not_theirs: list[dict[str, str | int]]
    differences: list[dict[str, str | int]]

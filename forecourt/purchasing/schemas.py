"""Buying API shapes (sellers, purchases, the incoming watch-list). Money travels as strings
with two decimals; dates as ISO dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Field, Schema
from pydantic import StrictBool, StrictInt

from forecourt.core.schemas import StrictInput
from forecourt.inventory.schemas import IsoDate, MoneyIn, MoneyOut
from forecourt.purchasing.models import PaymentMethod, PaymentStatus, SellerKind, VatTreatment


class SellerOut(Schema):
    id: int
    rooftop_id: int
    kind: SellerKind
    name: str
    customer_id: int | None
    contact_name: str
    email: str
    phone: str
    address: str
    vat_number: str
    is_active: bool
    version: int


class SellerCreate(StrictInput):
    rooftop_id: StrictInt
    kind: SellerKind
    name: str = Field(default="", max_length=200, description="Blank for a private seller.")
    customer_id: StrictInt | None = Field(default=None, description="A private seller's customer.")
    contact_name: str = Field(default="", max_length=120)
    email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=32)
    address: str = Field(default="", max_length=1000)
    vat_number: str = Field(default="", max_length=32)


class LineIn(StrictInput):
    vin: str = Field(max_length=17, examples=["1HGCM82633A004352"])
    year: StrictInt | None = None
    make: str = Field(default="", max_length=40)
    model: str = Field(default="", max_length=60)
    trim: str = Field(default="", max_length=60)
    odometer: StrictInt | None = Field(default=None, ge=0)
    exterior_color: str = Field(default="", max_length=40)
    price: MoneyIn
    vat_treatment: VatTreatment | None = Field(default=None, description="UK rooftops only.")
    vat_amount: MoneyIn | None = Field(
        default=None, description="Default: 1/6 of a VAT-qualifying price."
    )
    buyer_fee: MoneyIn = Field(default=Decimal("0"))
    transport_fee: MoneyIn = Field(default=Decimal("0"))
    title_received: StrictBool = False
    lien_holder: str = Field(default="", max_length=120)
    lien_payoff: MoneyIn = Field(default=Decimal("0"))
    expected_on: IsoDate | None = None
    transport: str = Field(default="", max_length=120)
    coming_from: str = Field(default="", max_length=200)


class PurchaseCreate(StrictInput):
    seller_id: StrictInt
    purchased_on: IsoDate | None = None
    seller_reference: str = Field(default="", max_length=64)
    payment_status: PaymentStatus = PaymentStatus.UNPAID
    payment_method: PaymentMethod | None = None
    amount_paid: MoneyIn = Field(default=Decimal("0"))
    bill_of_sale_received: StrictBool = False
    notes: str = Field(default="", max_length=5000)
    lines: list[LineIn] = Field(description="At least one vehicle.")


class LineOut(Schema):
    id: int
    vehicle_id: int
    vin: str
    stock_number: str
    price: MoneyOut
    vat_treatment: str
    vat_amount: MoneyOut
    buyer_fee: MoneyOut
    transport_fee: MoneyOut
    title_received: bool
    lien_holder: str
    lien_payoff: MoneyOut
    expected_on: date | None
    transport: str
    coming_from: str
    arrived_on: date | None
    has_keys: bool
    has_second_key: bool
    has_registration_document: bool
    has_service_history: bool
    has_inspection: bool
    missing: list[str]


class PurchaseOut(Schema):
    id: int
    rooftop_id: int
    seller_id: int
    seller_name: str
    seller_reference: str
    our_number: str
    purchased_on: date
    payment_status: PaymentStatus
    payment_method: str
    amount_paid: MoneyOut
    total: MoneyOut
    bill_of_sale_received: bool
    lines: list[LineOut]
    version: int


class PaymentIn(StrictInput):
    amount: MoneyIn
    method: PaymentMethod
    version: StrictInt | None = None


class ArrivalIn(StrictInput):
    expected_on: IsoDate | None = None
    transport: str | None = Field(default=None, max_length=120)
    coming_from: str | None = Field(default=None, max_length=200)
    arrived_on: IsoDate | None = None
    title_received: StrictBool | None = None
    has_keys: StrictBool | None = None
    has_second_key: StrictBool | None = None
    has_registration_document: StrictBool | None = None
    has_service_history: StrictBool | None = None
    has_inspection: StrictBool | None = None

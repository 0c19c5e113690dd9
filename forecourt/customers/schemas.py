"""Customers API shapes. List items carry no sensitive field at all; the detail carries them
masked (the full value only through POST /customers/{id}/reveal, audited)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator, StrictBool, StrictInt

from forecourt.core.schemas import StrictInput
from forecourt.customers.models import Channel, ConsentSource, CustomerKind, Language, OfacStatus

SensitiveName = Literal[
    "date_of_birth", "drivers_license_number", "drivers_license_state", "ssn", "employer", "income"
]


def _iso_text(value: object) -> object:
    """Dates travel as ISO 8601 text: refuse numbers (pydantic would take epochs)."""
    if isinstance(value, int | float):
        raise ValueError("must be an ISO 8601 string, e.g. 1987-04-02")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_text)]


class CustomerListItem(Schema):
    id: int = Field(examples=[5012])
    rooftop_id: int
    kind: CustomerKind
    display_name: str = Field(examples=["Ana Diaz"])
    first_name: str
    last_name: str
    business_name: str
    email: str = Field(examples=["ana.diaz@example.com"])
    mobile_phone: str = Field(description="E.164.", examples=["+14155552671"])
    home_phone: str
    work_phone: str
    city: str
    preferred_language: Language
    consent_call: bool
    consent_sms: bool
    consent_email: bool
    tags: list[str]
    assigned_salesperson_id: int | None
    last_activity_at: datetime
    version: int = Field(description="Send back in If-Match (or `version`) when updating.")


class CustomerPage(Schema):
    items: list[CustomerListItem]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page."
    )
    has_next: bool


class MaskedIdentity(Schema):
    """Sensitive identifiers, masked ('***-**-6789'); empty when not on file."""

    date_of_birth: str = Field(examples=["**/**/1987"])
    drivers_license_number: str = Field(examples=["*****1234"])
    drivers_license_state: str = Field(examples=["*****"])
    ssn: str = Field(examples=["***-**-6789"])
    employer: str = Field(examples=["*****"])
    income: str = Field(examples=["*****"])


class ConsentOut(Schema):
    channel: Channel
    granted: bool
    source: ConsentSource
    recorded_at: datetime
    recorded_by: str | None
    note: str


class CustomerOut(CustomerListItem):
    middle_name: str
    alt_email: str
    address_line1: str
    address_line2: str
    region: str
    postal_code: str
    country: str
    notes: str
    sensitive: MaskedIdentity
    ofac_status: OfacStatus
    legal_hold: bool
    merged_into_id: int | None
    merged_at: datetime | None
    created_at: datetime
    updated_at: datetime
    consent_history: list[ConsentOut]


class CustomerFields(StrictInput):
    """Fields shared by create and update; phones in any format, normalised to E.164."""

    kind: CustomerKind | None = None
    first_name: str | None = Field(default=None, max_length=100, examples=["Ana"])
    middle_name: str | None = Field(default=None, max_length=100)
    last_name: str | None = Field(default=None, max_length=100, examples=["Diaz"])
    business_name: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=254, examples=["ana.diaz@example.com"])
    alt_email: str | None = Field(default=None, max_length=254)
    mobile_phone: str | None = Field(default=None, max_length=40, examples=["(415) 555-2671"])
    home_phone: str | None = Field(default=None, max_length=40)
    work_phone: str | None = Field(default=None, max_length=40)
    address_line1: str | None = Field(default=None, max_length=200)
    address_line2: str | None = Field(default=None, max_length=200)
    city: str | None = Field(default=None, max_length=100)
    region: str | None = Field(default=None, max_length=100)
    postal_code: str | None = Field(default=None, max_length=20)
    country: str | None = Field(default=None, max_length=2, examples=["US"])
    preferred_language: Language | None = None
    notes: str | None = None
    tags: list[str] | None = Field(default=None, examples=[["vip", "trade-in"]])
    assigned_salesperson_id: StrictInt | None = None
    date_of_birth: IsoDate | None = None
    drivers_license_number: str | None = Field(default=None, max_length=40)
    drivers_license_state: str | None = Field(default=None, max_length=20)
    ssn: str | None = Field(default=None, max_length=20, examples=["123-45-6789"])
    employer: str | None = Field(default=None, max_length=200)
    income: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)


class CustomerCreate(CustomerFields):
    rooftop_id: StrictInt = Field(examples=[1])
    consent_call: StrictBool | None = None
    consent_sms: StrictBool | None = None
    consent_email: StrictBool | None = None
    consent_source: ConsentSource = ConsentSource.API
    allow_duplicate: StrictBool = Field(
        default=False,
        description="Create even if a customer with the same email, phone, or name and date "
        "of birth exists (recorded in the audit log).",
    )


class CustomerUpdate(CustomerFields):
    version: StrictInt | None = Field(
        default=None, description="The version you read, if not sent as If-Match."
    )


class ConsentIn(StrictInput):
    channel: Channel
    granted: StrictBool
    source: ConsentSource
    note: str = Field(default="", max_length=200)


class RevealIn(StrictInput):
    field: SensitiveName


class RevealOut(Schema):
    field: str
    value: str | None = Field(description="The full value; null when none is on file.")


class MergeIn(StrictInput):
    duplicate_id: StrictInt = Field(
        description="The record folded into this one; it stays as a pointer (merged_into)."
    )


class DuplicateMatch(Schema):
    id: int
    display_name: str

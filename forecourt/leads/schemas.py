"""Leads and activities API shapes. A test driver's licence number travels masked, always."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema
from pydantic import StrictBool, StrictInt

from forecourt.core.schemas import StrictInput
from forecourt.core.security.pii import masked
from forecourt.inventory.schemas import IsoDate, IsoDateTime
from forecourt.leads.models import (
    Activity,
    ActivityKind,
    AppointmentStatus,
    Direction,
    Lead,
    LeadSource,
    LeadStatus,
    LostReason,
)


class LeadOut(Schema):
    id: int = Field(examples=[311])
    rooftop_id: int
    customer_id: int
    customer_name: str = Field(examples=["Ana Diaz"])
    source: LeadSource
    source_detail: str
    vehicle_id: int | None
    vehicle_label: str = Field(description="Stock number, year, make and model of the unit.")
    vehicle_description: str
    status: LeadStatus
    lost_reason: LostReason | None
    lost_note: str
    owner_id: int | None
    owner_name: str | None
    next_follow_up_on: date | None
    notes: str
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Send back in If-Match (or `version`) when updating.")


class LeadPage(Schema):
    items: list[LeadOut]
    next_cursor: str | None = Field(description="Pass as `cursor`; null on the last page.")
    has_next: bool


class LeadCreate(StrictInput):
    customer_id: StrictInt = Field(examples=[1042])
    source: LeadSource = Field(examples=["phone"])
    source_detail: str = Field(default="", max_length=200)
    vehicle_id: StrictInt | None = Field(default=None, description="A unit in stock.")
    vehicle_description: str = Field(default="", max_length=200, examples=["Used SUV, AWD"])
    owner_id: StrictInt | None = Field(default=None, description="Default: the caller.")
    next_follow_up_on: IsoDate | None = None
    notes: str = Field(default="", max_length=5000)


class LeadUpdate(StrictInput):
    """Only the fields sent are changed."""

    version: StrictInt | None = Field(
        default=None, description="The version you read; or send it as the If-Match header."
    )
    source: LeadSource | None = None
    source_detail: str | None = Field(default=None, max_length=200)
    vehicle_id: StrictInt | None = None
    vehicle_description: str | None = Field(default=None, max_length=200)
    next_follow_up_on: IsoDate | None = None
    notes: str | None = Field(default=None, max_length=5000)


class LeadStatusIn(StrictInput):
    version: StrictInt | None = None
    status: LeadStatus = Field(examples=["contacted"])
    lost_reason: LostReason | None = Field(default=None, description="Required for `lost`.")
    lost_note: str = Field(default="", max_length=200)


class ReassignIn(StrictInput):
    lead_ids: list[StrictInt] = Field(min_length=1, max_length=500, examples=[[311, 312]])
    owner_id: StrictInt = Field(examples=[7])


class ReassignOut(Schema):
    changed: list[int]
    skipped: dict[str, str] = Field(description="Lead id -> why it was not reassigned.")


class ActivityOut(Schema):
    id: int
    rooftop_id: int
    customer_id: int
    lead_id: int | None
    kind: ActivityKind
    direction: Direction | None
    subject: str
    body: str
    occurred_at: datetime
    created_by_id: int | None
    salesperson_id: int | None
    starts_at: datetime | None
    ends_at: datetime | None
    appointment_status: AppointmentStatus | None
    vehicle_id: int | None
    drivers_license_number: str = Field(description="Masked: only the last 4 characters show.")
    drivers_license_state: str
    odometer_out: int | None
    odometer_in: int | None
    out_at: datetime | None
    in_at: datetime | None
    version: int


class ActivityPage(Schema):
    items: list[ActivityOut]
    next_cursor: str | None
    has_next: bool


class ActivityCreate(StrictInput):
    """One activity; the fields a kind needs are required for it (422 otherwise)."""

    customer_id: StrictInt
    lead_id: StrictInt | None = None
    kind: ActivityKind = Field(examples=["call"])
    direction: Direction | None = Field(default=None, description="call, email and sms.")
    subject: str = Field(default="", max_length=200)
    body: str = Field(default="", max_length=10_000)
    occurred_at: IsoDateTime | None = None
    salesperson_id: StrictInt | None = Field(default=None, description="appointment")
    starts_at: IsoDateTime | None = Field(default=None, description="appointment")
    ends_at: IsoDateTime | None = Field(default=None, description="appointment")
    vehicle_id: StrictInt | None = Field(default=None, description="test_drive")
    drivers_license_number: str = Field(default="", max_length=20, description="test_drive")
    drivers_license_state: str = Field(default="", max_length=3, description="test_drive")
    odometer_out: StrictInt | None = Field(default=None, ge=0, description="test_drive")


class TestDriveFinishIn(StrictInput):
    odometer_in: StrictInt = Field(ge=0, examples=[42017])
    in_at: IsoDateTime | None = Field(default=None, description="Default: now.")
    body: str = Field(default="", max_length=2000)


class WebLeadIn(StrictInput):
    """A website lead form. `website` is a honeypot: people leave it empty, bots fill it."""

    rooftop_id: StrictInt = Field(examples=[1])
    first_name: str = Field(min_length=1, max_length=100, examples=["Ana"])
    last_name: str = Field(default="", max_length=100, examples=["Diaz"])
    email: str = Field(default="", max_length=254, examples=["ana.diaz@example.com"])
    phone: str = Field(default="", max_length=30, examples=["(415) 555-2671"])
    message: str = Field(default="", max_length=2000, examples=["Is the blue CR-V available?"])
    stock_number: str = Field(default="", max_length=32, description="The unit they asked about.")
    vehicle_description: str = Field(default="", max_length=200)
    consent_email: StrictBool = False
    consent_sms: StrictBool = False
    consent_call: StrictBool = False
    source_detail: str = Field(default="", max_length=200, examples=["Spring sale landing page"])
    website: str = Field(default="", max_length=200, description="Honeypot: leave empty.")


class WebLeadOut(Schema):
    accepted: bool
    lead_id: int | None = Field(description="Null when the submission was discarded as spam.")


# The bodies the endpoints answer with (json_response), in the shapes declared above.


def lead_dict(lead: Lead) -> dict[str, Any]:
    vehicle = lead.vehicle
    return {
        "id": lead.pk,
        "rooftop_id": lead.rooftop_id,
        "customer_id": lead.customer_id,
        "customer_name": lead.customer.display_name,
        "source": lead.source,
        "source_detail": lead.source_detail,
        "vehicle_id": lead.vehicle_id,
        "vehicle_label": (
            f"{vehicle.stock_number} {vehicle.year} {vehicle.make} {vehicle.model}"
            if vehicle
            else ""
        ),
        "vehicle_description": lead.vehicle_description,
        "status": lead.status,
        "lost_reason": lead.lost_reason or None,
        "lost_note": lead.lost_note,
        "owner_id": lead.owner_id,
        "owner_name": (lead.owner.full_name or lead.owner.email) if lead.owner else None,
        "next_follow_up_on": lead.next_follow_up_on,
        "notes": lead.notes,
        "created_at": lead.created_at,
        "updated_at": lead.updated_at,
        "version": lead.version,
    }


def activity_dict(activity: Activity) -> dict[str, Any]:
    return {
        "id": activity.pk,
        "rooftop_id": activity.rooftop_id,
        "customer_id": activity.customer_id,
        "lead_id": activity.lead_id,
        "kind": activity.kind,
        "direction": activity.direction or None,
        "subject": activity.subject,
        "body": activity.body,
        "occurred_at": activity.occurred_at,
        "created_by_id": activity.created_by_id,
        "salesperson_id": activity.salesperson_id,
        "starts_at": activity.starts_at,
        "ends_at": activity.ends_at,
        "appointment_status": activity.appointment_status or None,
        "vehicle_id": activity.vehicle_id,
        # Never the full number here: revealing it is a separate, audited action.
        "drivers_license_number": masked(activity, "drivers_license_number"),
        "drivers_license_state": activity.drivers_license_state,
        "odometer_out": activity.odometer_out,
        "odometer_in": activity.odometer_in,
        "out_at": activity.out_at,
        "in_at": activity.in_at,
        "version": activity.version,
    }

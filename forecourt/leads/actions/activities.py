"""Writes to activities: logged contact and notes, appointments, test drives.

Each runs in one transaction, checks the actor's permission and rooftop, writes its audit
entry and moves the customer's last activity (retention). A salesperson is never booked
twice at once, and a vehicle is never out on two test drives (actions/common.py says how).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from forecourt.core import audit
from forecourt.core.permissions import require_permission
from forecourt.customers.actions import note_customer_activity
from forecourt.customers.consent import may_contact
from forecourt.customers.models import Customer
from forecourt.inventory import actions as inventory_actions
from forecourt.inventory.models import Vehicle
from forecourt.leads.actions.common import (
    DRIVABLE,
    check_customer,
    check_lead_of,
    person_or_none,
    require_rooftop,
    works_at,
    works_leads,
)
from forecourt.leads.models import (
    Activity,
    ActivityKind,
    AppointmentStatus,
    Direction,
    Lead,
)

LOGGED_KINDS = frozenset({ActivityKind.CALL, ActivityKind.EMAIL, ActivityKind.SMS})
# Outbound contact needs the customer's consent on the channel the kind uses.
CHANNEL_OF_KIND = {ActivityKind.CALL: "call", ActivityKind.EMAIL: "email", ActivityKind.SMS: "sms"}


def _new_activity(actor: Any, customer: Customer, lead: Lead | None, **fields: Any) -> Activity:
    return Activity(
        rooftop_id=customer.rooftop_id,
        customer=customer,
        lead=lead,
        created_by=person_or_none(actor),
        **fields,
    )


def _finish_activity(actor: Any, activity: Activity, verb: str) -> Activity:
    activity.save()
    audit.record(actor, verb, activity, _activity_changes(activity))
    note_customer_activity(activity.customer, activity.occurred_at)
    return activity


def _activity_changes(activity: Activity) -> dict[str, list[Any]]:
    """What the audit keeps of an activity: never the licence number, even encrypted."""
    names = [
        "kind", "direction", "subject", "lead_id", "salesperson_id", "starts_at", "ends_at",
        "appointment_status", "vehicle_id", "odometer_out", "odometer_in", "out_at", "in_at",
    ]  # fmt: skip
    return audit.diff({}, {k: v for k, v in audit.snapshot(activity, names).items() if v})


@transaction.atomic
def log_activity(
    actor: Any,
    customer: Customer,
    *,
    kind: ActivityKind | str,
    direction: Direction | str = "",
    subject: str = "",
    body: str = "",
    lead: Lead | None = None,
    occurred_at: datetime | None = None,
) -> Activity:
    """A call, email or SMS (logged, never sent from here) or a note.

    Outbound contact on a channel the customer has not consented to (or opted out of) is
    refused; inbound contact is always recorded.
    """
    require_permission(actor, "leads.add_activity")
    check_customer(actor, customer)
    check_lead_of(lead, customer)
    kind = ActivityKind(kind)
    if kind not in LOGGED_KINDS | {ActivityKind.NOTE}:
        raise ValidationError({"kind": "Appointments and test drives have their own forms."})
    if kind == ActivityKind.NOTE:
        direction = ""
        if not body.strip():
            raise ValidationError({"body": "Write the note."})
    elif direction not in Direction.values:
        raise ValidationError({"direction": "Say whether it was outbound or inbound."})
    if direction == Direction.OUTBOUND and not may_contact(customer, CHANNEL_OF_KIND[kind]):
        raise ValidationError(
            {"kind": f"{customer} has not consented to (or opted out of) {kind.label.lower()} "
             "contact. Record their consent first, or log only contact they started."}
        )  # fmt: skip
    activity = _new_activity(
        actor,
        customer,
        lead,
        kind=kind,
        direction=direction,
        subject=subject[:200],
        body=body,
        occurred_at=occurred_at or timezone.now(),
    )
    return _finish_activity(actor, activity, "leads.log_activity")


@transaction.atomic
def schedule_appointment(
    actor: Any,
    customer: Customer,
    *,
    salesperson: Any,
    starts_at: datetime,
    ends_at: datetime,
    lead: Lead | None = None,
    subject: str = "",
    body: str = "",
) -> Activity:
    """Book a salesperson's time with a customer. Never two of their appointments at once."""
    require_permission(actor, "leads.add_activity")
    check_customer(actor, customer)
    check_lead_of(lead, customer)
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise ValidationError({"ends_at": "The appointment must end after it starts."})
    # Lock the salesperson's row first: a concurrent booking of the same person waits here,
    # then sees this one in the overlap check.
    user_model: Any = get_user_model()
    person = user_model.objects.select_for_update().filter(pk=salesperson.pk).first()
    if person is None or not works_at(person, customer.rooftop_id) or not works_leads(person):
        raise ValidationError({"salesperson": "Choose a salesperson of the customer's rooftop."})
    clash = (
        Activity.objects.filter(
            kind=ActivityKind.APPOINTMENT,
            salesperson=person,
            appointment_status=AppointmentStatus.SCHEDULED,
            starts_at__lt=ends_at,
            ends_at__gt=starts_at,
        )
        .order_by("starts_at")
        .first()
    )
    if clash is not None:
        start = timezone.localtime(clash.starts_at)
        end = timezone.localtime(clash.ends_at)
        raise ValidationError(
            {"starts_at": f"{person} already has an appointment from {start:%Y-%m-%d %H:%M} "
             f"to {end:%H:%M}. Choose another time or salesperson."}
        )  # fmt: skip
    activity = _new_activity(
        actor,
        customer,
        lead,
        kind=ActivityKind.APPOINTMENT,
        subject=subject[:200] or "Appointment",
        body=body,
        occurred_at=starts_at,
        salesperson=person,
        starts_at=starts_at,
        ends_at=ends_at,
        appointment_status=AppointmentStatus.SCHEDULED,
    )
    return _finish_activity(actor, activity, "leads.schedule_appointment")


def _lock_activity(actor: Any, activity: Activity | int, kind: ActivityKind) -> Activity:
    require_permission(actor, "leads.change_activity")
    pk = activity.pk if isinstance(activity, Activity) else activity
    locked = Activity.objects.select_for_update(of=("self",)).select_related("customer").get(pk=pk)
    require_rooftop(actor, locked.rooftop_id)
    if locked.kind != kind:
        raise ValidationError({"kind": f"This activity is not a {kind.label.lower()}."})
    return locked


@transaction.atomic
def set_appointment_status(
    actor: Any, activity: Activity | int, status: AppointmentStatus | str
) -> Activity:
    """Completed, cancelled or no-show; a cancelled appointment frees the slot."""
    locked = _lock_activity(actor, activity, ActivityKind.APPOINTMENT)
    target = AppointmentStatus(status)
    if locked.appointment_status != AppointmentStatus.SCHEDULED:
        raise ValidationError({"appointment_status": "Only a scheduled appointment can change."})
    before = locked.appointment_status
    locked.appointment_status = target
    locked.version += 1
    locked.updated_at = timezone.now()
    locked.save(update_fields=["appointment_status", "version", "updated_at"])
    audit.record(
        actor, "leads.set_appointment_status", locked, {"appointment_status": [before, target]}
    )
    note_customer_activity(locked.customer)
    return locked


@transaction.atomic
def start_test_drive(
    actor: Any,
    customer: Customer,
    *,
    vehicle: Vehicle,
    drivers_license_number: str,
    drivers_license_state: str,
    odometer_out: int,
    lead: Lead | None = None,
    out_at: datetime | None = None,
    body: str = "",
) -> Activity:
    """A customer takes a unit out. The licence is captured (encrypted, shown masked)."""
    require_permission(actor, "leads.add_activity")
    check_customer(actor, customer)
    check_lead_of(lead, customer)
    errors: dict[str, str] = {}
    current = Vehicle.objects.filter(pk=vehicle.pk).values("rooftop_id", "status").first()
    if current is None or current["rooftop_id"] != customer.rooftop_id:
        errors["vehicle"] = "Choose a unit in stock at the customer's rooftop."
    elif current["status"] not in DRIVABLE:
        errors["vehicle"] = "Only an available (or held) unit can go on a test drive."
    licence = (drivers_license_number or "").strip().upper()
    if not 4 <= len(licence) <= 20:
        errors["drivers_license_number"] = "Enter the driver's licence number (4-20 characters)."
    state = (drivers_license_state or "").strip().upper()
    if not 2 <= len(state) <= 3:
        errors["drivers_license_state"] = "Enter the issuing state (e.g. IL)."
    if odometer_out is None or odometer_out < 0:
        errors["odometer_out"] = "Enter the odometer reading."
    if errors:
        raise ValidationError(errors)
    activity = _new_activity(
        actor,
        customer,
        lead,
        kind=ActivityKind.TEST_DRIVE,
        subject="Test drive",
        body=body,
        occurred_at=out_at or timezone.now(),
        vehicle=vehicle,
        drivers_license_number=licence,
        drivers_license_state=state,
        odometer_out=odometer_out,
        out_at=out_at or timezone.now(),
    )
    try:
        with transaction.atomic():
            activity.save()
    except IntegrityError:
        if Activity.objects.filter(
            vehicle=vehicle, kind=ActivityKind.TEST_DRIVE, in_at__isnull=True
        ).exists():
            raise ValidationError(
                {"vehicle": "This vehicle is already out on a test drive. Finish that one "
                 "before starting another."}
            ) from None  # fmt: skip
        raise
    audit.record(actor, "leads.start_test_drive", activity, _activity_changes(activity))
    note_customer_activity(customer, activity.out_at)
    return activity


@transaction.atomic
def finish_test_drive(
    actor: Any,
    activity: Activity | int,
    *,
    odometer_in: int,
    in_at: datetime | None = None,
    body: str = "",
) -> Activity:
    locked = _lock_activity(actor, activity, ActivityKind.TEST_DRIVE)
    if locked.in_at is not None:
        raise ValidationError({"in_at": "This test drive is already finished."})
    in_at = in_at or timezone.now()
    errors: dict[str, str] = {}
    if odometer_in is None or odometer_in < (locked.odometer_out or 0):
        errors["odometer_in"] = (
            f"The odometer cannot read less than at the start ({locked.odometer_out})."
        )
    if locked.out_at and in_at < locked.out_at:
        errors["in_at"] = "The vehicle cannot come back before it left."
    if errors:
        raise ValidationError(errors)
    if locked.vehicle_id is not None:
        # The vehicle's own odometer follows, through inventory's action (which refuses a
        # reading below the vehicle's).
        try:
            inventory_actions.record_odometer(
                actor, locked.vehicle_id, odometer_in, reason=f"test drive #{locked.pk}"
            )
        except ValidationError as error:
            raise ValidationError({"odometer_in": error.messages}) from None
    locked.odometer_in, locked.in_at = odometer_in, in_at
    if body:
        locked.body = f"{locked.body}\n{body}".strip()
    locked.version += 1
    locked.updated_at = timezone.now()
    locked.save(update_fields=["odometer_in", "in_at", "body", "version", "updated_at"])
    audit.record(
        actor,
        "leads.finish_test_drive",
        locked,
        {"odometer_in": [None, odometer_in], "in_at": [None, in_at.isoformat()]},
    )
    note_customer_activity(locked.customer, in_at)
    return locked

"""Every write to leads and activities: one function per business operation.

Each runs in one transaction, checks the actor's permission and rooftop, writes its audit
entry and tells the customer record that something happened (`note_customer_activity`, which
drives retention). Bad input raises ValidationError with field messages before any write.

Conflicts are decided where they cannot race:
- a salesperson's appointments: their user row is locked (SELECT ... FOR UPDATE) before the
  overlap check, so two bookings of the same person serialise;
- a vehicle's test drives: the database refuses a second open one (partial unique index
  `one_open_test_drive_per_vehicle`); the IntegrityError becomes a ValidationError.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from forecourt.accounts.backends import ForecourtModelBackend
from forecourt.accounts.models import Rooftop
from forecourt.core import audit
from forecourt.core.permissions import require_permission
from forecourt.customers.actions import create_customer, note_customer_activity
from forecourt.customers.consent import may_contact
from forecourt.customers.models import ConsentSource, Customer
from forecourt.inventory.actions import can_reach_rooftop
from forecourt.inventory.models import Status as VehicleStatus
from forecourt.inventory.models import Vehicle
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

# The pipeline's legal moves (docs/leads.md). A walk-in may go straight from new to shown;
# a missed appointment falls back to contacted; a lost lead may be reopened as new; won is
# final (the deal takes over).
TRANSITIONS: dict[LeadStatus, frozenset[LeadStatus]] = {
    LeadStatus.NEW: frozenset(
        {LeadStatus.CONTACTED, LeadStatus.APPOINTMENT, LeadStatus.SHOWN, LeadStatus.LOST}
    ),
    LeadStatus.CONTACTED: frozenset(
        {LeadStatus.APPOINTMENT, LeadStatus.SHOWN, LeadStatus.QUOTED, LeadStatus.LOST}
    ),
    LeadStatus.APPOINTMENT: frozenset({LeadStatus.CONTACTED, LeadStatus.SHOWN, LeadStatus.LOST}),
    LeadStatus.SHOWN: frozenset({LeadStatus.QUOTED, LeadStatus.WON, LeadStatus.LOST}),
    LeadStatus.QUOTED: frozenset({LeadStatus.SHOWN, LeadStatus.WON, LeadStatus.LOST}),
    LeadStatus.WON: frozenset(),
    LeadStatus.LOST: frozenset({LeadStatus.NEW}),
}
# Fields update_lead may change; status and owner have their own actions.
EDITABLE_FIELDS = frozenset(
    {"source", "source_detail", "vehicle", "vehicle_description", "next_follow_up_on", "notes"}
)
# A vehicle of interest is a unit the rooftop still has or is getting.
IN_STOCK = frozenset(
    {
        VehicleStatus.INCOMING,
        VehicleStatus.IN_RECONDITIONING,
        VehicleStatus.AVAILABLE,
        VehicleStatus.ON_HOLD,
    }
)
# A test drive takes a unit that is on the lot and not sold.
DRIVABLE = frozenset({VehicleStatus.AVAILABLE, VehicleStatus.ON_HOLD})
LOGGED_KINDS = frozenset({ActivityKind.CALL, ActivityKind.EMAIL, ActivityKind.SMS})
# Outbound contact needs the customer's consent on the channel the kind uses.
CHANNEL_OF_KIND = {ActivityKind.CALL: "call", ActivityKind.EMAIL: "email", ActivityKind.SMS: "sms"}


class VersionConflict(Exception):
    """The lead changed since the caller read it (optimistic concurrency)."""

    def __init__(self, current_version: int) -> None:
        self.current_version = current_version
        super().__init__(
            f"The lead was changed by someone else (now version {current_version}). "
            "Reload it and apply your change again."
        )


@dataclass
class BulkResult:
    changed: list[int] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)


# --- helpers -------------------------------------------------------------------------


def _require_rooftop(actor: Any, rooftop_id: int) -> None:
    if not can_reach_rooftop(actor, rooftop_id):
        raise PermissionDenied("This record belongs to a rooftop you do not work at.")


def _works_at(user: Any, rooftop_id: int) -> bool:
    return bool(user and user.is_active and user.rooftops.filter(pk=rooftop_id).exists())


# Who may own a lead or be booked for an appointment: a user whose role works leads (Owner,
# General Manager, Sales Manager, Salesperson, Service Advisor), never Parts, a Technician,
# an Accountant, Read-only or F&I (who only view leads).
WORKS_LEADS = "leads.change_lead"


def works_leads(user: Any) -> bool:
    return bool(user and user.is_active and user.has_perm(WORKS_LEADS))


def _cannot_own_leads(user: Any) -> str:
    return f"{user} cannot own leads: their role does not work with leads."


def lead_workers(rooftop_ids: Any) -> QuerySet[Any]:
    """The active users of these rooftops who may own leads and take appointments: what the
    owner and salesperson pickers offer (reassign_leads and schedule_appointment check it)."""
    return (
        ForecourtModelBackend()
        .with_perm(WORKS_LEADS)  # through a role or granted directly, or a superuser
        .filter(is_active=True, rooftops__in=rooftop_ids)
        .distinct()
        .order_by("full_name", "email")
    )


def _actor_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _lock_lead(actor: Any, lead: Lead | int, permission: str) -> Lead:
    require_permission(actor, permission)
    pk = lead.pk if isinstance(lead, Lead) else lead
    locked = Lead.objects.select_for_update().select_related("customer").get(pk=pk)
    _require_rooftop(actor, locked.rooftop_id)
    return locked


def _check_version(lead: Lead, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != lead.version:
        raise VersionConflict(lead.version)


def _save_lead(lead: Lead, fields: Iterable[str]) -> None:
    lead.version += 1
    lead.updated_at = timezone.now()
    lead.save(update_fields=[*set(fields), "version", "updated_at"])


def _check_customer(actor: Any, customer: Customer) -> None:
    _require_rooftop(actor, customer.rooftop_id)
    if customer.merged_into_id is not None:
        raise ValidationError({"customer": "This customer was merged into another record."})
    if customer.anonymized_at is not None:
        raise ValidationError({"customer": "This customer's details were disposed of."})


def _check_vehicle_of_interest(vehicle: Vehicle | None, rooftop_id: int) -> None:
    if vehicle is None:
        return
    if vehicle.rooftop_id != rooftop_id:
        raise ValidationError({"vehicle": "Choose a unit in stock at this customer's rooftop."})
    if vehicle.status not in IN_STOCK:
        raise ValidationError({"vehicle": "This unit is no longer in stock."})


def _check_lead_of(lead: Lead | None, customer: Customer) -> None:
    if lead is not None and lead.customer_id != customer.pk:
        raise ValidationError({"lead": "This lead belongs to another customer."})


# --- leads ---------------------------------------------------------------------------


@transaction.atomic
def create_lead(
    actor: Any,
    customer: Customer,
    *,
    source: LeadSource | str,
    source_detail: str = "",
    vehicle: Vehicle | None = None,
    vehicle_description: str = "",
    owner: Any = None,
    next_follow_up_on: date | None = None,
    notes: str = "",
    assign_to_actor: bool = True,
) -> Lead:
    """A new lead for an existing customer. Without an owner it goes to the actor (when they
    work at the rooftop), unless `assign_to_actor=False` (web and imported leads wait for a
    manager to assign them)."""
    require_permission(actor, "leads.add_lead")
    _check_customer(actor, customer)
    _check_vehicle_of_interest(vehicle, customer.rooftop_id)
    if owner is None and assign_to_actor and _works_at(actor, customer.rooftop_id):
        owner = actor if works_leads(actor) else None
    if owner is not None and not _works_at(owner, customer.rooftop_id):
        raise ValidationError({"owner": "The owner must work at the customer's rooftop."})
    if owner is not None and not works_leads(owner):
        raise ValidationError({"owner": _cannot_own_leads(owner)})
    lead = Lead(
        rooftop_id=customer.rooftop_id,
        customer=customer,
        source=source,
        source_detail=source_detail,
        vehicle=vehicle,
        vehicle_description=vehicle_description,
        owner=owner,
        next_follow_up_on=next_follow_up_on,
        notes=notes,
        created_by=_actor_or_none(actor),
    )
    lead.full_clean(exclude=["rooftop", "customer", "vehicle", "owner", "created_by"])
    lead.save()
    audit.record(actor, "leads.create_lead", lead, audit.diff({}, audit.snapshot(lead)))
    note_customer_activity(customer)
    return lead


@transaction.atomic
def take_walk_in(
    actor: Any,
    rooftop: Rooftop,
    customer_data: dict[str, Any],
    *,
    allow_duplicate: bool = False,
    **lead_fields: Any,
) -> Lead:
    """One form, one transaction: the new customer (consent in person) and their lead.

    A suspected duplicate raises the customers app's DuplicateCustomerError (with .matches)
    so the screen can offer the existing records; nothing is written then.
    """
    require_permission(actor, "leads.add_lead")
    customer = create_customer(
        actor,
        rooftop,
        customer_data,
        consent_source=ConsentSource.IN_PERSON,
        allow_duplicate=allow_duplicate,
    )
    lead_fields.setdefault("source", LeadSource.WALK_IN)
    return create_lead(actor, customer, **lead_fields)


@transaction.atomic
def update_lead(
    actor: Any, lead: Lead | int, *, expected_version: int | None = None, **fields: Any
) -> Lead:
    locked = _lock_lead(actor, lead, "leads.change_lead")
    _check_version(locked, expected_version)
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    if "vehicle" in fields and fields["vehicle"] != locked.vehicle:
        _check_vehicle_of_interest(fields["vehicle"], locked.rooftop_id)
    before = audit.snapshot(locked)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=["rooftop", "customer", "vehicle", "owner", "created_by"])
    _save_lead(locked, [f"{name}_id" if name == "vehicle" else name for name in fields])
    changes = audit.diff(before, audit.snapshot(locked))
    changes.pop("version", None)
    changes.pop("updated_at", None)
    audit.record(actor, "leads.update_lead", locked, changes)
    note_customer_activity(locked.customer)
    return locked


def set_follow_up(actor: Any, lead: Lead | int, on: date | None) -> Lead:
    """The My day quick action: when to contact the customer next."""
    return update_lead(actor, lead, next_follow_up_on=on)


@transaction.atomic
def change_lead_status(
    actor: Any,
    lead: Lead | int,
    *,
    to_status: LeadStatus | str,
    lost_reason: LostReason | str = "",
    lost_note: str = "",
    expected_version: int | None = None,
) -> Lead:
    locked = _lock_lead(actor, lead, "leads.change_lead")
    _check_version(locked, expected_version)
    try:
        target = LeadStatus(to_status)
    except ValueError:
        raise ValidationError({"status": f"Unknown status {to_status!r}."}) from None
    current = LeadStatus(locked.status)
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(s.label for s in sorted(TRANSITIONS[current])) or "none (final)"
        raise ValidationError(
            {"status": f"A {current.label.lower()} lead cannot become {target.label.lower()}. "
             f"Allowed: {allowed}."}
        )  # fmt: skip
    if target == LeadStatus.LOST:
        if lost_reason not in LostReason.values:
            raise ValidationError({"lost_reason": "Say why the lead was lost."})
        locked.lost_reason, locked.lost_note = str(lost_reason), lost_note[:200]
    else:
        locked.lost_reason, locked.lost_note = "", ""
    locked.status = target
    _save_lead(locked, ["status", "lost_reason", "lost_note"])
    changes: dict[str, list[Any]] = {"status": [current.value, target.value]}
    if target == LeadStatus.LOST:
        changes["lost_reason"] = ["", locked.lost_reason]
    audit.record(actor, "leads.change_lead_status", locked, changes)
    note_customer_activity(locked.customer)
    return locked


@transaction.atomic
def reassign_leads(actor: Any, lead_ids: Iterable[int], new_owner: Any) -> BulkResult:
    """Give leads to another salesperson (managers). The owner must work at each rooftop."""
    require_permission(actor, "leads.reassign_lead")
    ids = sorted(set(lead_ids))
    # Visible rows only, locked in id order (a fixed order cannot deadlock another run).
    rows = list(
        Lead.objects.for_user(actor, "change")
        .filter(pk__in=ids)
        .select_related("customer")
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    result = BulkResult()
    found = {lead.pk for lead in rows}
    for missing in ids:
        if missing not in found:
            result.skipped[missing] = "not found"
    if new_owner.is_active and not works_leads(new_owner):
        raise ValidationError({"owner": _cannot_own_leads(new_owner)})
    owner_rooftops = (
        set(new_owner.rooftops.values_list("pk", flat=True)) if new_owner.is_active else set()
    )
    for lead in rows:
        if lead.rooftop_id not in owner_rooftops:
            result.skipped[lead.pk] = f"{new_owner} does not work at this lead's rooftop"
            continue
        if not can_reach_rooftop(actor, lead.rooftop_id):
            result.skipped[lead.pk] = "not found"
            continue
        before = lead.owner_id
        if before == new_owner.pk:
            result.skipped[lead.pk] = "already theirs"
            continue
        lead.owner = new_owner
        _save_lead(lead, ["owner"])
        audit.record(actor, "leads.reassign_lead", lead, {"owner_id": [before, new_owner.pk]})
        result.changed.append(lead.pk)
    if not result.changed and not result.skipped:
        raise ValidationError({"ids": "Choose at least one lead."})
    return result


# --- activities ----------------------------------------------------------------------


def _new_activity(actor: Any, customer: Customer, lead: Lead | None, **fields: Any) -> Activity:
    return Activity(
        rooftop_id=customer.rooftop_id,
        customer=customer,
        lead=lead,
        created_by=_actor_or_none(actor),
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
    _check_customer(actor, customer)
    _check_lead_of(lead, customer)
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
    _check_customer(actor, customer)
    _check_lead_of(lead, customer)
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise ValidationError({"ends_at": "The appointment must end after it starts."})
    # Lock the salesperson's row first: a concurrent booking of the same person waits here,
    # then sees this one in the overlap check.
    user_model: Any = get_user_model()
    person = user_model.objects.select_for_update().filter(pk=salesperson.pk).first()
    if person is None or not _works_at(person, customer.rooftop_id) or not works_leads(person):
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
    _require_rooftop(actor, locked.rooftop_id)
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
    _check_customer(actor, customer)
    _check_lead_of(lead, customer)
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

"""What the leads actions share: rooftop and owner checks, the lead's lock, version and save.

Conflicts are decided where they cannot race:
- a salesperson's appointments: their user row is locked (SELECT ... FOR UPDATE) before the
  overlap check, so two bookings of the same person serialise;
- a vehicle's test drives: the database refuses a second open one (partial unique index
  `one_open_test_drive_per_vehicle`); the IntegrityError becomes a ValidationError.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from forecourt.accounts.backends import ForecourtModelBackend
from forecourt.core.concurrency import VersionConflict
from forecourt.core.permissions import require_permission
from forecourt.customers.models import Customer
from forecourt.inventory.actions import can_reach_rooftop
from forecourt.inventory.models import Status as VehicleStatus
from forecourt.inventory.models import Vehicle
from forecourt.leads.models import Lead

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


class LeadVersionConflict(VersionConflict):
    """The lead changed since the caller read it (optimistic concurrency)."""

    record_name = "lead"


def require_rooftop(actor: Any, rooftop_id: int) -> None:
    if not can_reach_rooftop(actor, rooftop_id):
        raise PermissionDenied("This record belongs to a rooftop you do not work at.")


def works_at(user: Any, rooftop_id: int) -> bool:
    return bool(user and user.is_active and user.rooftops.filter(pk=rooftop_id).exists())


# Who may own a lead or be booked for an appointment: a user whose role works leads (Owner,
# General Manager, Sales Manager, Salesperson, Service Advisor), never Parts, a Technician,
# an Accountant, Read-only or F&I (who only view leads).
WORKS_LEADS = "leads.change_lead"


def works_leads(user: Any) -> bool:
    return bool(user and user.is_active and user.has_perm(WORKS_LEADS))


def cannot_own_leads(user: Any) -> str:
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


def person_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def lock_lead(actor: Any, lead: Lead | int, permission: str) -> Lead:
    require_permission(actor, permission)
    pk = lead.pk if isinstance(lead, Lead) else lead
    locked = Lead.objects.select_for_update().select_related("customer").get(pk=pk)
    require_rooftop(actor, locked.rooftop_id)
    return locked


def check_version(lead: Lead, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != lead.version:
        raise LeadVersionConflict(lead.version)


def save_lead(lead: Lead, fields: Iterable[str]) -> None:
    lead.version += 1
    lead.updated_at = timezone.now()
    lead.save(update_fields=[*set(fields), "version", "updated_at"])


def check_customer(actor: Any, customer: Customer) -> None:
    require_rooftop(actor, customer.rooftop_id)
    if customer.merged_into_id is not None:
        raise ValidationError({"customer": "This customer was merged into another record."})
    if customer.anonymized_at is not None:
        raise ValidationError({"customer": "This customer's details were disposed of."})


def check_vehicle_of_interest(vehicle: Vehicle | None, rooftop_id: int) -> None:
    if vehicle is None:
        return
    if vehicle.rooftop_id != rooftop_id:
        raise ValidationError({"vehicle": "Choose a unit in stock at this customer's rooftop."})
    if vehicle.status not in IN_STOCK:
        raise ValidationError({"vehicle": "This unit is no longer in stock."})


def check_lead_of(lead: Lead | None, customer: Customer) -> None:
    if lead is not None and lead.customer_id != customer.pk:
        raise ValidationError({"lead": "This lead belongs to another customer."})

"""Warranty terms of a vehicle's Buyers Guide and the rooftop's complaints contact."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from forecourt.accounts.models import Rooftop
from forecourt.core import audit
from forecourt.core.permissions import require_permission
from forecourt.inventory.actions.rules import can_reach_rooftop
from forecourt.inventory.media.warranty import WARRANTY_FIELDS, warranty_of
from forecourt.inventory.models import RooftopDisclosure, Vehicle, VehicleWarranty


@transaction.atomic
def set_warranty(actor: Any, vehicle: Vehicle, **fields: Any) -> VehicleWarranty:
    require_permission(actor, "inventory.change_vehiclewarranty")
    unknown = set(fields) - set(WARRANTY_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "Unknown field."))
    locked = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    if not can_reach_rooftop(actor, locked.rooftop_id):
        raise PermissionDenied("This vehicle belongs to a rooftop you do not work at.")
    warranty = warranty_of(locked)
    before = audit.snapshot(warranty, list(WARRANTY_FIELDS)) if warranty.pk else {}
    for name, value in fields.items():
        setattr(warranty, name, value)
    warranty.updated_at = timezone.now()
    warranty.full_clean()
    warranty.save()
    changes = audit.diff(before, audit.snapshot(warranty, list(WARRANTY_FIELDS)))
    audit.record(actor, "inventory.set_warranty", warranty, changes, rooftop_id=locked.rooftop_id)
    return warranty


@transaction.atomic
def set_complaints_contact(actor: Any, rooftop: Rooftop, contact: str) -> RooftopDisclosure:
    require_permission(actor, "inventory.change_rooftopdisclosure")
    if not can_reach_rooftop(actor, rooftop.pk):
        raise PermissionDenied("You can only change rooftops you work at.")
    disclosure, _ = RooftopDisclosure.objects.select_for_update().get_or_create(rooftop=rooftop)
    before = disclosure.complaints_contact
    disclosure.complaints_contact = contact.strip()
    disclosure.full_clean()
    disclosure.save()
    audit.record(
        actor,
        "inventory.set_complaints_contact",
        disclosure,
        {"complaints_contact": [before, disclosure.complaints_contact]},
        rooftop_id=rooftop.pk,
    )
    return disclosure

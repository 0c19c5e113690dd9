"""Costs added to a vehicle after its acquisition (reconditioning, transport ...)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from forecourt.core import audit
from forecourt.core.permissions import require_permission
from forecourt.inventory.actions.rules import acting_user, lock_vehicle, save_vehicle
from forecourt.inventory.models import (
    CostKind,
    Vehicle,
    VehicleCost,
)


@transaction.atomic
def add_cost(
    actor: Any,
    vehicle: Vehicle | int,
    *,
    kind: CostKind | str,
    amount: Decimal | str,
    vendor: str = "",
    incurred_on: date | None = None,
    description: str = "",
) -> VehicleCost:
    require_permission(actor, "inventory.add_vehiclecost")
    locked = lock_vehicle(actor, vehicle, "inventory.view_vehicle")
    return _record_cost(
        actor,
        locked,
        kind=kind,
        amount=amount,
        vendor=vendor,
        incurred_on=incurred_on or timezone.localdate(),
        description=description,
    )


@transaction.atomic
def add_system_cost(
    vehicle: Vehicle | int,
    *,
    kind: CostKind | str,
    amount: Decimal | str,
    incurred_on: date,
    description: str,
    vendor: str = "",
) -> VehicleCost:
    """A cost the system adds on its own schedule (floor-plan interest accrued by a job).
    No user, so no permission: the caller is a scheduled job, never a request. The row is
    locked and the entry audited as the system's, like release_expired_holds."""
    pk = vehicle.pk if isinstance(vehicle, Vehicle) else vehicle
    locked = Vehicle.objects.select_for_update().get(pk=pk)
    return _record_cost(
        None,
        locked,
        kind=kind,
        amount=amount,
        vendor=vendor,
        incurred_on=incurred_on,
        description=description,
    )


def _record_cost(
    actor: Any,
    locked: Vehicle,
    *,
    kind: CostKind | str,
    amount: Decimal | str,
    vendor: str,
    incurred_on: date,
    description: str,
) -> VehicleCost:
    """The cost row, the vehicle's new version and the audit entry (the vehicle is locked)."""
    cost = VehicleCost(
        vehicle=locked,
        kind=kind,
        amount=validate_amount(amount),
        vendor=vendor,
        incurred_on=incurred_on,
        description=description,
        created_by=acting_user(actor) if actor is not None else None,
    )
    cost.full_clean(exclude=None if actor is not None else ["created_by"])
    cost.save()
    save_vehicle(locked, [])
    audit.record(
        actor,
        "inventory.add_cost",
        locked,
        {"cost": [None, f"{cost.get_kind_display()} {cost.amount} {vendor}".strip()]},
    )
    return cost


def validate_amount(amount: Decimal | str) -> Decimal:
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
    except ArithmeticError:
        raise ValidationError({"amount": "Enter a number."}) from None
    if value < 0:
        raise ValidationError({"amount": "A cost cannot be negative."})
    return value

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
    cost = VehicleCost(
        vehicle=locked,
        kind=kind,
        amount=validate_amount(amount),
        vendor=vendor,
        incurred_on=incurred_on or timezone.localdate(),
        description=description,
        created_by=acting_user(actor),
    )
    cost.full_clean()
    cost.save()
    save_vehicle(locked, [])
    audit.record(
        actor,
        "inventory.add_cost",
        locked,
        {"cost": [None, f"{cost.get_kind_display()} {cost.amount} {vendor}".strip()]},
    )
    return cost


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
    cost = VehicleCost(
        vehicle=locked,
        kind=kind,
        amount=validate_amount(amount),
        vendor=vendor,
        incurred_on=incurred_on,
        description=description,
    )
    cost.full_clean(exclude=["created_by"])  # the system has no user row
    cost.save()
    save_vehicle(locked, [])
    audit.record(
        None, "inventory.add_cost", locked, {"cost": [None, f"{description} {cost.amount}"]}
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

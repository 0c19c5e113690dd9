"""The rules every inventory action shares: the legal status moves, access to a rooftop,
the vehicle row lock, the version check, validation of VINs and prices, and the save that
bumps the version."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.utils import timezone

from forecourt.core import concurrency
from forecourt.core.permissions import require_permission, sees_all_rooftops
from forecourt.inventory.models import (
    ACTIVE_STATUSES,
    Status,
    Vehicle,
    VehicleHold,
    VehiclePriceChange,
    VehicleStatusChange,
)
from forecourt.inventory.vin import check_vin

# The legal moves; anything else is refused. ON_HOLD is entered only through hold_vehicle.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.INCOMING: frozenset(
        {Status.IN_RECONDITIONING, Status.AVAILABLE, Status.WHOLESALE, Status.REMOVED}
    ),
    Status.IN_RECONDITIONING: frozenset({Status.AVAILABLE, Status.WHOLESALE, Status.REMOVED}),
    Status.AVAILABLE: frozenset(
        {Status.IN_RECONDITIONING, Status.ON_HOLD, Status.SOLD, Status.WHOLESALE, Status.REMOVED}
    ),
    Status.ON_HOLD: frozenset({Status.AVAILABLE, Status.SOLD}),
    Status.SOLD: frozenset({Status.DELIVERED, Status.AVAILABLE}),
    Status.DELIVERED: frozenset({Status.AVAILABLE}),
    Status.WHOLESALE: frozenset(),
    Status.REMOVED: frozenset(),
}
UNWIND_FROM = frozenset({Status.SOLD, Status.DELIVERED})
PRICE_FIELDS = ("list_price", "internet_price", "floor_price")
# Fields update_vehicle may change; prices, status and rooftop have their own actions.
EDITABLE_FIELD_ORDER = (
    "vin",
    "stock_number",
    "condition",
    "year",
    "make",
    "model",
    "trim",
    "body_style",
    "drivetrain",
    "engine",
    "transmission",
    "fuel_type",
    "exterior_color",
    "interior_color",
    "odometer",
    "odometer_brand",
    "title_status",
    "title_brand",
    "acquisition_source",
    "acquired_on",
    "acquisition_cost",
    "lot_location",
    "key_tag",
    "notes",
    "is_published",
)
EDITABLE_FIELDS = frozenset(EDITABLE_FIELD_ORDER)
RECEIVE_FIELDS = EDITABLE_FIELDS | set(PRICE_FIELDS) | {"status"}


class VersionConflict(concurrency.VersionConflict):
    """The vehicle changed since the caller read it (optimistic concurrency)."""

    record_name = "vehicle"


def can_reach_rooftop(actor: Any, rooftop_id: int) -> bool:
    return sees_all_rooftops(actor) or actor.rooftops.filter(pk=rooftop_id).exists()


def require_rooftop(actor: Any, rooftop_id: int) -> None:
    if not can_reach_rooftop(actor, rooftop_id):
        raise PermissionDenied("This vehicle belongs to a rooftop you do not work at.")


def lock_vehicle(actor: Any, vehicle: Vehicle | int, permission: str) -> Vehicle:
    """Check the permission, lock the row and check the rooftop. Returns the fresh row.

    One round trip: the rooftop check rides along in the locking SELECT (an EXISTS in the
    select list; FOR UPDATE locks only the vehicle row)."""
    require_permission(actor, permission)
    pk = vehicle.pk if isinstance(vehicle, Vehicle) else vehicle
    if sees_all_rooftops(actor):
        return Vehicle.objects.select_for_update().get(pk=pk)
    reaches = Exists(actor.rooftops.filter(pk=OuterRef("rooftop_id")))
    locked = Vehicle.objects.select_for_update().annotate(actor_reaches=reaches).get(pk=pk)
    if not locked.actor_reaches:
        raise PermissionDenied("This vehicle belongs to a rooftop you do not work at.")
    return locked


def check_version(vehicle: Vehicle, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != vehicle.version:
        raise VersionConflict(vehicle.version)


def save_vehicle(vehicle: Vehicle, fields: Iterable[str]) -> None:
    vehicle.version += 1
    vehicle.updated_at = timezone.now()
    vehicle.save(update_fields=[*set(fields), "version", "updated_at"])


def clean_vehicle(vehicle: Vehicle, only: Iterable[str] | None = None) -> None:
    """Field validation plus the database constraints (VIN among active units, stock no.).

    `only`: the fields an action changed; the others, unchanged since they were validated,
    are not checked again (nor the unique checks and constraints that involve them, each a
    query)."""
    if only is None:
        vehicle.full_clean()
        return
    changed = set(only)
    vehicle.full_clean(
        exclude=[f.name for f in Vehicle._meta.concrete_fields if f.name not in changed]
    )


def validate_vin(vin: str) -> tuple[str, list[str]]:
    check = check_vin(vin)
    if not check.is_valid:
        raise ValidationError({"vin": check.errors})
    return check.vin, check.warnings


def validate_prices(values: dict[str, Any]) -> dict[str, Decimal | None]:
    errors: dict[str, str] = {}
    prices: dict[str, Decimal | None] = {}
    for name in PRICE_FIELDS:
        if name not in values:
            continue
        raw = values[name]
        if raw is None or raw == "":
            if name == "list_price":
                errors[name] = "A list price is required."
            prices[name] = None
            continue
        try:
            price = Decimal(str(raw)).quantize(Decimal("0.01"))
        except ArithmeticError:
            errors[name] = "Enter a number."
            continue
        if price < 0:
            errors[name] = "A price cannot be negative."
        prices[name] = price
    if errors:
        raise ValidationError(errors)
    return prices


def record_price_changes(
    actor: Any, vehicle: Vehicle, before: dict[str, Any], reason: str
) -> list[str]:
    changed = [name for name in PRICE_FIELDS if getattr(vehicle, name) != before[name]]
    VehiclePriceChange.objects.bulk_create(
        VehiclePriceChange(
            vehicle=vehicle,
            changed_by=actor if getattr(actor, "is_authenticated", False) else None,
            field=name,
            old_price=before[name],
            new_price=getattr(vehicle, name),
            reason=reason[:200],
        )
        for name in changed
    )
    return changed


def acting_user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def transition(
    actor: Any, vehicle: Vehicle, to_status: Status, reason: str, *, via_hold: bool = False
) -> None:
    """Move a locked vehicle to `to_status` if legal; record it. No save of version."""
    from_status = Status(vehicle.status)
    if to_status == from_status:
        raise ValidationError({"status": f"The vehicle is already {from_status.label.lower()}."})
    if to_status not in TRANSITIONS[from_status]:
        allowed = ", ".join(s.label.lower() for s in sorted(TRANSITIONS[from_status])) or "none"
        raise ValidationError(
            {
                "status": (
                    f"A vehicle cannot go from {from_status.label.lower()} to "
                    f"{to_status.label.lower()} (allowed: {allowed})."
                )
            }
        )
    if to_status == Status.ON_HOLD and not via_hold:
        raise ValidationError(
            {"status": "Place a hold (deal and expiry) to put a vehicle on hold."}
        )
    if from_status in UNWIND_FROM and to_status == Status.AVAILABLE and not reason.strip():
        raise ValidationError({"reason": "Say why the sale is unwound."})
    if from_status == Status.ON_HOLD:
        outcome = "sold" if to_status == Status.SOLD else (reason or "released")
        VehicleHold.objects.filter(vehicle=vehicle, released_at__isnull=True).update(
            released_at=timezone.now(), release_reason=outcome[:200]
        )
    now = timezone.now()
    if to_status in (Status.SOLD, Status.WHOLESALE, Status.REMOVED):
        vehicle.sold_at = vehicle.sold_at or now
    elif to_status == Status.AVAILABLE:
        vehicle.sold_at = None
    vehicle.status = to_status
    if to_status in ACTIVE_STATUSES and from_status not in ACTIVE_STATUSES:
        clean_vehicle(vehicle)  # an unwound unit must not collide with a newer unit of the same VIN
    VehicleStatusChange.objects.create(
        vehicle=vehicle,
        changed_by=acting_user(actor),
        from_status=from_status,
        to_status=to_status,
        reason=reason[:200],
    )

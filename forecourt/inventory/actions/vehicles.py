"""Receiving vehicles and changing their details, prices and status."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from forecourt.accounts.models import Rooftop
from forecourt.core import audit
from forecourt.core.permissions import require_permission
from forecourt.inventory.actions.pricing import check_floor_price
from forecourt.inventory.actions.receipts import record_receipts
from forecourt.inventory.actions.rules import (
    EDITABLE_FIELDS,
    PRICE_FIELDS,
    RECEIVE_FIELDS,
    check_version,
    clean_vehicle,
    lock_vehicle,
    record_price_changes,
    require_rooftop,
    save_vehicle,
    transition,
    validate_prices,
    validate_vin,
)
from forecourt.inventory.actions.stock_numbers import next_stock_number
from forecourt.inventory.actions.validation import checked_fields, clean_given
from forecourt.inventory.models import (
    OdometerBrand,
    Status,
    Vehicle,
)

# The statuses a unit may arrive in; the others are reached through its life on the lot.
RECEIVING_STATUSES = frozenset({Status.INCOMING, Status.IN_RECONDITIONING, Status.AVAILABLE})


def prepare_vehicle(
    actor: Any,
    *,
    rooftop: Rooftop,
    check_access: bool = True,
    check_unique: bool = True,
    confirm_floor_above_list: bool = False,
    **fields: Any,
) -> Vehicle:
    """Apply receive_vehicle's rules without writing: an unsaved, validated Vehicle.

    A floor price above the list price is refused or needs `confirm_floor_above_list`,
    by the rooftop's price policy.

    `check_access=False` lets a caller that already checked permission and rooftop once
    (a CSV import) skip the per-row queries; `check_unique=False` skips the database
    uniqueness queries (the caller checks VINs in bulk, the constraints still hold).
    The vehicle carries `vin_warnings`; a blank stock number is generated on write.
    The ValidationError names every invalid field at once (VIN, prices, status and the
    model's field checks), so a form or an import row reports all its problems together.
    """
    if check_access:
        require_permission(actor, "inventory.add_vehicle")
        require_rooftop(actor, rooftop.pk)
    given = frozenset(fields)
    unknown = given - RECEIVE_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "Unknown field."))
    errors: dict[str, Any] = {}
    raw_vin = fields.pop("vin", "")
    try:
        vin, warnings = validate_vin(raw_vin)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
        vin, warnings = "", []
    prices: dict[str, Decimal | None] = {}
    try:
        prices = validate_prices({"list_price": fields.pop("list_price", Decimal("0")), **fields})
        check_floor_price(
            rooftop.pk,
            prices.get("list_price"),
            prices.get("floor_price"),
            confirmed=confirm_floor_above_list,
        )
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    for name in PRICE_FIELDS:
        fields.pop(name, None)
    raw_status = fields.pop("status", Status.INCOMING)
    try:
        status = Status(raw_status)
    except ValueError:
        errors["status"] = [f"{raw_status!r} is not a status."]
        status = Status.INCOMING
    if status not in RECEIVING_STATUSES:
        errors["status"] = ["A received vehicle starts incoming, in recon or available."]
        status = Status.INCOMING
    stock_number = (fields.pop("stock_number", "") or "").strip()
    vehicle = Vehicle(rooftop_id=rooftop.pk, vin=vin, status=status, **prices, **fields)
    # The caller's rooftop, cached as `rooftop=rooftop` would (vehicle.rooftop needs no
    # query), without the descriptor's checks that cost a fifth of building the object.
    Vehicle.rooftop.field.set_cached_value(vehicle, rooftop)
    vehicle.stock_number = stock_number or "pending"
    try:
        if check_unique:
            vehicle.full_clean(exclude=list(errors) or None)
        else:
            checked = checked_fields(given)
            if errors:  # a field already refused above is not checked (nor reported) again
                checked = tuple(f for f in checked if f.name not in errors)
            clean_given(vehicle, checked)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    vehicle.stock_number = stock_number
    vehicle.vin_warnings = warnings  # type: ignore[attr-defined]
    return vehicle


@transaction.atomic
def receive_vehicle(actor: Any, *, rooftop: Rooftop, **fields: Any) -> Vehicle:
    """Take a unit into stock. Returns it with `vin_warnings` (non-blocking remarks)."""
    vehicle = prepare_vehicle(actor, rooftop=rooftop, **fields)
    warnings = vehicle.vin_warnings  # type: ignore[attr-defined]
    if not vehicle.stock_number:
        vehicle.stock_number = next_stock_number(rooftop, vehicle.vin)
    try:
        with transaction.atomic():
            vehicle.save()
    except IntegrityError:
        raise ValidationError(
            {"vin": "An active vehicle with this VIN or stock number was just received."}
        ) from None
    record_receipts(actor, [vehicle])
    vehicle.vin_warnings = warnings  # type: ignore[attr-defined]
    return vehicle


@transaction.atomic
def update_vehicle(
    actor: Any, vehicle: Vehicle | int, *, expected_version: int | None = None, **fields: Any
) -> Vehicle:
    """Change a unit's details. A stale `expected_version` raises VersionConflict."""
    locked = lock_vehicle(actor, vehicle, "inventory.change_vehicle")
    check_version(locked, expected_version)
    price_values = {name: fields.pop(name) for name in PRICE_FIELDS if name in fields}
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    before = audit.snapshot(locked)
    if "vin" in fields:
        fields["vin"], _warnings = validate_vin(fields["vin"])
    new_odometer = fields.get("odometer", locked.odometer)
    new_brand = fields.get("odometer_brand", locked.odometer_brand)
    if (
        new_odometer is not None
        and new_odometer < locked.odometer
        and new_brand == OdometerBrand.ACTUAL
    ):
        raise ValidationError(
            {
                "odometer": (
                    f"The odometer cannot go down ({locked.odometer} -> {new_odometer}) "
                    "while branded actual mileage. Correct the brand (not actual / exceeds "
                    "mechanical limits) if the reading is right."
                )
            }
        )
    for name, value in fields.items():
        setattr(locked, name, value)
    changed_prices: list[str] = []
    if price_values:
        require_permission(actor, "inventory.change_vehicle_price")
        prices_before = {name: getattr(locked, name) for name in PRICE_FIELDS}
        for name, value in validate_prices(price_values).items():
            setattr(locked, name, value)
        clean_vehicle(locked)
        changed_prices = record_price_changes(actor, locked, prices_before, "edited")
    else:
        clean_vehicle(locked)
    changes = audit.diff(before, audit.snapshot(locked))
    if not changes:
        return locked
    save_vehicle(locked, [*fields, *changed_prices])
    audit.record(actor, "inventory.update_vehicle", locked, changes)
    return locked


@transaction.atomic
def change_price(
    actor: Any,
    vehicle: Vehicle | int,
    *,
    reason: str = "",
    expected_version: int | None = None,
    confirm_floor_above_list: bool = False,
    **prices: Any,
) -> Vehicle:
    """Set any of list_price / internet_price / floor_price; each change joins the history.
    A floor price above the list price is refused or needs `confirm_floor_above_list`, by
    the rooftop's price policy."""
    locked = lock_vehicle(actor, vehicle, "inventory.change_vehicle_price")
    check_version(locked, expected_version)
    unknown = set(prices) - set(PRICE_FIELDS)
    if unknown or not prices:
        raise ValidationError({"list_price": "Give at least one of the three prices."})
    before = {name: getattr(locked, name) for name in PRICE_FIELDS}
    for name, value in validate_prices(prices).items():
        setattr(locked, name, value)
    if {"list_price", "floor_price"} & set(prices):
        check_floor_price(
            locked.rooftop_id,
            locked.list_price,
            locked.floor_price,
            confirmed=confirm_floor_above_list,
        )
    # Only prices change: the VIN, stock number and rooftop checks (five queries) cannot
    # fail now if they passed before; the price check constraint is validate_prices's.
    clean_vehicle(locked, only=PRICE_FIELDS)
    changed = record_price_changes(actor, locked, before, reason)
    if not changed:
        return locked
    save_vehicle(locked, changed)
    audit.record(
        actor,
        "inventory.change_price",
        locked,
        {
            name: [audit.jsonable(before[name]), audit.jsonable(getattr(locked, name))]
            for name in changed
        },
    )
    return locked


@transaction.atomic
def record_odometer(actor: Any, vehicle: Vehicle | int, reading: int, *, reason: str) -> Vehicle:
    """A new odometer reading (a test drive coming back, a delivery check). An odometer
    never goes back: a reading below the vehicle's is refused (a rolled-back or mistyped
    reading is corrected with the odometer brand on the vehicle's edit form)."""
    locked = lock_vehicle(actor, vehicle, "inventory.record_vehicle_odometer")
    if reading < locked.odometer:
        raise ValidationError(
            {
                "odometer": (
                    f"The vehicle's odometer already reads {locked.odometer:,}; "
                    f"a reading of {reading:,} cannot be lower."
                )
            }
        )
    if reading == locked.odometer:
        return locked
    before = locked.odometer
    locked.odometer = reading
    save_vehicle(locked, ["odometer"])
    audit.record(
        actor, "inventory.record_odometer", locked,
        {"odometer": [before, reading], "reason": [None, reason]},
    )  # fmt: skip
    return locked


@transaction.atomic
def change_status(
    actor: Any,
    vehicle: Vehicle | int,
    *,
    to_status: Status | str,
    reason: str = "",
    expected_version: int | None = None,
) -> Vehicle:
    locked = lock_vehicle(actor, vehicle, "inventory.change_vehicle_status")
    check_version(locked, expected_version)
    try:
        target = Status(to_status)
    except ValueError:
        raise ValidationError({"status": f"Unknown status {to_status!r}."}) from None
    from_status = locked.status
    transition(actor, locked, target, reason)
    save_vehicle(locked, ["status", "sold_at"])
    audit.record(
        actor,
        "inventory.change_status",
        locked,
        {"status": [from_status, target.value], **({"reason": [None, reason]} if reason else {})},
    )
    return locked

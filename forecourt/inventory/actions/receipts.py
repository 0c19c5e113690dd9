"""What receiving vehicles writes besides the vehicles: the "received" status row, the
initial prices and the audit entry of each; and the bulk receive of a CSV import."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from forecourt.accounts.models import Rooftop
from forecourt.core import audit
from forecourt.core.db import bulk
from forecourt.core.models import AuditEntry
from forecourt.core.permissions import require_permission
from forecourt.inventory.actions.rules import PRICE_FIELDS, acting_user, require_rooftop
from forecourt.inventory.actions.stock_numbers import next_stock_numbers
from forecourt.inventory.models import (
    Vehicle,
    VehiclePriceChange,
    VehicleStatusChange,
)


def record_receipts(actor: Any, vehicles: list[Vehicle]) -> None:
    """The "received" status row, initial price rows and audit entry of each new vehicle,
    in three COPYs (core/db/bulk.py) however many vehicles there are.

    Rows are plain values, not model instances: building ~4 instances per vehicle and
    compiling their INSERTs cost more than everything else in a CSV import."""
    user_id = getattr(acting_user(actor), "pk", None)
    now = timezone.now()
    bulk.copy_rows(
        VehicleStatusChange,
        [
            {
                "vehicle_id": v.pk, "changed_at": now, "changed_by_id": user_id,
                "from_status": "", "to_status": v.status, "reason": "received",
            }
            for v in vehicles
        ],
    )  # fmt: skip
    bulk.copy_rows(
        VehiclePriceChange,
        [
            {
                "vehicle_id": v.pk, "changed_at": now, "changed_by_id": user_id,
                "field": name, "old_price": None, "new_price": getattr(v, name),
                "reason": "initial price",
            }
            for v in vehicles
            if v.list_price or v.internet_price or v.floor_price
            for name in PRICE_FIELDS
            if getattr(v, name) is not None
        ],
    )  # fmt: skip
    audited = [f.attname for f in Vehicle._meta.concrete_fields if not f.primary_key]
    bulk.copy_rows(
        AuditEntry,
        audit.entry_rows(
            actor,
            "inventory.receive_vehicle",
            [(v, audit.created(v, audited)) for v in vehicles],
        ),
    )


@transaction.atomic
def bulk_receive_vehicles(actor: Any, rooftop: Rooftop, vehicles: list[Vehicle]) -> list[Vehicle]:
    """Write vehicles made by prepare_vehicle, all or none, each recorded and audited.

    The database constraints (active VIN, stock number per rooftop) are the final check:
    a clash raises ValidationError and nothing of the batch is written.
    """
    require_permission(actor, "inventory.add_vehicle")
    require_rooftop(actor, rooftop.pk)
    if any(vehicle.rooftop_id != rooftop.pk for vehicle in vehicles):
        raise ValidationError({"rooftop": "Every vehicle of a batch joins the same rooftop."})
    blanks = [vehicle for vehicle in vehicles if not vehicle.stock_number]
    numbers = next_stock_numbers(rooftop, [vehicle.vin for vehicle in blanks])
    for vehicle, number in zip(blanks, numbers, strict=True):
        vehicle.stock_number = number
    try:
        with transaction.atomic():
            # One COPY with ids taken from the sequence first (Vehicle has no auto_now field
            # or other pre_save work, so its attribute values are what bulk_create writes).
            created = bulk.insert_objects(vehicles)
    except IntegrityError:
        raise ValidationError(
            {"vin": "A vehicle of this batch clashes with an active VIN or a stock number."}
        ) from None
    record_receipts(actor, created)
    return created

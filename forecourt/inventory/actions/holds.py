"""Holds: a unit kept for one deal until it is sold, released or the hold expires."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from forecourt.core import audit
from forecourt.inventory.actions.rules import acting_user, lock_vehicle, save_vehicle, transition
from forecourt.inventory.models import (
    Status,
    Vehicle,
    VehicleHold,
)

DEFAULT_HOLD = timedelta(hours=48)
MAX_HOLD = timedelta(days=14)


def release_expired_holds_of(vehicle: Vehicle, now: datetime) -> None:
    VehicleHold.objects.filter(
        vehicle=vehicle, released_at__isnull=True, expires_at__lte=now
    ).update(released_at=now, release_reason="expired")


@transaction.atomic
def hold_vehicle(
    actor: Any,
    vehicle: Vehicle | int,
    *,
    deal_reference: str,
    customer_name: str = "",
    expires_at: datetime | None = None,
) -> VehicleHold:
    """Hold a unit for one deal. A second deal is refused while the hold lasts; the
    unique constraint backs this up even if two processes race past the row lock."""
    locked = lock_vehicle(actor, vehicle, "inventory.hold_vehicle")
    now = timezone.now()
    deal_reference = (deal_reference or "").strip()
    errors: dict[str, str] = {}
    if not deal_reference:
        errors["deal_reference"] = "Say which deal holds the vehicle."
    expires_at = expires_at or now + DEFAULT_HOLD
    if expires_at <= now:
        errors["expires_at"] = "A hold must expire in the future."
    elif expires_at > now + MAX_HOLD:
        errors["expires_at"] = f"A hold lasts at most {MAX_HOLD.days} days."
    if errors:
        raise ValidationError(errors)
    release_expired_holds_of(locked, now)
    current = VehicleHold.objects.filter(vehicle=locked, released_at__isnull=True).first()
    if current is not None:
        raise ValidationError(
            {
                "deal_reference": (
                    f"Already on hold for deal {current.deal_reference} until "
                    f"{timezone.localtime(current.expires_at):%Y-%m-%d %H:%M}."
                )
            }
        )
    if locked.status not in (Status.AVAILABLE, Status.ON_HOLD):
        raise ValidationError(
            {"status": f"Only an available vehicle can be held (this one is {locked.status})."}
        )
    try:
        with transaction.atomic():
            hold = VehicleHold.objects.create(
                vehicle=locked,
                deal_reference=deal_reference[:64],
                customer_name=customer_name[:120],
                expires_at=expires_at,
                created_by=acting_user(actor),
            )
    except IntegrityError:
        raise ValidationError(
            {"deal_reference": "This vehicle is already on hold for another deal."}
        ) from None
    if locked.status == Status.AVAILABLE:
        transition(actor, locked, Status.ON_HOLD, f"hold for {deal_reference}", via_hold=True)
    save_vehicle(locked, ["status"])
    audit.record(
        actor,
        "inventory.hold_vehicle",
        locked,
        {
            "hold": [None, deal_reference],
            "customer_name": [None, customer_name],
            "expires_at": [None, expires_at.isoformat()],
        },
    )
    return hold


@transaction.atomic
def release_hold(actor: Any, vehicle: Vehicle | int, *, reason: str = "") -> VehicleHold:
    locked = lock_vehicle(actor, vehicle, "inventory.hold_vehicle")
    hold = VehicleHold.objects.filter(vehicle=locked, released_at__isnull=True).first()
    if hold is None:
        raise ValidationError({"hold": "This vehicle is not on hold."})
    hold.released_at = timezone.now()
    hold.release_reason = (reason or "released")[:200]
    hold.save(update_fields=["released_at", "release_reason"])
    if locked.status == Status.ON_HOLD:
        transition(actor, locked, Status.AVAILABLE, reason or "hold released")
    save_vehicle(locked, ["status", "sold_at"])
    audit.record(actor, "inventory.release_hold", locked, {"hold": [hold.deal_reference, None]})
    return hold


def release_expired_holds(now: datetime | None = None) -> int:
    """Scheduled (inventory.apps): end every hold past its expiry and put its vehicle back
    on sale. The system is the actor; each vehicle in its own transaction, row locked, so a
    concurrent hold or sale of the same unit waits and then sees the result."""
    now = now or timezone.now()
    expired = VehicleHold.objects.filter(released_at__isnull=True, expires_at__lte=now)
    released = 0
    for vehicle_id in expired.values_list("vehicle_id", flat=True).distinct().iterator():
        with transaction.atomic():
            vehicle = Vehicle.objects.select_for_update().get(pk=vehicle_id)
            holds = VehicleHold.objects.filter(
                vehicle=vehicle, released_at__isnull=True, expires_at__lte=now
            )
            references = list(holds.values_list("deal_reference", flat=True))
            if not references:
                continue  # released or re-held meanwhile
            holds.update(released_at=now, release_reason="expired")
            active = VehicleHold.objects.filter(vehicle=vehicle, released_at__isnull=True)
            if vehicle.status == Status.ON_HOLD and not active.exists():
                transition(None, vehicle, Status.AVAILABLE, "hold expired")
                save_vehicle(vehicle, ["status", "sold_at"])
            audit.record(
                None, "inventory.expire_hold", vehicle, {"hold": [", ".join(references), None]}
            )
            released += 1
    return released

"""Changes to many vehicles at once from the list page: publish, move rooftop, status."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from forecourt.accounts.models import Rooftop
from forecourt.core import audit
from forecourt.core.permissions import require_permission
from forecourt.inventory.actions.rules import require_rooftop, save_vehicle, transition
from forecourt.inventory.models import (
    Status,
    Vehicle,
)


@dataclass
class BulkResult:
    changed: list[int] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)


def locked_visible_rows(actor: Any, vehicle_ids: Iterable[int]) -> list[Vehicle]:
    ids = sorted(set(vehicle_ids))
    # Visible rows only, locked in id order (a fixed order cannot deadlock another bulk run).
    rows = list(
        Vehicle.objects.for_user(actor, "view")
        .filter(pk__in=ids)
        .order_by("pk")
        .select_for_update()
    )
    return rows


@transaction.atomic
def bulk_set_published(actor: Any, vehicle_ids: Iterable[int], published: bool) -> BulkResult:
    require_permission(actor, "inventory.change_vehicle")
    result = BulkResult()
    for vehicle in locked_visible_rows(actor, vehicle_ids):
        if vehicle.is_published == published:
            result.skipped[vehicle.pk] = "already " + ("published" if published else "unpublished")
            continue
        vehicle.is_published = published
        save_vehicle(vehicle, ["is_published"])
        audit.record(
            actor,
            "inventory.bulk_set_published",
            vehicle,
            {"is_published": [not published, published]},
        )
        result.changed.append(vehicle.pk)
    return result


@transaction.atomic
def bulk_move_rooftop(actor: Any, vehicle_ids: Iterable[int], rooftop: Rooftop) -> BulkResult:
    require_permission(actor, "inventory.change_vehicle")
    require_rooftop(actor, rooftop.pk)
    result = BulkResult()
    for vehicle in locked_visible_rows(actor, vehicle_ids):
        if vehicle.rooftop_id == rooftop.pk:
            result.skipped[vehicle.pk] = "already there"
            continue
        if Vehicle.objects.filter(rooftop=rooftop, stock_number=vehicle.stock_number).exists():
            result.skipped[vehicle.pk] = f"stock number {vehicle.stock_number} is taken there"
            continue
        before = vehicle.rooftop_id
        vehicle.rooftop = rooftop
        save_vehicle(vehicle, ["rooftop"])
        audit.record(
            actor, "inventory.bulk_move_rooftop", vehicle, {"rooftop_id": [before, rooftop.pk]}
        )
        result.changed.append(vehicle.pk)
    return result


@transaction.atomic
def bulk_change_status(
    actor: Any, vehicle_ids: Iterable[int], to_status: Status | str, reason: str = ""
) -> BulkResult:
    """Move every vehicle for which the move is legal; say why the others were skipped."""
    require_permission(actor, "inventory.change_vehicle_status")
    target = Status(to_status)
    result = BulkResult()
    for vehicle in locked_visible_rows(actor, vehicle_ids):
        from_status = vehicle.status
        try:
            with transaction.atomic():
                transition(actor, vehicle, target, reason)
        except ValidationError as error:
            result.skipped[vehicle.pk] = "; ".join(error.messages)
            vehicle.status = from_status
            continue
        save_vehicle(vehicle, ["status", "sold_at"])
        audit.record(
            actor, "inventory.bulk_change_status", vehicle, {"status": [from_status, target.value]}
        )
        result.changed.append(vehicle.pk)
    return result

"""Every write to reconditioning: a rooftop's stages, a vehicle's way through them, its
work items. Reaching the front line makes the vehicle available (inventory's action);
a work item's actual cost posts to the vehicle's added costs once (inventory's action)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from forecourt.accounts.models import Rooftop
from forecourt.core import audit
from forecourt.core.concurrency import VersionConflict
from forecourt.core.permissions import require_permission
from forecourt.inventory import actions as inventory
from forecourt.inventory.models import CostKind, Status, Vehicle
from forecourt.purchasing.common import check_version, money, require_rooftop, user_or_none
from forecourt.purchasing.recon.models import (
    ReconOrder,
    ReconSettings,
    ReconStage,
    ReconStageVisit,
    WorkItem,
    WorkItemStatus,
)

__all__ = [
    "ReconVersionConflict",
    "add_work_item",
    "complete_work_item",
    "configure_stage",
    "decide_work_item",
    "ensure_stages",
    "move_to_stage",
    "set_approval_limit",
    "start_recon",
    "update_stage_visit",
]

DEFAULT_STAGES = (
    ("inspection", "Inspection"),
    ("mechanical", "Mechanical"),
    ("body", "Body"),
    ("detail", "Detail"),
    ("photos", "Photos"),
    ("front_line", "Front line"),
)
OPEN_ITEMS = (WorkItemStatus.AWAITING_APPROVAL, WorkItemStatus.APPROVED)


class ReconVersionConflict(VersionConflict):
    record_name = "reconditioning"


def ensure_stages(rooftop: Rooftop) -> list[ReconStage]:
    """The rooftop's stages; the six defaults the first time (not an audited change: the
    same for every rooftop until someone configures them)."""
    stages = list(ReconStage.objects.filter(rooftop=rooftop).order_by("position", "id"))
    if stages:
        return stages
    ReconStage.objects.bulk_create(
        [
            ReconStage(
                rooftop=rooftop, key=key, name=name, position=n, is_front_line=key == "front_line"
            )
            for n, (key, name) in enumerate(DEFAULT_STAGES, start=1)
        ],
        ignore_conflicts=True,
    )
    return list(ReconStage.objects.filter(rooftop=rooftop).order_by("position", "id"))


@transaction.atomic
def configure_stage(
    actor: Any,
    rooftop: Rooftop,
    *,
    key: str,
    name: str,
    position: int,
    due_days: int = 2,
    default_owner: Any = None,
) -> ReconStage:
    """Add or rename a stage, or move it; the front line stays the last one."""
    require_permission(actor, "purchasing.change_reconstage")
    require_rooftop(actor, rooftop.pk)
    ensure_stages(rooftop)
    stage = ReconStage.objects.filter(rooftop=rooftop, key=key).first() or ReconStage(
        rooftop=rooftop, key=key
    )
    before = audit.snapshot(stage) if stage.pk else {}
    stage.name, stage.position, stage.due_days, stage.default_owner = (
        name,
        position,
        due_days,
        default_owner,
    )
    stage.full_clean()
    front = ReconStage.objects.filter(rooftop=rooftop, is_front_line=True).exclude(pk=stage.pk)
    if not stage.is_front_line and front.filter(position__lte=position).exists():
        raise ValidationError({"position": "The front line is the last stage."})
    stage.save()
    audit.record(
        actor, "purchasing.configure_stage", stage, audit.diff(before, audit.snapshot(stage))
    )
    return stage


@transaction.atomic
def set_approval_limit(actor: Any, rooftop: Rooftop, limit: Any) -> ReconSettings:
    require_permission(actor, "purchasing.change_reconstage")
    require_rooftop(actor, rooftop.pk)
    row, _ = ReconSettings.objects.get_or_create(rooftop=rooftop)
    before = str(row.approval_limit)
    row.approval_limit = money(limit, "approval_limit")
    row.save()
    audit.record(
        actor,
        "purchasing.set_approval_limit",
        row,
        {"approval_limit": [before, str(row.approval_limit)]},
        rooftop_id=rooftop.pk,
    )
    return row


def _lock_order(actor: Any, order: ReconOrder | int, permission: str) -> ReconOrder:
    require_permission(actor, permission)
    locked = (
        ReconOrder.objects.select_for_update()
        .select_related("vehicle", "stage")
        .get(pk=getattr(order, "pk", order))
    )
    require_rooftop(actor, locked.vehicle.rooftop_id)
    return locked


def _enter(
    order: ReconOrder, stage: ReconStage, on: date, owner: Any, due_on: date | None, notes: str
) -> None:
    ReconStageVisit.objects.filter(order=order, left_on__isnull=True).update(left_on=on)
    ReconStageVisit.objects.create(
        order=order,
        stage=stage,
        owner=owner or stage.default_owner,
        due_on=due_on,
        notes=notes,
        entered_on=on,
    )
    order.stage = stage


@transaction.atomic
def start_recon(
    actor: Any, vehicle: Vehicle | int, *, started_on: date | None = None
) -> ReconOrder:
    """Put a vehicle into reconditioning at the rooftop's first stage (inventory moves it to
    "in reconditioning")."""
    require_permission(actor, "purchasing.add_reconorder")
    unit = Vehicle.objects.get(pk=getattr(vehicle, "pk", vehicle))
    require_rooftop(actor, unit.rooftop_id)
    if ReconOrder.objects.filter(vehicle=unit).exists():
        raise ValidationError({"vehicle": "This vehicle is already in reconditioning."})
    if unit.status not in (Status.INCOMING, Status.AVAILABLE):
        raise ValidationError(
            {"vehicle": f"A {unit.get_status_display().lower()} vehicle cannot start recon."}
        )
    stages = ensure_stages(unit.rooftop)
    first = stages[0]
    on = started_on or timezone.localdate()
    order = ReconOrder.objects.create(vehicle=unit, stage=first, started_on=on)
    _enter(order, first, on, None, None, "")
    inventory.change_status(actor, unit, to_status=Status.IN_RECONDITIONING, reason="recon started")
    audit.record(
        actor,
        "purchasing.start_recon",
        order,
        {"stage": [None, first.key]},
        rooftop_id=unit.rooftop_id,
    )
    return order


@transaction.atomic
def move_to_stage(
    actor: Any,
    order: ReconOrder | int,
    stage_key: str,
    *,
    owner: Any = None,
    due_on: date | None = None,
    notes: str = "",
    on: date | None = None,
    expected_version: int | None = None,
) -> ReconOrder:
    """Move the vehicle to another stage. The front line needs every work item done or
    declined, and makes the vehicle available through inventory."""
    locked = _lock_order(actor, order, "purchasing.change_reconorder")
    check_version(locked.version, expected_version, ReconVersionConflict)
    if locked.front_line_on is not None:
        raise ValidationError({"stage": "This vehicle is already on the front line."})
    stage = ReconStage.objects.filter(rooftop_id=locked.vehicle.rooftop_id, key=stage_key).first()
    if stage is None:
        raise ValidationError({"stage": f"No stage {stage_key!r} at this rooftop."})
    if stage.pk == locked.stage_id:
        raise ValidationError({"stage": f"The vehicle is already in {stage.name.lower()}."})
    on = on or timezone.localdate()
    before = locked.stage.key
    if stage.is_front_line:
        unfinished = locked.work_items.filter(status__in=OPEN_ITEMS).count()
        if unfinished:
            raise ValidationError({"stage": f"{unfinished} work item(s) are not finished yet."})
        locked.front_line_on = on
        inventory.change_status(
            actor, locked.vehicle, to_status=Status.AVAILABLE, reason="front line"
        )
    _enter(locked, stage, on, owner, due_on, notes)
    locked.version += 1
    locked.save(update_fields=["stage", "front_line_on", "version"])
    audit.record(
        actor,
        "purchasing.move_to_stage",
        locked,
        {"stage": [before, stage.key]},
        rooftop_id=locked.vehicle.rooftop_id,
    )
    return locked


@transaction.atomic
def update_stage_visit(
    actor: Any,
    order: ReconOrder | int,
    *,
    owner: Any = None,
    due_on: date | None = None,
    notes: str | None = None,
) -> ReconStageVisit:
    """The current stage's owner, due date and notes."""
    locked = _lock_order(actor, order, "purchasing.change_reconorder")
    visit = locked.visits.get(left_on__isnull=True)
    before = audit.snapshot(visit, ["owner_id", "due_on", "notes"])
    visit.owner = owner
    visit.due_on = due_on
    if notes is not None:
        visit.notes = notes
    visit.save()
    audit.record(
        actor,
        "purchasing.update_stage_visit",
        locked,
        audit.diff(before, audit.snapshot(visit, ["owner_id", "due_on", "notes"])),
        rooftop_id=locked.vehicle.rooftop_id,
    )
    return visit


@transaction.atomic
def add_work_item(
    actor: Any, order: ReconOrder | int, *, description: str, estimate: Any, vendor: str = ""
) -> WorkItem:
    """A job in the current stage; above the rooftop's approval limit it waits for approval."""
    locked = _lock_order(actor, order, "purchasing.add_workitem")
    if not (description or "").strip():
        raise ValidationError({"description": "Say what the work is."})
    amount = money(estimate, "estimate")
    settings_row, _ = ReconSettings.objects.get_or_create(rooftop_id=locked.vehicle.rooftop_id)
    needs_approval = amount > settings_row.approval_limit
    item = WorkItem.objects.create(
        order=locked,
        stage=locked.stage,
        description=description.strip()[:200],
        vendor=vendor[:120],
        estimate=amount,
        status=WorkItemStatus.AWAITING_APPROVAL if needs_approval else WorkItemStatus.APPROVED,
    )
    audit.record(
        actor,
        "purchasing.add_work_item",
        item,
        audit.created(item),
        rooftop_id=locked.vehicle.rooftop_id,
    )
    return item


def _lock_item(actor: Any, item: WorkItem | int, permission: str) -> WorkItem:
    require_permission(actor, permission)
    locked = (
        WorkItem.objects.select_for_update()
        .select_related("order__vehicle")
        .get(pk=getattr(item, "pk", item))
    )
    require_rooftop(actor, locked.order.vehicle.rooftop_id)
    return locked


@transaction.atomic
def decide_work_item(actor: Any, item: WorkItem | int, *, approve: bool) -> WorkItem:
    locked = _lock_item(actor, item, "purchasing.approve_workitem")
    if locked.status != WorkItemStatus.AWAITING_APPROVAL:
        raise ValidationError({"status": "This work item is not waiting for approval."})
    locked.status = WorkItemStatus.APPROVED if approve else WorkItemStatus.DECLINED
    locked.approved_by = user_or_none(actor)
    locked.save(update_fields=["status", "approved_by"])
    audit.record(
        actor,
        "purchasing.decide_work_item",
        locked,
        {"status": ["awaiting_approval", locked.status]},
        rooftop_id=locked.order.vehicle.rooftop_id,
    )
    return locked


@transaction.atomic
def complete_work_item(
    actor: Any, item: WorkItem | int, *, actual: Any, on: date | None = None
) -> WorkItem:
    """Finish a job at its actual cost, which posts to the vehicle's added costs once: a
    repeat of the same completion changes nothing; a different amount is refused."""
    locked = _lock_item(actor, item, "purchasing.change_workitem")
    amount = money(actual, "actual")
    if locked.posted_cost_id is not None:
        if locked.actual == amount:
            return locked
        raise ValidationError(
            {"actual": f"Already done at {locked.actual} and posted to the vehicle's costs."}
        )
    if locked.status != WorkItemStatus.APPROVED:
        raise ValidationError(
            {"status": f"A work item {locked.get_status_display().lower()} cannot be done."}
        )
    cost = inventory.add_cost(
        actor,
        locked.order.vehicle_id,
        kind=CostKind.RECONDITIONING,
        amount=amount,
        vendor=locked.vendor,
        incurred_on=on or timezone.localdate(),
        description=f"Recon: {locked.description}"[:200],
    )
    locked.actual = amount
    locked.status = WorkItemStatus.DONE
    locked.posted_cost = cost
    locked.save(update_fields=["actual", "status", "posted_cost"])
    audit.record(
        actor,
        "purchasing.complete_work_item",
        locked,
        {"actual": [None, str(amount)]},
        rooftop_id=locked.order.vehicle.rooftop_id,
    )
    return locked

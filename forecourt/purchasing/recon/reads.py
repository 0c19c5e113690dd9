"""Recon reads: the board by stage, and the numbers a recon manager runs the week on
(time-to-line per vehicle and stage, the bottleneck, cost against estimate)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from forecourt.accounts.models import Rooftop
from forecourt.purchasing.recon.actions import ensure_stages
from forecourt.purchasing.recon.models import ReconOrder, ReconStage, WorkItem, WorkItemStatus
from forecourt.purchasing.recon.timing import (
    Duration,
    StageAverage,
    StageSpan,
    bottleneck,
    stage_averages,
    stage_durations,
    time_to_line,
)

ZERO = Decimal("0.00")


@dataclass
class BoardColumn:
    stage: ReconStage
    orders: list[ReconOrder]


def board(user: Any, rooftop: Rooftop) -> list[BoardColumn]:
    """Every stage of the rooftop with the vehicles in it (the front line: the last 20)."""
    stages = ensure_stages(rooftop)
    orders = (
        ReconOrder.objects.for_user(user, "view")
        .filter(vehicle__rooftop=rooftop)
        .select_related("vehicle", "stage")
        .prefetch_related("visits")
    )
    by_stage: dict[int, list[ReconOrder]] = {s.pk: [] for s in stages}
    for order in orders.filter(front_line_on__isnull=True):
        by_stage.setdefault(order.stage_id, []).append(order)
    front = [s for s in stages if s.is_front_line]
    if front:
        recent = orders.filter(front_line_on__isnull=False).order_by("-front_line_on", "-id")[:20]
        by_stage[front[0].pk] = list(recent)
    return [BoardColumn(stage, by_stage.get(stage.pk, [])) for stage in stages]


def spans_of(order: ReconOrder) -> list[StageSpan]:
    return [
        StageSpan(visit.stage.key, visit.entered_on, visit.left_on)
        for visit in order.visits.select_related("stage")
        if not visit.stage.is_front_line
    ]


@dataclass
class VehicleTiming:
    order: ReconOrder
    to_line: Duration
    stages: dict[str, Duration]
    estimate: Decimal
    actual: Decimal


def vehicle_timing(order: ReconOrder, today: date | None = None) -> VehicleTiming:
    today = today or timezone.localdate()
    items = order.work_items.exclude(status=WorkItemStatus.DECLINED)
    totals = items.aggregate(estimate=Sum("estimate"), actual=Sum("actual"))
    return VehicleTiming(
        order=order,
        to_line=time_to_line(order.started_on, order.front_line_on, today),
        stages=stage_durations(spans_of(order), today),
        estimate=totals["estimate"] or ZERO,
        actual=totals["actual"] or ZERO,
    )


@dataclass
class ReconReport:
    vehicles: list[VehicleTiming]
    stages: list[StageAverage]
    bottleneck: str | None
    estimate: Decimal
    actual: Decimal

    @property
    def over_estimate(self) -> Decimal:
        return self.actual - self.estimate


def recon_report(
    user: Any, rooftop: Rooftop, since: date, today: date | None = None
) -> ReconReport:
    """Vehicles that started recon on or after `since`: their time to line and costs."""
    stages = ensure_stages(rooftop)
    orders = ReconOrder.objects.for_user(user, "view").filter(
        vehicle__rooftop=rooftop, started_on__gte=since
    )
    timings = [vehicle_timing(o, today) for o in orders.select_related("vehicle", "stage")]
    averages = stage_averages(
        [t.stages for t in timings], [s.key for s in stages if not s.is_front_line]
    )
    return ReconReport(
        vehicles=timings,
        stages=averages,
        bottleneck=bottleneck(averages),
        estimate=sum((t.estimate for t in timings), ZERO),
        actual=sum((t.actual for t in timings), ZERO),
    )


def work_items_awaiting_approval(user: Any) -> Any:
    return WorkItem.objects.for_user(user, "view").filter(status=WorkItemStatus.AWAITING_APPROVAL)

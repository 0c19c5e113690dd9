"""/api/v1/purchasing/recon and /work-items: reconditioning through the same actions as the
board."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from forecourt.accounts.models import User
from forecourt.core.api_errors import READ_ERRORS, WRITE_ERRORS, error_responses
from forecourt.core.api_responses import json_response
from forecourt.core.api_writes import run_action
from forecourt.core.concurrency import expected_version
from forecourt.inventory.models import Vehicle
from forecourt.purchasing.api import require_view, rooftop_of, visible
from forecourt.purchasing.recon import actions
from forecourt.purchasing.recon.models import ReconOrder, WorkItem
from forecourt.purchasing.recon.reads import recon_report, vehicle_timing
from forecourt.purchasing.recon.schemas import (
    CompleteIn,
    DecisionIn,
    MoveIn,
    ReconNumbersOut,
    ReconOut,
    ReconStart,
    WorkItemIn,
    WorkItemOut,
)

router = Router(tags=["Recon"])
REPORT_DAYS = 90


def item_dict(item: WorkItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "stage": item.stage.key,
        "description": item.description,
        "vendor": item.vendor,
        "estimate": item.estimate,
        "actual": item.actual,
        "status": item.status,
        "posted_cost_id": item.posted_cost_id,
    }


def recon_dict(order: ReconOrder, today: date | None = None) -> dict[str, Any]:
    timing = vehicle_timing(order, today)
    return {
        "id": order.pk,
        "vehicle_id": order.vehicle_id,
        "stage": order.stage.key,
        "started_on": order.started_on,
        "front_line_on": order.front_line_on,
        "time_to_line_calendar_days": timing.to_line.calendar,
        "time_to_line_business_days": timing.to_line.business,
        "estimate": timing.estimate,
        "actual": timing.actual,
        "visits": [
            {
                "stage": v.stage.key,
                "owner_id": v.owner_id,
                "due_on": v.due_on,
                "notes": v.notes,
                "entered_on": v.entered_on,
                "left_on": v.left_on,
            }
            for v in order.visits.select_related("stage")
        ],
        "work_items": [item_dict(i) for i in order.work_items.select_related("stage")],
        "version": order.version,
    }


def _order(request: HttpRequest, order_id: int) -> ReconOrder:
    return visible(ReconOrder, request, order_id)


@router.post(
    "/purchasing/recon",
    response={201: ReconOut, **error_responses(*WRITE_ERRORS)},
    summary="Start a vehicle's reconditioning (first stage; the vehicle goes into recon)",
)
def start_recon(request: HttpRequest, payload: ReconStart) -> Any:
    vehicle = visible(Vehicle, request, payload.vehicle_id)
    order = run_action(lambda: actions.start_recon(request.user, vehicle))
    return json_response(recon_dict(order), status=201, headers={"ETag": order.etag})


@router.get(
    "/purchasing/recon/{order_id}",
    response={200: ReconOut, **error_responses(*READ_ERRORS)},
    summary="A vehicle's reconditioning: stages, work, time to line",
)
def get_recon(request: HttpRequest, order_id: int) -> Any:
    order = _order(request, order_id)
    return json_response(recon_dict(order), headers={"ETag": order.etag})


@router.post(
    "/purchasing/recon/{order_id}/move",
    response={200: ReconOut, **error_responses(*WRITE_ERRORS, 412)},
    summary="Move a vehicle to another stage (the front line makes it available)",
)
def move_recon(request: HttpRequest, order_id: int, payload: MoveIn) -> Any:
    order = _order(request, order_id)
    version, status = expected_version(request, payload.version)
    owner = None
    if payload.owner_id is not None:
        owner = visible(User, request, payload.owner_id)
    moved = run_action(
        lambda: actions.move_to_stage(
            request.user,
            order,
            payload.stage,
            owner=owner,
            due_on=payload.due_on,
            notes=payload.notes,
            on=payload.on,
            expected_version=version,
        ),
        status,
    )
    return json_response(recon_dict(moved), headers={"ETag": moved.etag})


@router.post(
    "/purchasing/recon/{order_id}/work-items",
    response={201: WorkItemOut, **error_responses(*WRITE_ERRORS)},
    summary="Add a work item (above the rooftop's limit it awaits approval)",
)
def add_work_item(request: HttpRequest, order_id: int, payload: WorkItemIn) -> Any:
    order = _order(request, order_id)
    item = run_action(lambda: actions.add_work_item(request.user, order, **payload.dict()))
    return json_response(item_dict(item), status=201)


@router.post(
    "/purchasing/work-items/{item_id}/decision",
    response={200: WorkItemOut, **error_responses(*WRITE_ERRORS)},
    summary="Approve or decline a work item",
)
def decide_work_item(request: HttpRequest, item_id: int, payload: DecisionIn) -> Any:
    item = visible(WorkItem, request, item_id)
    decided = run_action(
        lambda: actions.decide_work_item(request.user, item, approve=payload.approve)
    )
    return json_response(item_dict(decided))


@router.post(
    "/purchasing/work-items/{item_id}/complete",
    response={200: WorkItemOut, **error_responses(*WRITE_ERRORS)},
    summary="Complete a work item at its actual cost (posted to the vehicle once)",
)
def complete_work_item(request: HttpRequest, item_id: int, payload: CompleteIn) -> Any:
    item = visible(WorkItem, request, item_id)
    done = run_action(lambda: actions.complete_work_item(request.user, item, actual=payload.actual))
    return json_response(item_dict(done))


@router.get(
    "/purchasing/rooftops/{rooftop_id}/recon-numbers",
    response={200: ReconNumbersOut, **error_responses(*READ_ERRORS)},
    summary="Time to line, stage averages, bottleneck and cost vs estimate (last 90 days)",
)
def recon_numbers(request: HttpRequest, rooftop_id: int) -> Any:
    require_view(request, "purchasing.view_reconorder")
    rooftop = rooftop_of(request, rooftop_id)
    since = timezone.localdate() - timedelta(days=REPORT_DAYS)
    report = recon_report(request.user, rooftop, since)
    return json_response(
        {
            "rooftop_id": rooftop.pk,
            "since": since,
            "bottleneck": report.bottleneck,
            "estimate": report.estimate,
            "actual": report.actual,
            "stages": [
                {
                    "stage": s.stage,
                    "vehicles": s.vehicles,
                    "average_business_days": str(s.average_business_days),
                    "average_calendar_days": str(s.average_calendar_days),
                }
                for s in report.stages
            ],
            "vehicles": [recon_dict(t.order) for t in report.vehicles],
        }
    )

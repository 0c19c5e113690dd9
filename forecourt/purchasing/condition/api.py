"""/api/v1/purchasing/appraisals and /condition-reports, through the same actions as the
screens. Photos are attached on the report page (multipart); the API carries the data."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router

from forecourt.core.api_errors import READ_ERRORS, WRITE_ERRORS, as_api_error, error_responses
from forecourt.core.api_responses import json_response
from forecourt.core.api_writes import run_action
from forecourt.customers.models import Customer
from forecourt.inventory.models import Vehicle
from forecourt.purchasing import actions
from forecourt.purchasing.api import LIST_LIMIT, purchase_dict, require_view, rooftop_of, visible
from forecourt.purchasing.condition.models import Appraisal, AppraisalStatus, ConditionReport
from forecourt.purchasing.condition.reads import compare
from forecourt.purchasing.condition.schemas import (
    AppraisalCreate,
    AppraisalDecision,
    AppraisalOut,
    ComparisonOut,
    ReportCreate,
    ReportOut,
)
from forecourt.purchasing.models import Seller
from forecourt.purchasing.schemas import PurchaseOut

router = Router(tags=["Appraisals and condition"])


def appraisal_dict(appraisal: Appraisal) -> dict[str, Any]:
    fields = (
        "id",
        "rooftop_id",
        "vin",
        "plate",
        "year",
        "make",
        "model",
        "odometer",
        "grade",
        "recon_estimate",
        "comparables",
        "acv",
        "offer",
        "expires_on",
        "status",
        "customer_id",
        "purchase_line_id",
        "version",
    )
    return {name: getattr(appraisal, name) for name in fields}


def report_dict(report: ConditionReport) -> dict[str, Any]:
    fields = (
        "id",
        "vehicle_id",
        "occasion",
        "markers",
        "tyres",
        "checks",
        "notes",
        "signed_name",
        "signed_at",
    )
    return {
        **{name: getattr(report, name) for name in fields},
        "photos": list(report.photos.values_list("marker_id", flat=True)),
    }


@router.get(
    "/purchasing/appraisals",
    response={200: list[AppraisalOut], **error_responses(*READ_ERRORS)},
    summary="List appraisals, newest first",
)
def list_appraisals(request: HttpRequest) -> Any:
    require_view(request, "purchasing.view_appraisal")
    appraisals = Appraisal.objects.for_user(request.user, "view")[:LIST_LIMIT]
    return json_response([appraisal_dict(a) for a in appraisals])


@router.post(
    "/purchasing/appraisals",
    response={201: AppraisalOut, **error_responses(*WRITE_ERRORS)},
    summary="Appraise a trade-in or purchase candidate",
)
def create_appraisal(request: HttpRequest, payload: AppraisalCreate) -> Any:
    data = payload.dict()
    rooftop = rooftop_of(request, data.pop("rooftop_id"))
    customer_id = data.pop("customer_id")
    customer = visible(Customer, request, customer_id) if customer_id else None
    data = {k: v for k, v in data.items() if v is not None}
    appraisal = run_action(
        lambda: actions.create_appraisal(request.user, rooftop, customer=customer, **data)
    )
    return json_response(appraisal_dict(appraisal), status=201)


@router.get(
    "/purchasing/appraisals/{appraisal_id}",
    response={200: AppraisalOut, **error_responses(*READ_ERRORS)},
    summary="Get an appraisal",
)
def get_appraisal(request: HttpRequest, appraisal_id: int) -> Any:
    return json_response(appraisal_dict(visible(Appraisal, request, appraisal_id)))


@router.post(
    "/purchasing/appraisals/{appraisal_id}/decision",
    response={200: AppraisalOut, 201: PurchaseOut, **error_responses(*WRITE_ERRORS)},
    summary="Close an appraisal: bought (creates the purchase), taken in trade or declined",
)
def decide_appraisal(request: HttpRequest, appraisal_id: int, payload: AppraisalDecision) -> Any:
    appraisal = visible(Appraisal, request, appraisal_id)
    if payload.outcome == AppraisalStatus.PURCHASED:
        if payload.seller_id is None:
            raise as_api_error(ValidationError({"seller_id": "Name the seller of a purchase."}))
        seller = visible(Seller, request, payload.seller_id)
        invoice = run_action(
            lambda: actions.purchase_from_appraisal(
                request.user, appraisal, seller=seller, price=payload.price
            )
        )
        return json_response(purchase_dict(invoice), status=201)
    decided = run_action(
        lambda: actions.decide_appraisal(request.user, appraisal, outcome=payload.outcome)
    )
    return json_response(appraisal_dict(decided))


@router.post(
    "/purchasing/condition-reports",
    response={201: ReportOut, **error_responses(*WRITE_ERRORS)},
    summary="Record a signed condition report (markers in diagram coordinates)",
    description="A marker outside its view of the diagram is refused (422, field `markers`).",
)
def create_condition_report(request: HttpRequest, payload: ReportCreate) -> Any:
    vehicle = visible(Vehicle, request, payload.vehicle_id)
    data = payload.dict(exclude={"vehicle_id"})
    report = run_action(lambda: actions.record_condition_report(request.user, vehicle, **data))
    return json_response(report_dict(report), status=201)


@router.get(
    "/purchasing/condition-reports/{report_id}",
    response={200: ReportOut, **error_responses(*READ_ERRORS)},
    summary="Get a condition report",
)
def get_condition_report(request: HttpRequest, report_id: int) -> Any:
    return json_response(report_dict(visible(ConditionReport, request, report_id)))


@router.get(
    "/purchasing/condition-reports/{report_id}/compare/{other_report_id}",
    response={200: ComparisonOut, **error_responses(*READ_ERRORS)},
    summary="Compare two condition reports of one vehicle (new, gone, unchanged damage)",
)
def compare_condition_reports(request: HttpRequest, report_id: int, other_report_id: int) -> Any:
    first = visible(ConditionReport, request, report_id)
    second = visible(ConditionReport, request, other_report_id, vehicle_id=first.vehicle_id)
    result = compare(first, second)
    return json_response(
        {
            "earlier_id": result.earlier.pk,
            "later_id": result.later.pk,
            "new": result.new,
            "gone": result.gone,
            "unchanged": result.unchanged,
            "tyres": [{"wheel": w, "earlier": a, "later": b} for w, a, b in result.tyres],
            "checks": [{"check": c, "earlier": a, "later": b} for c, a, b in result.checks],
        }
    )

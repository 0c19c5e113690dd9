"""/api/v1/purchasing/facilities, /floorings, /statements: the floor plan through the same
actions as the screens."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from forecourt.core.api_errors import READ_ERRORS, WRITE_ERRORS, error_responses
from forecourt.core.api_responses import json_response
from forecourt.core.api_writes import run_action
from forecourt.core.concurrency import expected_version
from forecourt.inventory.models import Vehicle
from forecourt.purchasing.api import LIST_LIMIT, require_view, rooftop_of, visible
from forecourt.purchasing.stocking import actions
from forecourt.purchasing.stocking.models import Facility, Flooring, LenderStatement
from forecourt.purchasing.stocking.reads import facility_exposure, reconcile
from forecourt.purchasing.stocking.schemas import (
    FacilityCreate,
    FacilityOut,
    FloorIn,
    FlooringOut,
    FlooringPaymentIn,
    RateIn,
    ReconciliationOut,
    StatementIn,
)

router = Router(tags=["Floor plan"])


def facility_dict(facility: Facility) -> dict[str, Any]:
    row = facility_exposure(facility)
    return {
        "id": facility.pk,
        "rooftop_id": facility.rooftop_id,
        "lender": facility.lender,
        "name": facility.name,
        "department": facility.department,
        "credit_limit": facility.credit_limit,
        "advance_percent": str(facility.advance_percent.normalize()),
        "day_count": facility.day_count,
        "curtailments": facility.curtailments,
        "payoff_due_days": facility.payoff_due_days,
        "rates": [
            {
                "effective_from": r.effective_from.isoformat(),
                "annual_percent": str(r.annual_percent.normalize()),
            }
            for r in facility.rates.all()
        ],
        "used": row.used,
        "available": row.available,
        "utilisation_percent": str(row.utilisation),
        "units": row.units,
        "interest_this_month": row.interest_this_month,
        "curtailments_due_30_days": [
            {
                "flooring_id": f.pk,
                "vehicle_id": f.vehicle_id,
                "due_on": due.due_on,
                "amount": due.amount,
            }
            for f, due in row.curtailments_due
        ],
        "sold_not_paid_off": [f.pk for f in row.out_of_trust],
    }


def flooring_dict(flooring: Flooring) -> dict[str, Any]:
    fields = (
        "id",
        "facility_id",
        "vehicle_id",
        "floored_on",
        "advance",
        "principal",
        "status",
        "sold_on",
        "paid_off_on",
        "interest_accrued",
        "accrued_through",
        "version",
    )
    return {name: getattr(flooring, name) for name in fields}


@router.get(
    "/purchasing/facilities",
    response={200: list[FacilityOut], **error_responses(*READ_ERRORS)},
    summary="List floor-plan facilities with their exposure",
)
def list_facilities(request: HttpRequest) -> Any:
    require_view(request, "purchasing.view_facility")
    facilities = Facility.objects.for_user(request.user, "view")[:LIST_LIMIT]
    return json_response([facility_dict(f) for f in facilities])


@router.post(
    "/purchasing/facilities",
    response={201: FacilityOut, **error_responses(*WRITE_ERRORS)},
    summary="Add a floor-plan facility",
)
def create_facility(request: HttpRequest, payload: FacilityCreate) -> Any:
    data = payload.dict()
    rooftop = rooftop_of(request, data.pop("rooftop_id"))
    facility = run_action(lambda: actions.create_facility(request.user, rooftop, **data))
    return json_response(facility_dict(facility), status=201)


@router.get(
    "/purchasing/facilities/{facility_id}",
    response={200: FacilityOut, **error_responses(*READ_ERRORS)},
    summary="Get a facility: utilisation, interest this month, curtailments due",
)
def get_facility(request: HttpRequest, facility_id: int) -> Any:
    return json_response(facility_dict(visible(Facility, request, facility_id)))


@router.post(
    "/purchasing/facilities/{facility_id}/rates",
    response={200: FacilityOut, **error_responses(*WRITE_ERRORS)},
    summary="Change a facility's interest rate from a day on",
)
def change_facility_rate(request: HttpRequest, facility_id: int, payload: RateIn) -> Any:
    facility = visible(Facility, request, facility_id)
    run_action(lambda: actions.change_rate(request.user, facility, **payload.dict()))
    return json_response(facility_dict(facility))


@router.post(
    "/purchasing/facilities/{facility_id}/floorings",
    response={201: FlooringOut, **error_responses(*WRITE_ERRORS)},
    summary="Floor a vehicle under the facility",
    description="Refused (422) above the facility's available limit or its advance rate.",
)
def floor_vehicle(request: HttpRequest, facility_id: int, payload: FloorIn) -> Any:
    facility = visible(Facility, request, facility_id)
    vehicle = visible(Vehicle, request, payload.vehicle_id)
    flooring = run_action(
        lambda: actions.floor_vehicle(
            request.user, facility, vehicle, floored_on=payload.floored_on, advance=payload.advance
        )
    )
    return json_response(flooring_dict(flooring), status=201)


@router.get(
    "/purchasing/floorings/{flooring_id}",
    response={200: FlooringOut, **error_responses(*READ_ERRORS)},
    summary="Get a floored unit",
)
def get_flooring(request: HttpRequest, flooring_id: int) -> Any:
    flooring = visible(Flooring, request, flooring_id)
    return json_response(flooring_dict(flooring), headers={"ETag": flooring.etag})


def _payment(request: HttpRequest, flooring_id: int, payload: FlooringPaymentIn, pay: Any) -> Any:
    flooring = visible(Flooring, request, flooring_id)
    version, status = expected_version(request, payload.version)
    run_action(
        lambda: pay(
            request.user,
            flooring,
            amount=payload.amount,
            paid_on=payload.paid_on,
            reference=payload.reference,
            expected_version=version,
        ),
        status,
    )
    flooring.refresh_from_db()
    return json_response(flooring_dict(flooring), headers={"ETag": flooring.etag})


@router.post(
    "/purchasing/floorings/{flooring_id}/curtailments",
    response={200: FlooringOut, **error_responses(*WRITE_ERRORS, 412)},
    summary="Pay a curtailment (refused above the balance)",
)
def pay_curtailment(request: HttpRequest, flooring_id: int, payload: FlooringPaymentIn) -> Any:
    return _payment(request, flooring_id, payload, actions.pay_curtailment)


@router.post(
    "/purchasing/floorings/{flooring_id}/payoff",
    response={200: FlooringOut, **error_responses(*WRITE_ERRORS, 412)},
    summary="Pay off a floored unit (the whole balance)",
)
def pay_off_flooring(request: HttpRequest, flooring_id: int, payload: FlooringPaymentIn) -> Any:
    return _payment(request, flooring_id, payload, actions.pay_off)


def reconciliation_dict(statement: LenderStatement) -> dict[str, Any]:
    result = reconcile(statement)
    return {
        "statement_id": statement.pk,
        "facility_id": statement.facility_id,
        "statement_on": statement.statement_on,
        "matched": result.matched,
        "theirs_not_ours": [{"vin": vin, "balance": str(b)} for vin, b in result.theirs_not_ours],
        "ours_not_theirs": [
            {"flooring_id": f.pk, "vin": f.vehicle.vin, "balance": str(b)}
            for f, b in result.ours_not_theirs
        ],
        "differences": [
            {"flooring_id": f.pk, "vin": f.vehicle.vin, "ours": str(o), "theirs": str(t)}
            for f, o, t in result.differences
        ],
    }


@router.post(
    "/purchasing/facilities/{facility_id}/statements",
    response={201: ReconciliationOut, **error_responses(*WRITE_ERRORS)},
    summary="Import the lender's statement (CSV) and reconcile it",
)
def import_statement(request: HttpRequest, facility_id: int, payload: StatementIn) -> Any:
    facility = visible(Facility, request, facility_id)
    statement = run_action(
        lambda: actions.import_lender_statement(
            request.user,
            facility,
            content=payload.csv,
            statement_on=payload.statement_on,
            filename=payload.filename,
        )
    )
    return json_response(reconciliation_dict(statement), status=201)


@router.get(
    "/purchasing/statements/{statement_id}",
    response={200: ReconciliationOut, **error_responses(*READ_ERRORS)},
    summary="A lender statement's reconciliation against our records",
)
def get_statement(request: HttpRequest, statement_id: int) -> Any:
    return json_response(reconciliation_dict(visible(LenderStatement, request, statement_id)))

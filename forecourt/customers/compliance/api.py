"""/api/v1/customers/{id}/ofac and /legal-hold: thin adapters over compliance/actions/.

Disposal has no API: it is a rare, irreversible act done on the retention report's page in
sudo mode (docs/compliance.md).

Operation ids are part of the published contract (docs/api/openapi.json): each route names
its own, so moving this module never renames them.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from pydantic import Field

from forecourt.core.api_errors import READ_ERRORS, WRITE_ERRORS, error_responses
from forecourt.core.api_writes import run_action
from forecourt.core.concurrency import STALE_IF_MATCH, if_match_version
from forecourt.core.idempotency import idempotent, subject_of
from forecourt.core.schemas import StrictInput
from forecourt.core.visibility import visible_or_404
from forecourt.customers.compliance import actions, ofac
from forecourt.customers.models import Customer, OfacScreening, OfacStatus

router = Router(tags=["customers"])
CONDITIONAL_ERRORS = (*WRITE_ERRORS, 412)
SCREENINGS_SHOWN = 20


class OfacMatchOut(Schema):
    ent_num: int
    name: str
    sdn_type: str
    program: str
    is_alias: bool
    score: float


class ScreeningOut(Schema):
    id: int
    screened_at: datetime
    list_version: str
    result: OfacStatus
    best_score: Decimal
    matches: list[OfacMatchOut]


class OfacStateOut(Schema):
    customer_id: int
    status: OfacStatus
    delivery_blocked: bool = Field(description="True while a possible match is not cleared.")
    screened_at: datetime | None
    list_version: str
    cleared_at: datetime | None
    screenings: list[ScreeningOut] = Field(
        description=f"The latest {SCREENINGS_SHOWN}, newest first."
    )


class ClearanceIn(StrictInput):
    reason: str = Field(max_length=200, description="Why the match is not the listed party.")


class LegalHoldIn(StrictInput):
    hold: bool = Field(description="true places a legal hold, false lifts it.")
    reason: str = Field(max_length=200, description="Recorded in the audit log.")


class LegalHoldOut(Schema):
    customer_id: int
    legal_hold: bool
    legal_hold_reason: str
    version: int


def _screening(screening: OfacScreening) -> dict[str, Any]:
    return {
        "id": screening.pk,
        "screened_at": screening.screened_at,
        "list_version": screening.sdn_list.version,
        "result": screening.result,
        "best_score": screening.best_score,
        "matches": screening.matches,
    }


def _state(customer: Customer) -> dict[str, Any]:
    screenings = OfacScreening.objects.filter(customer=customer).select_related("sdn_list")
    return {
        "customer_id": customer.pk,
        "status": customer.ofac_status,
        "delivery_blocked": ofac.delivery_blocked(customer),
        "screened_at": customer.ofac_screened_at,
        "list_version": customer.ofac_list_version,
        "cleared_at": customer.ofac_cleared_at,
        "screenings": [_screening(s) for s in screenings[:SCREENINGS_SHOWN]],
    }


@router.get(
    "/customers/{customer_id}/ofac",
    response={200: OfacStateOut, **error_responses(*READ_ERRORS)},
    summary="A customer's OFAC status and latest screenings",
    description=(
        "`status` is the latest result: not_screened, clear, possible_match (blocks delivery "
        "until a manager clears it) or cleared. Each screening names the SDN list version, "
        "the best score (0-100) and the list entries at or above the match threshold."
    ),
    operation_id="forecourt_customers_api_compliance_customer_ofac",
)
def customer_ofac(request: HttpRequest, customer_id: int, response: HttpResponse) -> Any:
    customer = visible_or_404(Customer, request.user, customer_id)
    response["ETag"] = customer.etag
    return _state(customer)


@router.post(
    "/customers/{customer_id}/ofac",
    response={201: ScreeningOut, **error_responses(400, *WRITE_ERRORS)},
    summary="Screen a customer against the SDN list now",
    description=(
        "Scores the customer's names against the current SDN list and records the result "
        "(422 when no list has been imported). Send an `Idempotency-Key` header to make "
        "retries safe: the same key replays the first screening."
    ),
    operation_id="forecourt_customers_api_compliance_screen_customer_ofac",
)
def screen_customer_ofac(request: HttpRequest, customer_id: int) -> Any:
    customer = visible_or_404(Customer, request.user, customer_id)

    def run() -> tuple[int, Any, dict[str, str]]:
        screening = run_action(
            lambda: actions.screen_customer(request.user, customer), STALE_IF_MATCH
        )
        body = ScreeningOut.model_validate(_screening(screening)).model_dump(mode="json")
        return 201, body, {"Location": f"/api/v1/customers/{customer_id}/ofac"}

    return idempotent(request, run, subject=lambda body: subject_of(Customer, customer_id))


@router.post(
    "/customers/{customer_id}/ofac/clearance",
    response={200: OfacStateOut, **error_responses(400, *CONDITIONAL_ERRORS)},
    summary="Clear a possible OFAC match (managers)",
    description=(
        "Needs `customers.clear_ofac_customer`. Only a possible match can be cleared; the "
        "reason is audited. An optional `If-Match` with the customer's ETag guards against "
        "clearing a customer that changed since it was read (412)."
    ),
    operation_id="forecourt_customers_api_compliance_clear_customer_ofac",
)
def clear_customer_ofac(
    request: HttpRequest, customer_id: int, payload: ClearanceIn, response: HttpResponse
) -> Any:
    customer = visible_or_404(Customer, request.user, customer_id)
    version = if_match_version(request)
    cleared = run_action(
        lambda: actions.clear_ofac_match(
            request.user, customer, reason=payload.reason, expected_version=version
        ),
        STALE_IF_MATCH,
    )
    response["ETag"] = cleared.etag
    return _state(cleared)


@router.post(
    "/customers/{customer_id}/legal-hold",
    response={200: LegalHoldOut, **error_responses(400, *CONDITIONAL_ERRORS)},
    summary="Place or lift a legal hold (keeps the customer from disposal)",
    description=(
        "Needs `customers.hold_legal_customer`; the reason is audited. While held, the "
        "retention job never anonymizes the customer. Optional `If-Match` as for clearance."
    ),
    operation_id="forecourt_customers_api_compliance_customer_legal_hold",
)
def customer_legal_hold(
    request: HttpRequest, customer_id: int, payload: LegalHoldIn, response: HttpResponse
) -> Any:
    customer = visible_or_404(Customer, request.user, customer_id)
    version = if_match_version(request)
    write = actions.set_legal_hold if payload.hold else actions.lift_legal_hold
    changed = run_action(
        lambda: write(request.user, customer, reason=payload.reason, expected_version=version),
        STALE_IF_MATCH,
    )
    response["ETag"] = changed.etag
    return {
        "customer_id": changed.pk,
        "legal_hold": changed.legal_hold,
        "legal_hold_reason": changed.legal_hold_reason,
        "version": changed.version,
    }

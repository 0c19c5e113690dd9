"""/api/v1/deals: thin adapters over forecourt.deals.actions, the same operations as the
screens. Reads are scoped by rooftop and role (another rooftop's deal is a 404); gross and
costs appear only for roles holding inventory.view_vehicle_cost."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from forecourt.accounts.models import User
from forecourt.core.api_errors import READ_ERRORS, WRITE_ERRORS, as_api_error, error_responses
from forecourt.core.api_responses import json_response, to_json_bytes
from forecourt.core.api_writes import run_action
from forecourt.core.concurrency import expected_version
from forecourt.core.idempotency import idempotent
from forecourt.core.visibility import visible_or_404
from forecourt.customers.models import Customer
from forecourt.deals import actions
from forecourt.deals.documents import DOCUMENTS, render_document
from forecourt.deals.models import Deal, Fee
from forecourt.deals.numbers import deal_numbers
from forecourt.deals.schemas import (
    DealCreate,
    DealOut,
    DealPageOut,
    DealUpdate,
    LineIn,
    PaymentIn,
    ReasonIn,
    SalespersonIn,
    TradeInIn,
    TransitionIn,
)
from forecourt.deals.search import DEFAULT_LIMIT, BadQuery, DealFilters, search_deals
from forecourt.inventory.models import Vehicle
from forecourt.leads.models import Lead

router = Router(tags=["Deals"])
CONDITIONAL_ERRORS = (*WRITE_ERRORS, 412)
COST_PERMISSION = "inventory.view_vehicle_cost"


def sees_gross(user: Any) -> bool:
    return bool(user.has_perm(COST_PERMISSION))


# --- serialisation -------------------------------------------------------------------


def deal_dict(deal: Deal, user: Any) -> dict[str, Any]:
    gross = sees_gross(user)
    vehicle = deal.vehicle
    return {
        "id": deal.pk,
        "number": deal.number,
        "rooftop_id": deal.rooftop_id,
        "status": deal.status,
        "sale_type": deal.sale_type,
        "vehicle": {
            "id": vehicle.pk, "stock_number": vehicle.stock_number, "vin": vehicle.vin,
            "title": vehicle.title, "status": vehicle.status,
        },
        "buyer_id": deal.buyer_id,
        "buyer_name": str(deal.buyer),
        "co_buyer_id": deal.co_buyer_id,
        "lead_id": deal.lead_id,
        "price": deal.price,
        "discount": deal.discount,
        "vat_treatment": deal.vat_treatment,
        "sale_date": deal.sale_date,
        "delivery_date": deal.delivery_date,
        "salespeople": [
            {"user_id": s.user_id, "name": s.user.full_name or s.user.email, "share": s.share,
             "plan_id": s.plan_id}
            for s in deal.salespeople.select_related("user")
        ],
        "lines": [
            {"id": x.pk, "kind": x.kind, "description": x.description, "amount": x.amount,
             "taxable": x.taxable, "fee_id": x.fee_id, "cost": x.cost if gross else None}
            for x in deal.lines.all()
        ],
        "trades": [
            {"id": t.pk, "vin": t.vin, "plate": t.plate, "year": t.year, "make": t.make,
             "model": t.model, "odometer": t.odometer, "acv": t.acv, "allowance": t.allowance,
             "over_allowance": t.over_allowance, "payoff": t.payoff, "lienholder": t.lienholder,
             "payoff_good_through": t.payoff_good_through, "equity": t.equity,
             "roll_negative_equity": t.roll_negative_equity, "vehicle_id": t.vehicle_id}
            for t in deal.trades.all()
        ],
        "payments": [
            {"id": p.pk, "method": p.method, "amount": p.amount, "reference": p.reference,
             "receipt_number": p.receipt_number, "received_at": p.received_at,
             "reverses_id": p.reverses_id}
            for p in deal.payments.all()
        ],
        "tasks": [
            {"id": t.pk, "kind": t.kind, "due_on": t.due_on, "detail": t.detail,
             "completed_at": t.completed_at}
            for t in deal.tasks.all()
        ],
        "invoices": [
            {"number": i.number, "issued_at": i.issued_at, "cancelled_at": i.cancelled_at,
             "cancel_reason": i.cancel_reason}
            for i in deal.invoices.all()
        ],
        "history": [
            {"from_status": h.from_status, "to_status": h.to_status, "at": h.changed_at,
             "by": h.changed_by_id, "reason": h.reason}
            for h in deal.history.all()
        ],
        "numbers": deal_numbers(deal).as_dict(with_gross=gross),
        "created_at": deal.created_at,
        "version": deal.version,
    }  # fmt: skip


def _plain(body: Any) -> Any:
    """JSON-ready (Decimals as strings), for responses an Idempotency-Key stores."""
    return orjson.loads(to_json_bytes(body))


def _deal(request: HttpRequest, deal_id: int) -> Deal:
    return visible_or_404(Deal, request.user, deal_id, related=("vehicle", "buyer", "rooftop"))


def _deal_response(request: HttpRequest, deal_id: int, status: int = 200) -> HttpResponse:
    deal = _deal(request, deal_id)
    return json_response(deal_dict(deal, request.user), status, {"ETag": deal.etag})


def _run[T](write: Callable[[], T], mismatch_status: int = 409) -> T:
    try:
        return run_action(write, mismatch_status)
    except actions.DealConflict as conflict:
        raise HttpError(409, str(conflict)) from None


def _visible(request: HttpRequest, model: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    found = model.objects.for_user(request.user, "view").filter(pk=pk).first()
    if found is None:
        raise as_api_error(ValidationError({field: "Not found."}))
    return found


def _salespeople(request: HttpRequest, rooftop_id: int, rows: list[SalespersonIn] | None) -> Any:
    if rows is None:
        return None
    people = []
    for row in rows:
        user = User.objects.filter(pk=row.user_id, is_active=True).first()
        if user is None:
            raise as_api_error(ValidationError({"salespeople": "No such user."}))
        plan_id = row.plan_id
        plan = _run(lambda: actions.plan_of(rooftop_id, plan_id))  # noqa: B023 - called at once
        people.append((user, row.share, plan))
    return people


# --- reads ---------------------------------------------------------------------------


class DealQuery(Schema):
    status: list[str] = []
    salesperson: int | None = None
    rooftop: int | None = None
    sale_type: str = ""
    date_from: str = ""
    date_to: str = ""
    mine: bool = False
    cursor: str = ""
    limit: int = DEFAULT_LIMIT


def summary(deal: Deal) -> dict[str, Any]:
    return {
        "id": deal.pk, "number": deal.number, "rooftop_id": deal.rooftop_id,
        "status": deal.status, "sale_type": deal.sale_type,
        "vehicle_label": f"{deal.vehicle.stock_number} {deal.vehicle.title}",
        "buyer_name": str(deal.buyer),
        "salespeople": [s.user.full_name or s.user.email for s in deal.salespeople.all()],
        "price": deal.price, "sale_date": deal.sale_date, "created_at": deal.created_at,
    }  # fmt: skip


@router.get(
    "/deals",
    response={200: DealPageOut, **error_responses(*READ_ERRORS)},
    summary="List deals (filters, keyset pages)",
    description=(
        "Filters: `status` (repeatable), `salesperson` (user id), `mine=true`, `rooftop`, "
        "`sale_type`, `date_from`/`date_to` (sale date). Newest first; pass `next_cursor` "
        "back as `cursor`. No total count."
    ),
)
def list_deals(request: HttpRequest, query: Query[DealQuery]) -> Any:
    if not request.user.has_perm("deals.view_deal"):
        raise HttpError(403, "Your role does not allow this (deals.view_deal).")
    try:
        page = search_deals(
            Deal.objects.for_user(request.user, "view"),
            DealFilters.from_query(request.GET),
            request.user,
            cursor=query.cursor,
            limit=query.limit,
        )
    except BadQuery as error:
        raise as_api_error(ValidationError({error.field_name: str(error)})) from None
    return json_response(
        {"items": [summary(d) for d in page.rows], "next_cursor": page.next_cursor,
         "has_next": page.has_next}
    )  # fmt: skip


@router.get(
    "/deals/{deal_id}",
    response={200: DealOut, **error_responses(*READ_ERRORS)},
    summary="Get a deal (the jacket: lines, trades, payments, numbers, history)",
    description="The `ETag` header carries the version to send back in `If-Match`.",
)
def get_deal(request: HttpRequest, deal_id: int) -> Any:
    return _deal_response(request, deal_id)


@router.get(
    "/deals/{deal_id}/documents/{kind}",
    response={200: bytes, **error_responses(*READ_ERRORS)},
    summary="A deal document as PDF",
    description=(
        "`kind`: buyers_order, odometer, receipts (US); invoice (UK). The rooftop's paper "
        "size (Letter in the US, A4 in the UK)."
    ),
)
def deal_document(request: HttpRequest, deal_id: int, kind: str) -> Any:
    deal = _deal(request, deal_id)
    if kind not in DOCUMENTS:
        raise as_api_error(ValidationError({"kind": f"Choose one of {', '.join(DOCUMENTS)}."}))
    pdf = _run(lambda: render_document(kind, deal))
    return HttpResponse(
        pdf, content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{deal.number}-{kind}.pdf"'},
    )  # fmt: skip


# --- writes --------------------------------------------------------------------------

CREATE_EXAMPLE = {
    "vehicle_id": 5012, "buyer_id": 1042, "sale_type": "cash", "price": "25000.00",
    "discount": "500.00", "salespeople": [{"user_id": 7, "share": "100.00"}],
}  # fmt: skip


@router.post(
    "/deals",
    response={201: DealOut, **error_responses(*WRITE_ERRORS)},
    summary="Desk a deal (a quote)",
    description=(
        "A quote for a vehicle and a buyer, with the rooftop's default fees. Send an "
        "`Idempotency-Key` so a retried request creates one deal."
    ),
    openapi_extra={"requestBody": {"content": {"application/json": {"example": CREATE_EXAMPLE}}}},
)
def create_deal(request: HttpRequest, payload: DealCreate) -> Any:
    def run() -> tuple[int, Any, dict[str, str]]:
        vehicle = _visible(request, Vehicle, payload.vehicle_id, "vehicle_id")
        buyer = _visible(request, Customer, payload.buyer_id, "buyer_id")
        co_buyer = _visible(request, Customer, payload.co_buyer_id, "co_buyer_id")
        lead = _visible(request, Lead, payload.lead_id, "lead_id")
        people = _salespeople(request, vehicle.rooftop_id, payload.salespeople)
        deal = _run(
            lambda: actions.create_deal(
                request.user, vehicle=vehicle, buyer=buyer, co_buyer=co_buyer, lead=lead,
                sale_type=payload.sale_type, price=payload.price, discount=payload.discount,
                sale_date=payload.sale_date, vat_treatment=payload.vat_treatment,
                salespeople=people,
            )
        )  # fmt: skip
        body = _plain(deal_dict(_deal(request, deal.pk), request.user))
        return 201, body, {"ETag": deal.etag, "Location": f"/api/v1/deals/{deal.pk}"}

    return idempotent(request, run)


@router.patch(
    "/deals/{deal_id}",
    response={200: DealOut, **error_responses(*CONDITIONAL_ERRORS)},
    summary="Change a quote's numbers (optimistic concurrency)",
    description=(
        'Send the version you read as `If-Match: "3"` (stale: 412) or as `version` (stale: '
        "409). Only a quote can change; lines, trades and payments have their own endpoints."
    ),
)
def update_deal(request: HttpRequest, deal_id: int, payload: DealUpdate) -> Any:
    deal = _deal(request, deal_id)
    version, mismatch = expected_version(request, payload.version)
    sent = payload.model_dump(exclude_unset=True, exclude={"version", "salespeople"})
    if "co_buyer_id" in sent:
        sent["co_buyer"] = _visible(request, Customer, sent.pop("co_buyer_id"), "co_buyer_id")
    people = _salespeople(request, deal.rooftop_id, payload.salespeople)
    _run(
        lambda: actions.update_deal(
            request.user, deal, expected_version=version, salespeople=people, **sent
        ),
        mismatch,
    )
    return _deal_response(request, deal_id)


def _optional_version(request: HttpRequest, body_version: int | None) -> tuple[int | None, int]:
    if body_version is None and not request.headers.get("If-Match"):
        return None, 409
    return expected_version(request, body_version)


@router.post(
    "/deals/{deal_id}/lines",
    response={201: DealOut, **error_responses(*CONDITIONAL_ERRORS)},
    summary="Add an add-on, a fee (from the fee table) or a rebate",
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {
                    "example": {
                        "kind": "accessory",
                        "description": "All-weather mats",
                        "amount": "189.00",
                        "cost": "60.00",
                        "taxable": True,
                    }
                }
            }
        }
    },
)
def add_line(request: HttpRequest, deal_id: int, payload: LineIn) -> Any:
    deal = _deal(request, deal_id)
    version, mismatch = _optional_version(request, payload.version)
    fee = None
    if payload.fee_id is not None:
        fee = Fee.objects.filter(pk=payload.fee_id, rooftop_id=deal.rooftop_id).first()
        if fee is None:
            raise as_api_error(ValidationError({"fee_id": "Not found."}))
    _run(
        lambda: actions.add_line(
            request.user, deal, kind=payload.kind or "", description=payload.description,
            amount=payload.amount, cost=payload.cost, taxable=payload.taxable, fee=fee,
            expected_version=version,
        ),
        mismatch,
    )  # fmt: skip
    return _deal_response(request, deal_id, 201)


@router.delete(
    "/deals/{deal_id}/lines/{line_id}",
    response={200: DealOut, **error_responses(*CONDITIONAL_ERRORS)},
    summary="Remove a line from a quote",
)
def remove_line(request: HttpRequest, deal_id: int, line_id: int) -> Any:
    deal = _deal(request, deal_id)
    version, mismatch = _optional_version(request, None)
    _run(
        lambda: actions.remove_line(request.user, deal, line_id, expected_version=version), mismatch
    )
    return _deal_response(request, deal_id)


@router.post(
    "/deals/{deal_id}/trades",
    response={201: DealOut, **error_responses(*CONDITIONAL_ERRORS)},
    summary="Add a trade-in / part-exchange",
    description=(
        "A payoff above the ACV needs `roll_negative_equity: true`; a VIN already in stock is "
        "refused. The trade enters inventory (incoming, cost = ACV) when the deal is delivered."
    ),
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {
                    "example": {
                        "vin": "1FADP3F20GL123456",
                        "year": 2016,
                        "make": "Ford",
                        "model": "Focus",
                        "odometer": 90000,
                        "acv": "6000.00",
                        "allowance": "6500.00",
                        "payoff": "2000.00",
                        "lienholder": "Ally Financial",
                        "payoff_good_through": "2026-12-20",
                    }
                }
            }
        }
    },
)
def add_trade(request: HttpRequest, deal_id: int, payload: TradeInIn) -> Any:
    deal = _deal(request, deal_id)
    version, mismatch = _optional_version(request, payload.version)
    fields = payload.model_dump(exclude={"version"})
    _run(
        lambda: actions.add_trade(request.user, deal, expected_version=version, **fields), mismatch
    )
    return _deal_response(request, deal_id, 201)


@router.delete(
    "/deals/{deal_id}/trades/{trade_id}",
    response={200: DealOut, **error_responses(*CONDITIONAL_ERRORS)},
    summary="Remove a trade-in from a quote",
)
def remove_trade(request: HttpRequest, deal_id: int, trade_id: int) -> Any:
    deal = _deal(request, deal_id)
    version, mismatch = _optional_version(request, None)
    _run(
        lambda: actions.remove_trade(request.user, deal, trade_id, expected_version=version),
        mismatch,
    )
    return _deal_response(request, deal_id)


@router.post(
    "/deals/{deal_id}/payments",
    response={201: DealOut, **error_responses(*WRITE_ERRORS)},
    summary="Take a deposit or payment (receipt number issued)",
    description=(
        "Send an `Idempotency-Key` so a retried request records one payment. US cash over "
        "$10,000 (this deal and the buyer's deals within 12 months) raises a Form 8300 task."
    ),
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {
                    "example": {
                        "method": "card",
                        "amount": "1000.00",
                        "reference": "Visa 4242",
                    }
                }
            }
        }
    },
)
def take_payment(request: HttpRequest, deal_id: int, payload: PaymentIn) -> Any:
    def run() -> tuple[int, Any, dict[str, str]]:
        deal = _deal(request, deal_id)
        _run(
            lambda: actions.take_payment(
                request.user, deal, method=payload.method, amount=payload.amount,
                reference=payload.reference,
            )
        )  # fmt: skip
        fresh = _deal(request, deal_id)
        return 201, _plain(deal_dict(fresh, request.user)), {"ETag": fresh.etag}

    return idempotent(request, run)


TRANSITIONS: dict[str, Callable[..., Any]] = {
    "submit": lambda user, deal, body, version: actions.submit_for_approval(
        user, deal, expected_version=version
    ),
    "approve": lambda user, deal, body, version: actions.approve_deal(
        user, deal, note=body.reason, expected_version=version
    ),
    "return_to_quote": lambda user, deal, body, version: actions.return_to_quote(
        user, deal, reason=body.reason, expected_version=version
    ),
    "contract": lambda user, deal, body, version: actions.contract_deal(
        user, deal, expected_version=version
    ),
    "deliver": lambda user, deal, body, version: actions.deliver_deal(
        user,
        deal,
        odometer=body.odometer,
        odometer_brand=body.odometer_brand,
        expected_version=version,
    ),
    "cancel": lambda user, deal, body, version: actions.cancel_deal(
        user, deal, reason=body.reason, expected_version=version
    ),
    "unwind": lambda user, deal, body, version: actions.unwind_deal(
        user, deal, reason=body.reason, expected_version=version
    ),
}


@router.post(
    "/deals/{deal_id}/transitions",
    response={200: DealOut, **error_responses(*CONDITIONAL_ERRORS)},
    summary="Move a deal: submit, approve, return_to_quote, contract, deliver, cancel, unwind",
    description=(
        "approve: a deal below the floor price, with negative front gross or a discount over "
        "the limit needs `deals.approve_deal` (403 otherwise). contract: 409 when another deal "
        "already contracted the vehicle; 422 while the buyer has an open OFAC possible match. "
        "deliver: `odometer` is the disclosure; a cash deal must be paid. cancel and unwind "
        "need a `reason`."
    ),
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {
                    "example": {
                        "action": "deliver",
                        "odometer": 42010,
                        "odometer_brand": "actual",
                    }
                }
            }
        }
    },
)
def transition(request: HttpRequest, deal_id: int, payload: TransitionIn) -> Any:
    deal = _deal(request, deal_id)
    version, mismatch = _optional_version(request, payload.version)
    move = TRANSITIONS[payload.action]
    _run(lambda: move(request.user, deal, payload, version), mismatch)
    return _deal_response(request, deal_id)


@router.post(
    "/deals/{deal_id}/invoice",
    response={200: DealOut, **error_responses(*WRITE_ERRORS)},
    summary="UK: issue the deal's sales invoice number (one per deal)",
)
def issue_invoice(request: HttpRequest, deal_id: int) -> Any:
    deal = _deal(request, deal_id)
    _run(lambda: actions.issue_invoice(request.user, deal))
    return _deal_response(request, deal_id)


@router.post(
    "/deals/{deal_id}/invoice/cancel",
    response={200: DealOut, **error_responses(*WRITE_ERRORS)},
    summary="UK: cancel the deal's invoice number (kept with the reason, never reused)",
)
def cancel_invoice(request: HttpRequest, deal_id: int, payload: ReasonIn) -> Any:
    deal = _deal(request, deal_id)
    _run(lambda: actions.cancel_invoice(request.user, deal, reason=payload.reason))
    return _deal_response(request, deal_id)

"""/api/v1/purchasing: sellers, purchases, the incoming watch-list. Thin adapters over
actions.py and reads.py; the floor plan, recon and condition have their own routers."""

from __future__ import annotations

from typing import Any

import orjson
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.errors import HttpError

from forecourt.accounts.models import Rooftop
from forecourt.core.api_errors import READ_ERRORS, WRITE_ERRORS, error_responses
from forecourt.core.api_responses import json_response, to_json_bytes
from forecourt.core.api_writes import run_action
from forecourt.core.concurrency import expected_version
from forecourt.core.idempotency import idempotent
from forecourt.customers.models import Customer
from forecourt.purchasing import actions
from forecourt.purchasing.models import PurchaseInvoice, PurchaseLine, Seller
from forecourt.purchasing.reads import incoming_watch_list
from forecourt.purchasing.schemas import (
    ArrivalIn,
    LineOut,
    PaymentIn,
    PurchaseCreate,
    PurchaseOut,
    SellerCreate,
    SellerOut,
)

router = Router(tags=["Purchasing"])
LIST_LIMIT = 200


def require_view(request: HttpRequest, permission: str) -> None:
    """A list the caller's role may not read at all is a 403, not an empty page."""
    if not request.user.has_perm(permission):
        raise HttpError(403, f"Your role does not allow this ({permission}).")


def visible(model: Any, request: HttpRequest, pk: int, **extra: Any) -> Any:
    return get_object_or_404(model.objects.for_user(request.user, "view"), pk=pk, **extra)


def rooftop_of(request: HttpRequest, rooftop_id: int) -> Rooftop:
    return visible(Rooftop, request, rooftop_id)


def seller_dict(seller: Seller) -> dict[str, Any]:
    fields = (
        "id",
        "rooftop_id",
        "kind",
        "name",
        "customer_id",
        "contact_name",
        "email",
        "phone",
        "address",
        "vat_number",
        "is_active",
        "version",
    )
    return {name: getattr(seller, name) for name in fields}


def line_dict(line: PurchaseLine) -> dict[str, Any]:
    plain = ("id", "vehicle_id", *actions.LINE_FIELDS)
    return {
        **{name: getattr(line, name) for name in plain},
        "vin": line.vehicle.vin,
        "stock_number": line.vehicle.stock_number,
        "missing": line.missing,
    }


def purchase_dict(invoice: PurchaseInvoice) -> dict[str, Any]:
    lines = list(invoice.lines.select_related("vehicle"))
    return {
        "id": invoice.pk,
        "rooftop_id": invoice.rooftop_id,
        "seller_id": invoice.seller_id,
        "seller_name": invoice.seller.name,
        "seller_reference": invoice.seller_reference,
        "our_number": invoice.our_number,
        "purchased_on": invoice.purchased_on,
        "payment_status": invoice.payment_status,
        "payment_method": invoice.payment_method,
        "amount_paid": invoice.amount_paid,
        "total": actions.invoice_total(invoice),
        "bill_of_sale_received": invoice.bill_of_sale_received,
        "lines": [line_dict(line) for line in lines],
        "version": invoice.version,
    }


@router.get(
    "/purchasing/sellers",
    response={200: list[SellerOut], **error_responses(*READ_ERRORS)},
    summary="List sellers",
)
def list_sellers(request: HttpRequest) -> Any:
    require_view(request, "purchasing.view_seller")
    sellers = Seller.objects.for_user(request.user, "view")[:LIST_LIMIT]
    return json_response([seller_dict(s) for s in sellers])


@router.post(
    "/purchasing/sellers",
    response={201: SellerOut, **error_responses(*WRITE_ERRORS)},
    summary="Add a seller (a private seller names their customer)",
)
def create_seller(request: HttpRequest, payload: SellerCreate) -> Any:
    data = payload.dict()
    rooftop = rooftop_of(request, data.pop("rooftop_id"))
    customer_id = data.pop("customer_id")
    customer = visible(Customer, request, customer_id) if customer_id else None
    seller = run_action(
        lambda: actions.create_seller(request.user, rooftop, customer=customer, **data)
    )
    return json_response(seller_dict(seller), status=201)


@router.get(
    "/purchasing/purchases",
    response={200: list[PurchaseOut], **error_responses(*READ_ERRORS)},
    summary="List purchases, newest first",
)
def list_purchases(request: HttpRequest) -> Any:
    require_view(request, "purchasing.view_purchaseinvoice")
    invoices = PurchaseInvoice.objects.for_user(request.user, "view").select_related("seller")
    return json_response([purchase_dict(i) for i in invoices[:LIST_LIMIT]])


@router.post(
    "/purchasing/purchases",
    response={201: PurchaseOut, **error_responses(*WRITE_ERRORS)},
    summary="Record a purchase of one or more vehicles",
    description=(
        "Each line's vehicle is received as incoming at its net price (price less VAT on a "
        "VAT-qualifying UK purchase); buyer and transport fees become its added costs. Any "
        "bad line refuses the whole purchase (422, fields `lines.N.field`). Send an "
        "`Idempotency-Key` to make retries safe."
    ),
)
def record_purchase(request: HttpRequest, payload: PurchaseCreate) -> Any:
    seller = visible(Seller, request, payload.seller_id)
    data = payload.dict(exclude={"seller_id", "lines"})
    data["payment_method"] = data["payment_method"] or ""
    lines = [{k: v for k, v in line.items() if v is not None} for line in payload.dict()["lines"]]

    def run() -> tuple[int, Any, dict[str, str]]:
        invoice = run_action(
            lambda: actions.record_purchase(
                request.user, seller.rooftop, seller=seller, lines=lines, **data
            )
        )
        body = orjson.loads(to_json_bytes(purchase_dict(invoice)))  # the replay stores JSON
        return 201, body, {"ETag": invoice.etag}

    return idempotent(request, run)


@router.get(
    "/purchasing/purchases/{purchase_id}",
    response={200: PurchaseOut, **error_responses(*READ_ERRORS)},
    summary="Get a purchase",
)
def get_purchase(request: HttpRequest, purchase_id: int) -> Any:
    invoice = visible(PurchaseInvoice, request, purchase_id)
    return json_response(purchase_dict(invoice), headers={"ETag": invoice.etag})


@router.post(
    "/purchasing/purchases/{purchase_id}/payments",
    response={200: PurchaseOut, **error_responses(*WRITE_ERRORS, 412)},
    summary="Record a payment to the seller",
)
def pay_purchase(request: HttpRequest, purchase_id: int, payload: PaymentIn) -> Any:
    invoice = visible(PurchaseInvoice, request, purchase_id)
    version, status = expected_version(request, payload.version)
    paid = run_action(
        lambda: actions.record_payment(
            request.user,
            invoice,
            amount=payload.amount,
            method=payload.method,
            expected_version=version,
        ),
        status,
    )
    return json_response(purchase_dict(paid), headers={"ETag": paid.etag})


@router.get(
    "/purchasing/incoming",
    response={200: list[LineOut], **error_responses(*READ_ERRORS)},
    summary="The incoming watch-list: bought, not here yet or missing something",
)
def list_incoming(request: HttpRequest) -> Any:
    require_view(request, "purchasing.view_purchaseline")
    lines = incoming_watch_list(request.user)[:LIST_LIMIT]
    return json_response([line_dict(line) for line in lines])


@router.patch(
    "/purchasing/incoming/{line_id}",
    response={200: LineOut, **error_responses(*WRITE_ERRORS)},
    summary="Update a bought vehicle's arrival and checklist",
)
def update_arrival(request: HttpRequest, line_id: int, payload: ArrivalIn) -> Any:
    line = visible(PurchaseLine, request, line_id)
    changes = payload.dict(exclude_unset=True)
    updated = run_action(lambda: actions.update_arrival(request.user, line, **changes))
    return json_response(line_dict(updated))

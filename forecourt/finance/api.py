"""/api/v1/finance/lenders, products and menus: thin adapters over actions.py.

Reads are scoped to the caller's rooftops (another rooftop's record is a 404); writes go
through the same actions as the screens, with optimistic concurrency on updates.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import orjson
from django.db.models import Model
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router

from forecourt.accounts.models import Rooftop
from forecourt.core.api_errors import READ_ERRORS, WRITE_ERRORS, error_responses
from forecourt.core.api_responses import json_response, to_json_bytes
from forecourt.core.api_writes import run_action
from forecourt.core.concurrency import expected_version
from forecourt.core.idempotency import idempotent
from forecourt.core.permissions import require_permission
from forecourt.core.visibility import visible_or_404
from forecourt.finance import actions
from forecourt.finance.calc.menu import MenuColumnQuote
from forecourt.finance.desking.api import answer_calculation
from forecourt.finance.desking.present import desk_from
from forecourt.finance.desking.schemas import DeskQuery
from forecourt.finance.menus import price_menu
from forecourt.finance.models import FinanceProduct, Lender, ProductMenu
from forecourt.finance.schemas import (
    LenderCreate,
    LenderOut,
    LenderUpdate,
    MenuColumnOut,
    MenuCreate,
    MenuEntriesIn,
    MenuOut,
    ProductCreate,
    ProductOut,
    ProductUpdate,
    RatesIn,
)

router = Router(tags=["Finance"])
CONDITIONAL_ERRORS = (*WRITE_ERRORS, 412)
UPDATE_DESCRIPTION = (
    'Send the version you read as `If-Match: "3"` (a stale one answers 412) or as the '
    "`version` field (a stale one answers 409)."
)


class MenuQuery(DeskQuery):
    """The deal's numbers; checked after the menu is found, so a menu the caller may not see
    answers 404 whatever the parameters."""

    price: Decimal | None = Field(None, examples=["25000.00"])  # type: ignore[assignment]
    apr: Decimal | None = Field(None, examples=["6.90"])  # type: ignore[assignment]
    term: int | None = Field(None, examples=[72])  # type: ignore[assignment]
    jurisdiction: str = Field("", examples=["US-TX"])


# --- serialisation -------------------------------------------------------------------


def lender_dict(lender: Lender) -> dict[str, Any]:
    fields = LenderOut.model_fields.keys() - {"rates"}
    return {
        **{name: getattr(lender, name) for name in fields},
        "rates": [
            {
                "credit_tier": rate.credit_tier,
                "min_term": rate.min_term,
                "max_term": rate.max_term,
                "buy_rate": rate.buy_rate,
            }
            for rate in lender.rates.all()
        ],
    }


def product_dict(product: FinanceProduct) -> dict[str, Any]:
    return {name: getattr(product, name) for name in ProductOut.model_fields}


def menu_dict(menu: ProductMenu) -> dict[str, Any]:
    return {
        "id": menu.pk,
        "rooftop_id": menu.rooftop_id,
        "name": menu.name,
        "version": menu.version,
        "entries": [
            {
                "column": entry.column,
                "product_id": entry.product_id,
                "product_name": entry.product.name,
                "kind": entry.product.kind,
                "price": entry.price,
            }
            for entry in menu.entries.select_related("product")
        ],
    }


def column_dict(column: MenuColumnQuote) -> dict[str, Any]:
    return dict(column.__dict__)


def _answer(record: Model, body: dict[str, Any], status: int = 200) -> Any:
    return json_response(body, status, {"ETag": f'"{record.version}"'})  # type: ignore[attr-defined]


def _created(
    request: HttpRequest, rooftop_id: int, create: Callable[[Rooftop], Model], shape: Any
) -> Any:
    rooftop = get_object_or_404(Rooftop.objects.for_user(request.user, "view"), pk=rooftop_id)

    def run() -> tuple[int, Any, dict[str, str]]:
        record = run_action(lambda: create(rooftop))
        body = orjson.loads(to_json_bytes(shape(record)))
        return 201, body, {"ETag": f'"{record.version}"'}  # type: ignore[attr-defined]

    return idempotent(request, run)


# --- lenders -------------------------------------------------------------------------


@router.get("/finance/lenders", response={200: list[LenderOut], **error_responses(*READ_ERRORS)})
def list_lenders(request: HttpRequest) -> Any:
    require_permission(request.user, "finance.view_lender")
    lenders = Lender.objects.for_user(request.user).prefetch_related("rates")
    return json_response([lender_dict(lender) for lender in lenders])


@router.get(
    "/finance/lenders/{lender_id}",
    response={200: LenderOut, **error_responses(*READ_ERRORS)},
    summary="Get a lender with its rate sheet",
)
def get_lender(request: HttpRequest, lender_id: int) -> Any:
    lender = visible_or_404(Lender, request.user, lender_id)
    return _answer(lender, lender_dict(lender))


@router.post(
    "/finance/lenders",
    response={201: LenderOut, **error_responses(*WRITE_ERRORS)},
    summary="Create a lender",
    description="A markup lender needs `max_markup`; a flat-fee lender its `flat_fee`.",
)
def create_lender(request: HttpRequest, payload: LenderCreate) -> Any:
    data = payload.model_dump(exclude={"rooftop_id"}, exclude_none=True)
    return _created(
        request,
        payload.rooftop_id,
        lambda rooftop: actions.create_lender(request.user, rooftop, data),
        lender_dict,
    )


@router.patch(
    "/finance/lenders/{lender_id}",
    response={200: LenderOut, **error_responses(*CONDITIONAL_ERRORS)},
    summary="Update a lender (optimistic concurrency)",
    description=UPDATE_DESCRIPTION,
)
def update_lender(request: HttpRequest, lender_id: int, payload: LenderUpdate) -> Any:
    lender = visible_or_404(Lender, request.user, lender_id)
    version, mismatch = expected_version(request, payload.version)
    data = payload.model_dump(exclude={"version"}, exclude_unset=True)
    updated = run_action(
        lambda: actions.update_lender(request.user, lender, data, version), mismatch
    )
    return _answer(updated, lender_dict(updated))


@router.put(
    "/finance/lenders/{lender_id}/rates",
    response={200: LenderOut, **error_responses(*CONDITIONAL_ERRORS)},
    summary="Replace a lender's rate sheet (buy rates by credit tier and term band)",
    description=UPDATE_DESCRIPTION,
)
def set_lender_rates(request: HttpRequest, lender_id: int, payload: RatesIn) -> Any:
    lender = visible_or_404(Lender, request.user, lender_id)
    version, mismatch = expected_version(request, payload.version)
    bands = [actions.RateBand(**band.model_dump()) for band in payload.rates]
    updated = run_action(
        lambda: actions.set_lender_rates(request.user, lender, bands, version), mismatch
    )
    return _answer(updated, lender_dict(updated))


# --- products ------------------------------------------------------------------------


@router.get("/finance/products", response={200: list[ProductOut], **error_responses(*READ_ERRORS)})
def list_products(request: HttpRequest) -> Any:
    require_permission(request.user, "finance.view_financeproduct")
    products = FinanceProduct.objects.for_user(request.user)
    return json_response([product_dict(product) for product in products])


@router.get(
    "/finance/products/{product_id}",
    response={200: ProductOut, **error_responses(*READ_ERRORS)},
    summary="Get an F&I product",
)
def get_product(request: HttpRequest, product_id: int) -> Any:
    product = visible_or_404(FinanceProduct, request.user, product_id)
    return _answer(product, product_dict(product))


@router.post(
    "/finance/products",
    response={201: ProductOut, **error_responses(*WRITE_ERRORS)},
    summary="Create an F&I product",
    description="The price must lie between `min_price` and `max_price`.",
)
def create_product(request: HttpRequest, payload: ProductCreate) -> Any:
    data = payload.model_dump(exclude={"rooftop_id"}, exclude_none=True)
    return _created(
        request,
        payload.rooftop_id,
        lambda rooftop: actions.create_product(request.user, rooftop, data),
        product_dict,
    )


@router.patch(
    "/finance/products/{product_id}",
    response={200: ProductOut, **error_responses(*CONDITIONAL_ERRORS)},
    summary="Update an F&I product (optimistic concurrency)",
    description=UPDATE_DESCRIPTION,
)
def update_product(request: HttpRequest, product_id: int, payload: ProductUpdate) -> Any:
    product = visible_or_404(FinanceProduct, request.user, product_id)
    version, mismatch = expected_version(request, payload.version)
    data = payload.model_dump(exclude={"version"}, exclude_unset=True)
    updated = run_action(
        lambda: actions.update_product(request.user, product, data, version), mismatch
    )
    return _answer(updated, product_dict(updated))


# --- menus ---------------------------------------------------------------------------


@router.get("/finance/menus", response={200: list[MenuOut], **error_responses(*READ_ERRORS)})
def list_menus(request: HttpRequest) -> Any:
    require_permission(request.user, "finance.view_productmenu")
    return json_response([menu_dict(menu) for menu in ProductMenu.objects.for_user(request.user)])


@router.get(
    "/finance/menus/{menu_id}",
    response={200: MenuOut, **error_responses(*READ_ERRORS)},
    summary="Get a product menu",
)
def get_menu(request: HttpRequest, menu_id: int) -> Any:
    menu = visible_or_404(ProductMenu, request.user, menu_id)
    return _answer(menu, menu_dict(menu))


@router.post(
    "/finance/menus",
    response={201: MenuOut, **error_responses(*WRITE_ERRORS)},
    summary="Create a product menu (then set its entries)",
)
def create_menu(request: HttpRequest, payload: MenuCreate) -> Any:
    return _created(
        request,
        payload.rooftop_id,
        lambda rooftop: actions.create_menu(request.user, rooftop, {"name": payload.name}),
        menu_dict,
    )


@router.put(
    "/finance/menus/{menu_id}/entries",
    response={200: MenuOut, **error_responses(*CONDITIONAL_ERRORS)},
    summary="Replace what the good, better and best columns hold",
    description=UPDATE_DESCRIPTION,
)
def set_menu_entries(request: HttpRequest, menu_id: int, payload: MenuEntriesIn) -> Any:
    menu = visible_or_404(ProductMenu, request.user, menu_id)
    version, mismatch = expected_version(request, payload.version)
    lines = [actions.MenuLine(**line.model_dump()) for line in payload.entries]
    updated = run_action(
        lambda: actions.set_menu_entries(request.user, menu, lines, version), mismatch
    )
    return _answer(updated, menu_dict(updated))


@router.get(
    "/finance/menus/{menu_id}/payments",
    response={200: list[MenuColumnOut], **error_responses(*READ_ERRORS)},
    summary="The menu on a deal: each column's payment and its impact",
    description=(
        "The deal's numbers as for /finance/quote; `jurisdiction` (e.g. US-TX) decides which "
        "products are taxed. The first row is the deal without products."
    ),
)
def menu_payments(request: HttpRequest, menu_id: int, params: Query[MenuQuery]) -> Any:
    menu = visible_or_404(ProductMenu, request.user, menu_id)
    return answer_calculation(
        lambda: [
            column_dict(column)
            for column in price_menu(menu, desk_from(params.model_dump()), params.jurisdiction)
        ]
    )

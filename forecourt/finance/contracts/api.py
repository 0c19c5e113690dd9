"""/api/v1/deals/{id}/finance: a deal's finance contract, read and written through the
same actions as the screens (the lender's approval, the sell rate, the products sold)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest
from ninja import Router

from forecourt.core.api_errors import READ_ERRORS, WRITE_ERRORS, error_responses
from forecourt.core.api_responses import json_response
from forecourt.core.api_writes import run_action
from forecourt.core.concurrency import expected_version
from forecourt.core.permissions import require_permission
from forecourt.core.visibility import visible_or_404
from forecourt.deals.api import sees_gross
from forecourt.deals.models import Deal
from forecourt.finance.contracts import actions
from forecourt.finance.models import FinanceContract, Lender
from forecourt.finance.schemas import DealApprovalIn, DealFinanceOut, DealFinanceUpdate

router = Router(tags=["Finance"])
VIEW = "finance.view_financecontract"


def contract_dict(contract: FinanceContract, with_costs: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": contract.pk, "lender_id": contract.lender_id, "lender": str(contract.lender),
        "credit_tier": contract.credit_tier, "term": contract.term,
        "selling_price": contract.selling_price, "amount_financed": contract.amount_financed,
        "balloon": contract.balloon, "sell_rate": contract.sell_rate,
        "payment": contract.payment, "version": contract.version,
        "products": [
            {"product_id": line.product_id, "name": line.product.name, "price": line.price,
             "cost": line.cost if with_costs else None}
            for line in contract.products.select_related("product")
        ],
    }  # fmt: skip
    if with_costs:
        body |= {
            "buy_rate": contract.buy_rate,
            "reserve": contract.reserve,
            "product_profit": contract.product_profit,
            "back_gross": contract.back_gross,
        }
    return body


def _answer(request: HttpRequest, deal: Deal, status: int = 200) -> Any:
    contract = FinanceContract.objects.filter(deal=deal).select_related("lender").first()
    body = {
        "deal_id": deal.pk,
        "contract": contract_dict(contract, sees_gross(request.user)) if contract else None,
    }
    headers = {"ETag": f'"{contract.version}"'} if contract else {}
    return json_response(body, status, headers)


@router.get(
    "/deals/{deal_id}/finance",
    response={200: DealFinanceOut, **error_responses(*READ_ERRORS)},
    summary="A deal's finance contract (null until the lender's approval)",
    description="Buy rate, reserve, costs and back gross only for roles that see vehicle costs.",
)
def get_deal_finance(request: HttpRequest, deal_id: int) -> Any:
    require_permission(request.user, VIEW)
    return _answer(request, visible_or_404(Deal, request.user, deal_id))


@router.post(
    "/deals/{deal_id}/finance",
    response={201: DealFinanceOut, **error_responses(*WRITE_ERRORS)},
    summary="Record the lender's approval of a deal (amount, price, customer from the deal)",
    description="Starts sold at the buy rate. One contract per deal.",
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {
                    "examples": {
                        "us_retail": {"value": {"lender_id": 1, "credit_tier": "prime",
                                                "term": 60}},
                        "uk_pcp": {"value": {"lender_id": 2, "credit_tier": "prime",
                                             "term": 36, "buy_rate": "7.90",
                                             "balloon": "8000.00"}},
                    }
                }
            }
        }
    },
)  # fmt: skip
def record_deal_approval(request: HttpRequest, deal_id: int, payload: DealApprovalIn) -> Any:
    deal = visible_or_404(Deal, request.user, deal_id)
    lender = visible_or_404(Lender, request.user, payload.lender_id)
    run_action(
        lambda: actions.record_deal_lender_approval(
            request.user,
            deal,
            lender=lender,
            credit_tier=payload.credit_tier,
            term=payload.term,
            buy_rate=payload.buy_rate,
            balloon=payload.balloon,
        )
    )
    return _answer(request, deal, 201)


@router.patch(
    "/deals/{deal_id}/finance",
    response={200: DealFinanceOut, **error_responses(*WRITE_ERRORS, 412)},
    summary="Sell the deal's finance: the sell rate (within the cap) and the products",
    description='Send the version as `If-Match: "2"` (stale: 412) or `version` (stale: 409).',
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {
                    "examples": {
                        "markup": {"value": {"sell_rate": "6.49", "version": 1}},
                        "menu": {"value": {"products": [{"product_id": 3}], "version": 2}},
                    }
                }
            }
        }
    },
)
def sell_deal_finance(request: HttpRequest, deal_id: int, payload: DealFinanceUpdate) -> Any:
    deal = visible_or_404(Deal, request.user, deal_id)
    require_permission(request.user, VIEW)
    contract = FinanceContract.objects.filter(deal=deal).first()
    if contract is None:
        raise Http404("This deal has no finance contract yet.")
    version, mismatch = expected_version(request, payload.version)

    @transaction.atomic  # both changes or neither
    def sell() -> None:
        current = contract
        if payload.sell_rate is not None:
            current = actions.set_sell_rate(request.user, current, payload.sell_rate, version)
        if payload.products is not None:
            lines = [actions.SoldProduct(p.product_id, p.price) for p in payload.products]
            expected = current.version if payload.sell_rate is not None else version
            actions.sell_products(request.user, current, lines, expected)

    run_action(sell, mismatch)
    return _answer(request, deal)

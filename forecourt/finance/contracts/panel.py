"""The finance panel on the deal jacket (registered with deals' registry in apps.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from forecourt.deals.api import sees_gross
from forecourt.finance.contracts.actions import FINANCED_SALE_TYPES
from forecourt.finance.models import FinanceContract


def deal_panel_context(request: HttpRequest, deal: Any) -> dict[str, Any] | None:
    """The contract's lender, rates, payment, products and back gross; hidden on a deal
    that is not financed."""
    if deal.sale_type not in FINANCED_SALE_TYPES:
        return None
    contract = (
        FinanceContract.objects.filter(deal_id=deal.pk)
        .select_related("lender")
        .prefetch_related("products__product")
        .first()
    )
    return {
        "deal": deal,
        "contract": contract,
        "currency": deal.rooftop.currency,
        "sees_gross": sees_gross(request.user),
    }

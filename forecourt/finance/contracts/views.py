"""The F&I manager's queue: the deals of the user's rooftops that wait for F&I."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from forecourt.deals.models import Deal
from forecourt.deals.numbers import deal_numbers
from forecourt.finance.contracts.actions import AWAITING_FI, FINANCED_SALE_TYPES
from forecourt.finance.models import FinanceContract


@permission_required("finance.view_financecontract", raise_exception=True)
def queue(request: HttpRequest) -> HttpResponse:
    """Approved or contracted finance, lease, HP and PCP deals, oldest first, with the
    contract recorded so far (None: the lender's approval is still to come)."""
    deals = (
        Deal.objects.for_user(request.user, "view")
        .filter(status__in=AWAITING_FI, sale_type__in=FINANCED_SALE_TYPES)
        .select_related("buyer", "vehicle", "rooftop", "finance__lender")
        .order_by("sale_date", "id")
    )
    return render(request, "finance/queue.html", {"deals": deals})


def desk_initial_for(deal: Deal) -> dict[str, Any]:
    """The desking form's starting values from a deal's numbers (price, trade, down, fees
    and taxes) and its contract's term and sell rate once the lender approved it."""
    totals = deal_numbers(deal).totals
    contract = FinanceContract.objects.filter(deal=deal).first()
    return {
        "price": totals.vehicle_price,
        "cash_down": totals.payments,
        "trade_allowance": totals.trade_allowance,
        "trade_payoff": totals.trade_payoff,
        "rebate": totals.rebates,
        "fees": totals.fees + totals.taxes,
        "term": contract.term if contract else 60,
        "apr": contract.sell_rate if contract else None,
    }

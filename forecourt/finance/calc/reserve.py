"""Dealer reserve (finance income): what the lender pays the dealer for arranging the loan.

With a rate markup the buyer pays the sell rate; the lender buys that payment stream at its
buy rate, so the contract is worth the stream's present value at the buy rate. The excess
over the amount financed is the markup's value; the dealer's reserve is its share of it.
A flat-fee lender pays a fixed amount instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from forecourt.finance.calc.actuarial import Flow, present_value
from forecourt.finance.calc.errors import Checks
from forecourt.finance.calc.money import HUNDRED, ZERO, cents, check_rate
from forecourt.finance.calc.regz import Disclosure


@dataclass(frozen=True)
class ReserveRule:
    method: str  # "markup", "flat_fee" or "none" (finance.models.ReserveMethod)
    max_markup: Decimal | None = None
    share_percent: Decimal = ZERO
    flat_fee: Decimal | None = None


def check_sell_rate(buy_rate: Decimal, sell_rate: Decimal, rule: ReserveRule) -> None:
    """The sell rate may not be below the buy rate nor above it by more than the cap."""
    checks = Checks()
    check_rate(checks, "buy_rate", buy_rate)
    check_rate(checks, "sell_rate", sell_rate)
    checks.require(sell_rate >= buy_rate, "sell_rate", "Must not be below the buy rate.")
    if rule.method == "markup" and rule.max_markup is not None:
        checks.require(
            sell_rate - buy_rate <= rule.max_markup,
            "sell_rate",
            f"Above the lender's cap: at most {buy_rate + rule.max_markup}% "
            f"(buy rate {buy_rate}% + {rule.max_markup} points).",
        )
    if rule.method != "markup":
        checks.require(
            sell_rate == buy_rate,
            "sell_rate",
            "This lender allows no markup: sell at the buy rate.",
        )
    checks.raise_if_any()


def dealer_reserve(sold: Disclosure, buy_rate: Decimal, rule: ReserveRule) -> Decimal:
    """The reserve on a contract disclosed at its sell rate, for a lender's buy rate."""
    if rule.method == "flat_fee":
        return rule.flat_fee or ZERO
    if rule.method != "markup":
        return ZERO
    plan = sold.schedule
    flows = [Flow(row.payment, plan.terms.timing(row.number)) for row in plan.rows]
    rate = buy_rate / HUNDRED / plan.terms.periods_per_year
    worth = present_value(flows, rate)
    return max(ZERO, cents((worth - sold.amount_financed) * rule.share_percent / HUNDRED))


def max_advance_exceeded(
    amount_financed: Decimal, selling_price: Decimal, max_advance_percent: Decimal | None
) -> bool:
    if max_advance_percent is None:
        return False
    return amount_financed > cents(selling_price * max_advance_percent / HUNDRED)

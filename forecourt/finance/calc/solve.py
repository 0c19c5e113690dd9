"""Desking: a deal's numbers to a disclosure, and the solve-for calculations.

Every solver searches whole cents and returns the forward quote of the value it found, so the
payment shown is the one the schedule charges: price from payment finds the highest price
whose payment does not exceed the target, down for a payment the smallest down payment, term
for a payment the shortest term.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from forecourt.finance.calc.actuarial import REGULAR_FIRST_PERIOD, Timing
from forecourt.finance.calc.errors import CalcInputError, Checks
from forecourt.finance.calc.installment import LoanTerms, payment
from forecourt.finance.calc.money import (
    CENT,
    HUNDRED,
    MAX_TERM,
    ZERO,
    cents,
    check_not_negative,
    check_rate,
    check_term,
)
from forecourt.finance.calc.regz import Charge, Disclosure, Itemization, disclose

MAX_PRICE_CENTS = 100_000_000_00


@dataclass(frozen=True)
class Desk:
    """One desking scenario: the sale, the trade, the money down and the credit terms."""

    price: Decimal
    apr: Decimal
    term: int
    cash_down: Decimal = ZERO
    trade_allowance: Decimal = ZERO
    trade_payoff: Decimal = ZERO
    rebate: Decimal = ZERO
    tax_rate: Decimal = ZERO
    trade_tax_credit: bool = True
    fees: Decimal = ZERO
    products: Decimal = ZERO
    taxable_products: Decimal = ZERO
    first_period: Timing = REGULAR_FIRST_PERIOD
    balloon: Decimal = ZERO
    prepaid_finance_charge: Decimal = ZERO

    @property
    def sales_tax(self) -> Decimal:
        credit = self.trade_allowance if self.trade_tax_credit else ZERO
        taxable = max(ZERO, self.price + self.taxable_products - credit - self.rebate)
        return cents(taxable * self.tax_rate / HUNDRED)

    def itemization(self) -> Itemization:
        charges = []
        if self.fees:
            charges.append(Charge("Fees", self.fees))
        if self.products:
            charges.append(Charge("Products", self.products))
        return Itemization(
            cash_price=self.price,
            cash_down=self.cash_down,
            trade_allowance=self.trade_allowance,
            trade_payoff=self.trade_payoff,
            rebate=self.rebate,
            sales_tax=self.sales_tax,
            other_charges=tuple(charges),
            prepaid_finance_charge=self.prepaid_finance_charge,
        )

    def loan_terms(self) -> LoanTerms:
        return LoanTerms(
            self.itemization().principal, self.apr, self.term, self.first_period, self.balloon
        )


def validate_desk(desk: Desk) -> None:
    checks = Checks()
    check_rate(checks, "apr", desk.apr)
    check_term(checks, "term", desk.term)
    check_rate(checks, "tax_rate", desk.tax_rate)
    check_not_negative(
        checks,
        price=desk.price,
        fees=desk.fees,
        products=desk.products,
        taxable_products=desk.taxable_products,
    )
    checks.require(
        desk.taxable_products <= desk.products,
        "taxable_products",
        "Must not be above the products total.",
    )
    checks.raise_if_any()


def quote(desk: Desk) -> Disclosure:
    validate_desk(desk)
    return disclose(desk.itemization(), desk.apr, desk.term, desk.first_period, desk.balloon)


@dataclass(frozen=True)
class Solution:
    desk: Desk
    disclosure: Disclosure


def _payment_or_zero(desk: Desk) -> Decimal:
    """The level payment; nothing financed means nothing to pay."""
    if desk.itemization().amount_financed <= ZERO:
        return ZERO
    return payment(desk.loan_terms())


def _check_target(target: Decimal) -> None:
    if target <= ZERO:
        raise CalcInputError({"target_payment": "Must be above zero."})


def _as_cents(amount: int) -> Decimal:
    return Decimal(amount) * CENT


def _first_true(predicate: Callable[[int], bool], low: int, high: int) -> int:
    """Smallest x in [low, high] with predicate(x), predicate monotone false -> true."""
    while low < high:
        middle = (low + high) // 2
        if predicate(middle):
            high = middle
        else:
            low = middle + 1
    return low


def price_for_payment(desk: Desk, target: Decimal) -> Solution:
    """The highest price (in cents) whose payment is at most `target`."""
    validate_desk(replace(desk, price=ZERO))
    _check_target(target)

    def too_dear(price_cents: int) -> bool:
        return _payment_or_zero(replace(desk, price=_as_cents(price_cents))) > target

    if not too_dear(MAX_PRICE_CENTS):
        raise CalcInputError({"target_payment": "Too high to solve for a price."})
    if too_dear(0):
        raise CalcInputError(
            {"target_payment": "Below the payment on the fees and products alone."}
        )
    price = _as_cents(_first_true(too_dear, 0, MAX_PRICE_CENTS) - 1)
    solved = replace(desk, price=price)
    return Solution(solved, quote(solved))


def down_for_payment(desk: Desk, target: Decimal) -> Solution:
    """The smallest cash down payment (in cents) that brings the payment to `target` or less."""
    validate_desk(desk)
    _check_target(target)

    def affordable(down_cents: int) -> bool:
        return _payment_or_zero(replace(desk, cash_down=_as_cents(down_cents))) <= target

    ceiling = int((desk.price + desk.fees + desk.products + desk.sales_tax) / CENT) + 1
    solved = replace(desk, cash_down=_as_cents(_first_true(affordable, 0, ceiling)))
    if solved.itemization().amount_financed <= ZERO:
        raise CalcInputError({"target_payment": "Only paying cash reaches this payment."})
    return Solution(solved, quote(solved))


def term_for_payment(desk: Desk, target: Decimal, max_term: int = 96) -> Solution:
    """The shortest term (up to `max_term`) whose payment is at most `target`."""
    validate_desk(desk)
    _check_target(target)
    checks = Checks()
    check_term(checks, "max_term", max_term)
    checks.raise_if_any()

    def affordable(term: int) -> bool:
        return _payment_or_zero(replace(desk, term=term)) <= target

    if not affordable(max_term):
        raise CalcInputError(
            {"target_payment": f"Not reachable within {max_term} payments at this rate."}
        )
    term = _first_true(affordable, 1, min(max_term, MAX_TERM))
    solved = replace(desk, term=term)
    return Solution(solved, quote(solved))

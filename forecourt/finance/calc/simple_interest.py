"""Simple-interest daily accrual, as buy-here-pay-here servicing will need it.

Interest accrues each day on the principal balance at APR / day basis (365 unless the
contract says 360); it is carried unrounded and rounded to cents when a payment posts. A
payment pays the buckets in the contract's order: fees, then interest, then principal, unless
the state's rule says otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, localcontext

from forecourt.finance.calc.actuarial import PRECISION
from forecourt.finance.calc.errors import CalcInputError, Checks
from forecourt.finance.calc.money import HUNDRED, ZERO, cents, check_not_negative, check_rate

FEES, INTEREST, PRINCIPAL = "fees", "interest", "principal"
DEFAULT_ORDER = (FEES, INTEREST, PRINCIPAL)
DAY_BASES = (360, 365)


def daily_interest(balance: Decimal, apr: Decimal, day_basis: int = 365) -> Decimal:
    """One day's interest, unrounded: balance * APR / day basis."""
    with localcontext() as context:
        context.prec = PRECISION
        return balance * apr / HUNDRED / day_basis


@dataclass(frozen=True)
class LoanState:
    principal: Decimal
    apr: Decimal
    as_of: date
    accrued_interest: Decimal = ZERO
    fees_due: Decimal = ZERO
    day_basis: int = 365

    def accrue_to(self, day: date) -> LoanState:
        if day < self.as_of:
            raise CalcInputError({"date": "Must not be before the last posting."})
        days = (day - self.as_of).days
        interest = daily_interest(self.principal, self.apr, self.day_basis) * days
        return replace(self, as_of=day, accrued_interest=self.accrued_interest + interest)


@dataclass(frozen=True)
class Allocation:
    fees: Decimal
    interest: Decimal
    principal: Decimal
    unapplied: Decimal


def validate_loan(state: LoanState) -> None:
    checks = Checks()
    check_rate(checks, "apr", state.apr)
    check_not_negative(checks, principal=state.principal, fees_due=state.fees_due)
    checks.require(state.day_basis in DAY_BASES, "day_basis", "Must be 360 or 365.")
    checks.raise_if_any()


def post_payment(
    state: LoanState, day: date, amount: Decimal, order: Sequence[str] = DEFAULT_ORDER
) -> tuple[LoanState, Allocation]:
    """Accrue to `day`, then apply `amount` bucket by bucket in `order`."""
    validate_loan(state)
    if amount <= ZERO:
        raise CalcInputError({"amount": "Must be above zero."})
    if sorted(order) != sorted(DEFAULT_ORDER):
        raise CalcInputError({"order": "Must name fees, interest and principal once each."})
    accrued = state.accrue_to(day)
    due = {FEES: accrued.fees_due, INTEREST: cents(accrued.accrued_interest)}
    due[PRINCIPAL] = accrued.principal
    paid = dict.fromkeys(DEFAULT_ORDER, ZERO)
    left = amount
    for bucket in order:
        paid[bucket] = min(left, due[bucket])
        left -= paid[bucket]
    after = replace(
        accrued,
        fees_due=accrued.fees_due - paid[FEES],
        accrued_interest=accrued.accrued_interest - paid[INTEREST],
        principal=accrued.principal - paid[PRINCIPAL],
    )
    return after, Allocation(paid[FEES], paid[INTEREST], paid[PRINCIPAL], left)

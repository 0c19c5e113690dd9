"""The Decimal Newton solver against an independent second method on thousands of cases.

The reference is written here, not imported: binary floating point, the closed-form annuity
payment, and plain bisection on the present-value equation. The two agree to a tiny fraction
of the Reg Z tolerance, so a regression in either shows at once.
"""

from __future__ import annotations

import random
from decimal import Decimal

from forecourt.finance.calc.actuarial import Flow, Timing, apr_percent
from forecourt.finance.calc.installment import LoanTerms, payment

CASES = 2000


def reference_payment(principal: float, apr: float, term: int) -> float:
    rate = apr / 1200
    if rate == 0:
        return principal / term
    return principal * rate / (1 - (1 + rate) ** -term)


def reference_apr(advance: float, amount: float, term: int, fraction: float) -> float:
    """Bisection on A = sum P / ((1 + f i)(1 + i)^k), payments at k = 1..term."""

    def present_value(rate: float) -> float:
        if rate == 0:
            return amount * term
        annuity = (1 - (1 + rate) ** -term) / rate
        return amount * annuity / (1 + fraction * rate)

    low, high = 0.0, 1.0
    for _ in range(100):
        middle = (low + high) / 2
        low, high = (middle, high) if present_value(middle) > advance else (low, middle)
    return (low + high) / 2 * 1200


def test_payments_agree_with_the_closed_form() -> None:
    rng = random.Random(15)
    for _ in range(CASES):
        cents = rng.randint(50_000, 15_000_000)
        apr_bp = rng.randint(0, 3000)
        term = rng.randint(1, 96)
        ours = payment(LoanTerms(Decimal(cents) / 100, Decimal(apr_bp) / 100, term))
        theirs = reference_payment(cents / 100, apr_bp / 100, term)
        assert abs(float(ours) - theirs) <= 0.005 + 1e-6, (cents, apr_bp, term)


def test_apr_agrees_with_bisection_including_odd_first_periods() -> None:
    rng = random.Random(1026)
    for _ in range(CASES):
        advance_cents = rng.randint(50_000, 10_000_000)
        term = rng.randint(6, 84)
        # A level payment somewhere between zero interest and roughly 35% APR.
        floor = advance_cents / term
        amount_cents = rng.randint(int(floor) + 1, int(floor * (1 + 0.018 * term)) + 2)
        odd_days = rng.randint(0, 29)
        fraction = Decimal(odd_days) / 30
        flows = [Flow(Decimal(amount_cents) / 100, Timing(k, fraction)) for k in range(1, term + 1)]
        ours = apr_percent(Decimal(advance_cents) / 100, flows)
        theirs = reference_apr(advance_cents / 100, amount_cents / 100, term, float(fraction))
        assert abs(float(ours) - theirs) < 1e-6, (advance_cents, amount_cents, term, odd_days)

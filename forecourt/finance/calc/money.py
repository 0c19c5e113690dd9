"""Decimal rounding and the shared input checks of every calculator."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from forecourt.finance.calc.errors import Checks

CENT = Decimal("0.01")
ZERO = Decimal("0")
ONE = Decimal("1")
HUNDRED = Decimal("100")
MAX_APR = Decimal("100")
MAX_TERM = 600


def cents(value: Decimal) -> Decimal:
    """Round half up to cents, the rounding of every disclosed amount."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def cents_down(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_FLOOR)


def cents_up(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_CEILING)


def check_rate(checks: Checks, field: str, rate: Decimal) -> None:
    """An annual rate in percent: 0 to 100 inclusive."""
    checks.require(rate >= ZERO, field, "Must not be negative.")
    checks.require(rate <= MAX_APR, field, f"Must not be above {MAX_APR}%.")


def check_term(checks: Checks, field: str, term: int) -> None:
    checks.require(term >= 1, field, "Must be at least 1 payment.")
    checks.require(term <= MAX_TERM, field, f"Must not be above {MAX_TERM} payments.")


def check_not_negative(checks: Checks, **amounts: Decimal) -> None:
    for field, amount in amounts.items():
        checks.require(amount >= ZERO, field, "Must not be negative.")

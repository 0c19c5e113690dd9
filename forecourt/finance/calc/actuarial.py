"""The actuarial method of Regulation Z Appendix J (12 CFR 1026, Appendix J).

For a single advance A at consummation and payments P_k, the general equation reads

    A = sum_k P_k / ((1 + f_k * i) * (1 + i) ** t_k)

where i is the rate per unit period, t_k the number of full unit periods from consummation to
payment k and f_k the remaining fractional unit period (Appendix J (b)(5)). The APR is i times
the number of unit periods in a year. Newton's method finds i; a bisection on the same
equation takes over if Newton ever leaves the bracket, so every input converges.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext

from forecourt.finance.calc.errors import CalcInputError
from forecourt.finance.calc.money import HUNDRED, ONE, ZERO

PRECISION = 40
# Per unit period: far beyond any rate a calculator accepts, so the root is always inside.
UPPER_RATE = Decimal("10")
TOLERANCE = Decimal("1e-20")
DAYS_PER_MONTH_FRACTION = 30


@dataclass(frozen=True)
class Timing:
    """When a payment falls: full unit periods plus a fraction of one (Appendix J (b)(5))."""

    periods: int
    fraction: Decimal = ZERO


@dataclass(frozen=True)
class Flow:
    amount: Decimal
    timing: Timing


REGULAR_FIRST_PERIOD = Timing(1, ZERO)


def first_period_from_days(days: int) -> Timing:
    """Days from consummation to the first monthly payment, as Appendix J counts them.

    A month is the unit period; 30 days make one (Appendix J (b)(5)(iv) divides the odd days
    by 30), so 45 days are one full period and half a period.
    """
    if days < 1:
        raise CalcInputError({"days_to_first_payment": "Must be at least 1 day."})
    if days > 365:
        raise CalcInputError({"days_to_first_payment": "Must not be above 365 days."})
    full, odd = divmod(days, DAYS_PER_MONTH_FRACTION)
    return Timing(full, Decimal(odd) / DAYS_PER_MONTH_FRACTION)


def months_between(start: date, end: date) -> tuple[int, int]:
    """Full months counted back from `end`, then the days left over (Appendix J (b)(5)(iv))."""
    months = (end.year - start.year) * 12 + end.month - start.month
    while months > 0 and add_months(end, -months) < start:
        months -= 1
    return months, (add_months(end, -months) - start).days


def first_period_from_dates(consummation: date, first_payment: date) -> Timing:
    if first_payment <= consummation:
        raise CalcInputError({"first_payment_date": "Must be after the contract date."})
    months, days = months_between(consummation, first_payment)
    return Timing(months, Decimal(days) / DAYS_PER_MONTH_FRACTION)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), or that month's last day if it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, _days_in_month(year, month)))


def _days_in_month(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - date(year, month, 1)).days


def monthly_flows(
    payment: Decimal, term: int, first: Timing, last_payment: Decimal | None = None
) -> list[Flow]:
    """Equal monthly payments after a (possibly odd) first period; the last may differ."""
    flows = [Flow(payment, Timing(first.periods + k, first.fraction)) for k in range(term)]
    if last_payment is not None:
        flows[-1] = Flow(last_payment, flows[-1].timing)
    return flows


def discount(rate: Decimal, timing: Timing) -> Decimal:
    """The Appendix J denominator (1 + f*i) * (1 + i) ** t."""
    return (ONE + timing.fraction * rate) * (ONE + rate) ** timing.periods


def present_value(flows: Sequence[Flow], rate: Decimal) -> Decimal:
    with localcontext() as context:
        context.prec = PRECISION
        return sum((flow.amount / discount(rate, flow.timing) for flow in flows), ZERO)


def _slope(flows: Sequence[Flow], rate: Decimal) -> Decimal:
    total = ZERO
    for flow in flows:
        timing = flow.timing
        factor = timing.fraction / (ONE + timing.fraction * rate) + timing.periods / (ONE + rate)
        total -= flow.amount * factor / discount(rate, timing)
    return total


def periodic_rate(advance: Decimal, flows: Sequence[Flow]) -> Decimal:
    """The rate per unit period that makes the payments worth the advance (Newton, bisection)."""
    total = sum((flow.amount for flow in flows), ZERO)
    if advance <= ZERO:
        raise CalcInputError({"amount_financed": "Must be above zero."})
    if total < advance:
        raise CalcInputError({"payments": "The payments are less than the amount financed."})
    with localcontext() as context:
        context.prec = PRECISION
        low, high = ZERO, UPPER_RATE
        rate = ZERO if total == advance else Decimal("0.01")
        for _ in range(200):
            error = present_value(flows, rate) - advance
            if error == ZERO:
                return rate
            # Present value falls as the rate rises: a positive error means the rate is too low.
            if error > ZERO:
                low = max(low, rate)
            else:
                high = min(high, rate)
            slope = _slope(flows, rate)
            candidate = rate - error / slope if slope != ZERO else (low + high) / 2
            if not low <= candidate <= high:
                candidate = (low + high) / 2
            if abs(candidate - rate) < TOLERANCE:
                return candidate
            rate = candidate
        return rate


def apr_percent(advance: Decimal, flows: Sequence[Flow], periods_per_year: int = 12) -> Decimal:
    """The unrounded APR in percent (Appendix J: i times the unit periods in a year)."""
    with localcontext() as context:
        context.prec = PRECISION
        return periodic_rate(advance, flows) * periods_per_year * HUNDRED

"""Floor-plan arithmetic in Decimal, without the database: daily interest, curtailments,
payoff. The stocking actions and the accrual job call these; docs/stocking.md has the
worked examples the tests pin.

Interest accrues for every day a unit is floored, the funding day included and the payoff
day excluded, on that day's outstanding principal at the rate in force that day. Each day's
posted amount is the change in the *rounded running total*, so the posted cents of any run
of days add up to the exact interest rounded once, never drifting by a cent a day.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

CENT = Decimal("0.01")
# Running totals keep enough places that rounding once at the end is exact to the cent.
EXACT = Decimal("0.0000000001")
HUNDRED = Decimal("100")


class DayCountBasis(StrEnum):
    """How a lender turns an annual rate into a daily one (labels: BASIS_LABELS)."""

    ACTUAL_365 = "actual/365"
    ACTUAL_360 = "actual/360"
    ACTUAL_ACTUAL = "actual/actual"

    def days_in_year(self, day: date) -> int:
        if self is DayCountBasis.ACTUAL_360:
            return 360
        if self is DayCountBasis.ACTUAL_ACTUAL and calendar.isleap(day.year):
            return 366
        return 365


BASIS_LABELS = {
    DayCountBasis.ACTUAL_365: "Rate / 365 every day (a leap year has 366 days of interest)",
    DayCountBasis.ACTUAL_360: "Rate / 360 every day",
    DayCountBasis.ACTUAL_ACTUAL: "Rate / 366 on the days of a leap year, else / 365",
}


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class RateChange:
    """From `effective_from` on, the facility charges `annual_percent` (e.g. 7.25)."""

    effective_from: date
    annual_percent: Decimal


def rate_on(day: date, rates: Sequence[RateChange]) -> Decimal:
    """The annual percent in force on `day` (the latest change on or before it)."""
    current: Decimal | None = None
    for change in sorted(rates, key=lambda r: r.effective_from):
        if change.effective_from <= day:
            current = change.annual_percent
    if current is None:
        raise ValueError(f"No interest rate is in force on {day.isoformat()}.")
    return current


def exact_daily_interest(
    balance: Decimal, annual_percent: Decimal, basis: DayCountBasis, day: date
) -> Decimal:
    """One day's interest on `balance`, unrounded (to EXACT places)."""
    return (balance * annual_percent / HUNDRED / basis.days_in_year(day)).quantize(EXACT)


@dataclass(frozen=True)
class DayInterest:
    day: date
    balance: Decimal
    annual_percent: Decimal
    exact: Decimal  # this day's unrounded interest
    running_exact: Decimal  # every day so far, unrounded
    posted: Decimal  # cents posted for this day: cents(running) - cents(running before)


def accrue_days(
    balance_on: dict[date, Decimal] | Decimal,
    rates: Sequence[RateChange],
    basis: DayCountBasis,
    first_day: date,
    last_day: date,
    running_before: Decimal = Decimal("0"),
) -> list[DayInterest]:
    """Interest for each day first_day..last_day inclusive.

    `balance_on`: one principal for every day, or the principal per day (a curtailment
    lowers it from its payment day on). `running_before`: the unrounded total already
    accrued before first_day, so a run that continues yesterday's posts the right cents.
    """
    out: list[DayInterest] = []
    running = running_before
    day = first_day
    while day <= last_day:
        balance = balance_on if isinstance(balance_on, Decimal) else balance_on[day]
        percent = rate_on(day, rates)
        exact = exact_daily_interest(balance, percent, basis, day)
        posted = cents(running + exact) - cents(running)
        running += exact
        out.append(DayInterest(day, balance, percent, exact, running, posted))
        day += timedelta(days=1)
    return out


def interest_between(
    balance: Decimal,
    rates: Sequence[RateChange],
    basis: DayCountBasis,
    first_day: date,
    last_day: date,
) -> Decimal:
    """The interest of a constant balance over first_day..last_day, rounded once."""
    days = accrue_days(balance, rates, basis, first_day, last_day)
    return cents(days[-1].running_exact) if days else Decimal("0.00")


# --- curtailments --------------------------------------------------------------------


@dataclass(frozen=True)
class CurtailmentStep:
    """At `age_days` after funding, repay `percent` of the original advance."""

    age_days: int
    percent: Decimal


@dataclass(frozen=True)
class CurtailmentDue:
    due_on: date
    age_days: int
    amount: Decimal


def validate_schedule(steps: Iterable[CurtailmentStep]) -> list[str]:
    """Problems with a schedule, in words (empty when it is usable)."""
    problems = []
    ordered = list(steps)
    ages = [s.age_days for s in ordered]
    if len(set(ages)) != len(ages):
        problems.append("Each age may appear once in the curtailment schedule.")
    if any(s.age_days <= 0 for s in ordered):
        problems.append("A curtailment age is a number of days after funding, above 0.")
    if any(s.percent <= 0 or s.percent > HUNDRED for s in ordered):
        problems.append("A curtailment is a percent of the advance between 0 and 100.")
    if sum((s.percent for s in ordered), Decimal("0")) > HUNDRED:
        problems.append("The curtailments add up to more than the whole advance.")
    return problems


def curtailment_schedule(
    floored_on: date, advance: Decimal, steps: Iterable[CurtailmentStep]
) -> list[CurtailmentDue]:
    """Every curtailment of a unit: due `age_days` calendar days after its funding day,
    `percent` of the original advance in cents; the last never takes more than is left."""
    out: list[CurtailmentDue] = []
    left = advance
    for step in sorted(steps, key=lambda s: s.age_days):
        amount = min(cents(advance * step.percent / HUNDRED), left)
        left -= amount
        out.append(
            CurtailmentDue(floored_on + timedelta(days=step.age_days), step.age_days, amount)
        )
    return out


def curtailments_outstanding(
    floored_on: date,
    advance: Decimal,
    steps: Iterable[CurtailmentStep],
    curtailed_so_far: Decimal,
    balance: Decimal,
) -> list[CurtailmentDue]:
    """The scheduled curtailments not yet covered by what was paid, oldest first.

    Payments cover the schedule in order; a step partly paid shows its remainder. Nothing
    is due beyond the outstanding principal."""
    out: list[CurtailmentDue] = []
    paid = curtailed_so_far
    left = balance
    for due in curtailment_schedule(floored_on, advance, steps):
        covered = min(paid, due.amount)
        paid -= covered
        remainder = min(due.amount - covered, left)
        if remainder > 0:
            left -= remainder
            out.append(CurtailmentDue(due.due_on, due.age_days, remainder))
    return out


# --- advance and payoff --------------------------------------------------------------


def advance_for(cost: Decimal, advance_percent: Decimal) -> Decimal:
    """What the lender funds for a unit of `cost` at `advance_percent` (cents, half up)."""
    return cents(cost * advance_percent / HUNDRED)


@dataclass(frozen=True)
class PayoffQuote:
    principal: Decimal
    unbilled_interest: Decimal
    fee: Decimal
    due_on: date | None

    @property
    def total(self) -> Decimal:
        return self.principal + self.unbilled_interest + self.fee


def payoff_quote(
    principal: Decimal,
    unbilled_interest: Decimal,
    fee: Decimal,
    sold_on: date | None,
    payoff_due_days: int,
) -> PayoffQuote:
    """What clears a unit: its principal, interest not yet billed, the payoff fee; due
    `payoff_due_days` after the sale (None while unsold)."""
    due_on = sold_on + timedelta(days=payoff_due_days) if sold_on is not None else None
    return PayoffQuote(principal, cents(unbilled_interest), cents(fee), due_on)


def is_out_of_trust(sold_on: date | None, payoff_due_days: int, today: date) -> bool:
    """Sold and still floored after the lender's payoff window closed."""
    return sold_on is not None and today > sold_on + timedelta(days=payoff_due_days)


def utilisation_percent(used: Decimal, limit: Decimal) -> Decimal:
    if limit <= 0:
        return Decimal("0.0")
    return (used * HUNDRED / limit).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

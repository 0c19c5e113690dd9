"""Closed-end installment loans: the payment and the amortization schedule.

The payment is the level amount that repays the principal at the contract rate over the term
(Appendix J timing, so an odd first period is priced in), rounded half up to cents. The
schedule rounds each period's interest to cents and lets the last payment absorb the rounding,
so it always ends at exactly zero and its payments add up to the total of payments.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext

from forecourt.finance.calc.actuarial import (
    PRECISION,
    REGULAR_FIRST_PERIOD,
    Timing,
    discount,
)
from forecourt.finance.calc.errors import CalcInputError, Checks
from forecourt.finance.calc.money import (
    HUNDRED,
    ONE,
    ZERO,
    cents,
    check_not_negative,
    check_rate,
    check_term,
)


@dataclass(frozen=True)
class LoanTerms:
    """What a schedule needs; `annual_rate` is the contract (note) rate in percent."""

    principal: Decimal
    annual_rate: Decimal
    term: int
    first_period: Timing = REGULAR_FIRST_PERIOD
    balloon: Decimal = ZERO
    periods_per_year: int = 12

    @property
    def periodic_rate(self) -> Decimal:
        with localcontext() as context:
            context.prec = PRECISION
            return self.annual_rate / HUNDRED / self.periods_per_year

    def timing(self, number: int) -> Timing:
        """Timing of payment `number` (1-based): each later payment one full period on."""
        return Timing(self.first_period.periods + number - 1, self.first_period.fraction)


@dataclass(frozen=True)
class ScheduleRow:
    number: int
    payment: Decimal
    interest: Decimal
    principal: Decimal
    balance: Decimal
    balloon: Decimal = ZERO


@dataclass(frozen=True)
class Schedule:
    terms: LoanTerms
    payment: Decimal
    rows: tuple[ScheduleRow, ...]

    @property
    def final_payment(self) -> Decimal:
        """The last regular payment, without the balloon."""
        return self.rows[-1].payment - self.rows[-1].balloon

    @property
    def total_of_payments(self) -> Decimal:
        return sum((row.payment for row in self.rows), ZERO)

    @property
    def total_interest(self) -> Decimal:
        return sum((row.interest for row in self.rows), ZERO)

    @property
    def irregular(self) -> bool:
        """Only the first and last payments differ, so Reg Z 1026.22(a)(3) calls it regular."""
        middle = {row.payment for row in self.rows[1:-1]}
        return len(middle) > 1


def validate_terms(terms: LoanTerms) -> None:
    checks = Checks()
    check_rate(checks, "apr", terms.annual_rate)
    check_term(checks, "term", terms.term)
    check_not_negative(checks, balloon=terms.balloon)
    checks.require(terms.principal > ZERO, "amount_financed", "Must be above zero.")
    checks.require(
        terms.balloon <= terms.principal, "balloon", "Must not be above the amount financed."
    )
    checks.require(terms.first_period.fraction >= ZERO, "days_to_first_payment", "Invalid.")
    checks.require(
        terms.first_period.periods >= 1 or terms.first_period.fraction > ZERO,
        "days_to_first_payment",
        "Must be at least 1 day.",
    )
    checks.raise_if_any()


def exact_payment(terms: LoanTerms) -> Decimal:
    """The unrounded level payment: (principal - balloon's present value) / annuity factor."""
    rate = terms.periodic_rate
    with localcontext() as context:
        context.prec = PRECISION
        numbers = range(1, terms.term + 1)
        factor = sum((ONE / discount(rate, terms.timing(k)) for k in numbers), ZERO)
        balloon_value = terms.balloon / discount(rate, terms.timing(terms.term))
        return (terms.principal - balloon_value) / factor


def payment(terms: LoanTerms) -> Decimal:
    validate_terms(terms)
    return cents(exact_payment(terms))


def first_period_interest(balance: Decimal, terms: LoanTerms) -> Decimal:
    """Interest earned to the first payment: the Appendix J factor, less one, on the balance."""
    return cents(balance * (discount(terms.periodic_rate, terms.first_period) - ONE))


def schedule(terms: LoanTerms, level_payment: Decimal | None = None) -> Schedule:
    """The amortization schedule; `level_payment` overrides the computed one (solve-for)."""
    validate_terms(terms)
    amount = payment(terms) if level_payment is None else level_payment
    rate = terms.periodic_rate
    balance = terms.principal
    rows: list[ScheduleRow] = []
    for number in range(1, terms.term + 1):
        first = number == 1
        interest = first_period_interest(balance, terms) if first else cents(balance * rate)
        if number == terms.term:
            due = balance + interest
            rows.append(ScheduleRow(number, due, interest, balance, ZERO, terms.balloon))
            break
        principal = amount - interest
        balance -= principal
        rows.append(ScheduleRow(number, amount, interest, principal, balance))
    final = rows[-1]
    if final.payment - final.balloon <= ZERO:
        raise CalcInputError(
            {"amount_financed": "Too small to spread over this many payments; shorten the term."}
        )
    return Schedule(terms, amount, tuple(rows))

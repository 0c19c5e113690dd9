"""UK consumer car finance: hire purchase and PCP, APR per FCA CONC App 1.1.

The instalment is the level amount that repays the credit at the nominal monthly rate, less
the present value of a PCP's guaranteed future value (the balloon):
P = C*r/(1-(1+r)^-n) - B*r/((1+r)^n - 1). The schedule is the installment schedule (interest
rounded per month, the last instalment absorbs rounding). The APR is the annual rate X with

    sum(credit drawn (1+X)^-s) = sum(payments (1+X)^-t)

times in years from the drawdown (CONC App 1.1: a year is 12 equal months, or 365 days, 366
in a leap year), the result rounded half up to one decimal place (docs/finance.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum

from forecourt.finance.calc.actuarial import PRECISION, UPPER_RATE, add_months, months_between
from forecourt.finance.calc.errors import CalcInputError, Checks
from forecourt.finance.calc.installment import LoanTerms, Schedule, schedule
from forecourt.finance.calc.money import HUNDRED, ONE, ZERO, check_not_negative

APR_PLACES = Decimal("0.1")
MONTHS_PER_YEAR = 12
TOLERANCE = Decimal("1e-20")


class Product(StrEnum):
    HP = "hp"
    PCP = "pcp"


@dataclass(frozen=True)
class UkPayment:
    """A payment at `years` after the drawdown (CONC App 1.1 time in years)."""

    amount: Decimal
    years: Decimal


def years_from_months(months: int) -> Decimal:
    with localcontext() as context:
        context.prec = PRECISION
        return Decimal(months) / MONTHS_PER_YEAR


def years_between(drawdown: date, payment: date) -> Decimal:
    """Whole months as twelfths of a year, the remaining days over the year's days."""
    months, days = months_between(drawdown, payment)
    year_days = 366 if _is_leap(payment.year) else 365
    with localcontext() as context:
        context.prec = PRECISION
        return Decimal(months) / MONTHS_PER_YEAR + Decimal(days) / year_days


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _present_value(payments: Sequence[UkPayment], rate: Decimal) -> Decimal:
    with localcontext() as context:
        context.prec = PRECISION
        return sum((item.amount / (ONE + rate) ** item.years for item in payments), ZERO)


def uk_apr_exact(credit: Decimal, payments: Sequence[UkPayment]) -> Decimal:
    """The annual rate X, in percent, unrounded: bisection on the CONC equation."""
    if credit <= ZERO:
        raise CalcInputError({"credit": "Must be above zero."})
    if sum((item.amount for item in payments), ZERO) < credit:
        raise CalcInputError({"payments": "The payments are less than the credit."})
    with localcontext() as context:
        context.prec = PRECISION
        low, high = ZERO, UPPER_RATE * 100
        while high - low > TOLERANCE:
            middle = (low + high) / 2
            if _present_value(payments, middle) > credit:
                low = middle
            else:
                high = middle
        return (low + high) / 2 * HUNDRED


def uk_apr(credit: Decimal, payments: Sequence[UkPayment]) -> Decimal:
    """Rounded half up to one decimal place, as CONC App 1.1 asks."""
    return uk_apr_exact(credit, payments).quantize(APR_PLACES, rounding=ROUND_HALF_UP)


def apr_from_nominal(nominal: Decimal) -> Decimal:
    """Equivalent APR (percent) of a nominal annual rate compounded monthly."""
    with localcontext() as context:
        context.prec = PRECISION
        return ((ONE + nominal / HUNDRED / MONTHS_PER_YEAR) ** MONTHS_PER_YEAR - ONE) * HUNDRED


def nominal_from_apr(apr: Decimal) -> Decimal:
    with localcontext() as context:
        context.prec = PRECISION
        monthly = (ONE + apr / HUNDRED) ** (ONE / MONTHS_PER_YEAR) - ONE
        return monthly * MONTHS_PER_YEAR * HUNDRED


@dataclass(frozen=True)
class UkAgreement:
    product: Product
    cash_price: Decimal
    deposit: Decimal
    nominal_rate: Decimal
    term: int
    balloon: Decimal = ZERO
    option_to_purchase_fee: Decimal = ZERO
    documentation_fee: Decimal = ZERO
    # With both dates the APR times each payment by its calendar date (monthly on the first
    # payment's day of the month); without them every month is a twelfth of a year.
    agreement_date: date | None = None
    first_payment_date: date | None = None

    def years_to_payment(self, number: int) -> Decimal:
        if self.agreement_date is None or self.first_payment_date is None:
            return years_from_months(number)
        due = add_months(self.first_payment_date, number - 1)
        return years_between(self.agreement_date, due)


@dataclass(frozen=True)
class RepresentativeExample:
    """The FCA representative example (CONC 3.5.13), every figure from the schedule."""

    cash_price: Decimal
    deposit: Decimal
    credit: Decimal
    term: int
    monthly_instalment: Decimal
    final_instalment: Decimal
    optional_final_payment: Decimal
    option_to_purchase_fee: Decimal
    documentation_fee: Decimal
    total_charge_for_credit: Decimal
    total_amount_payable: Decimal
    rate_of_interest: Decimal
    representative_apr: Decimal


@dataclass(frozen=True)
class UkQuote:
    agreement: UkAgreement
    schedule: Schedule
    payments: tuple[UkPayment, ...]
    example: RepresentativeExample


def validate_agreement(agreement: UkAgreement) -> None:
    checks = Checks()
    check_not_negative(
        checks,
        cash_price=agreement.cash_price,
        deposit=agreement.deposit,
        balloon=agreement.balloon,
        option_to_purchase_fee=agreement.option_to_purchase_fee,
        documentation_fee=agreement.documentation_fee,
    )
    checks.require(
        agreement.deposit < agreement.cash_price, "deposit", "Must be less than the cash price."
    )
    checks.require(
        agreement.product == Product.PCP or agreement.balloon == ZERO,
        "balloon",
        "Hire purchase has no final balloon; choose PCP.",
    )
    dates = (agreement.agreement_date, agreement.first_payment_date)
    checks.require(
        None in dates or dates[0] < dates[1],  # type: ignore[operator]
        "first_payment_date",
        "Must be after the agreement date.",
    )
    checks.require(
        agreement.product == Product.HP or agreement.balloon > ZERO,
        "balloon",
        "A PCP needs a guaranteed future value.",
    )
    checks.raise_if_any()


def quote_uk(agreement: UkAgreement) -> UkQuote:
    validate_agreement(agreement)
    credit = agreement.cash_price - agreement.deposit
    plan = schedule(
        LoanTerms(credit, agreement.nominal_rate, agreement.term, balloon=agreement.balloon)
    )
    payments = []
    for row in plan.rows:
        amount = row.payment
        if row.number == 1:
            amount += agreement.documentation_fee
        if row.number == agreement.term:
            amount += agreement.option_to_purchase_fee
        payments.append(UkPayment(amount, agreement.years_to_payment(row.number)))
    total_payable = agreement.deposit + sum((item.amount for item in payments), ZERO)
    example = RepresentativeExample(
        cash_price=agreement.cash_price,
        deposit=agreement.deposit,
        credit=credit,
        term=agreement.term,
        monthly_instalment=plan.payment,
        final_instalment=plan.final_payment,
        optional_final_payment=agreement.balloon,
        option_to_purchase_fee=agreement.option_to_purchase_fee,
        documentation_fee=agreement.documentation_fee,
        total_charge_for_credit=total_payable - agreement.cash_price,
        total_amount_payable=total_payable,
        rate_of_interest=agreement.nominal_rate,
        representative_apr=uk_apr(credit, payments),
    )
    return UkQuote(agreement, plan, tuple(payments), example)

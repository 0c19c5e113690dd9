"""Closed-end consumer lease (US): the payment and the Regulation M disclosures.

Money factor = APR / 2400. Residual = MSRP x residual percent. Base monthly payment =
depreciation + rent charge, where depreciation = (adjusted capitalized cost - residual) / term
and rent charge = (adjusted capitalized cost + residual) x money factor, each rounded to cents.
The disclosed totals come from the rounded payment (12 CFR 1013.4): the total rent charge is
the total of base payments less the depreciation and amortized amounts.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext
from enum import StrEnum

from forecourt.finance.calc.actuarial import PRECISION
from forecourt.finance.calc.errors import Checks
from forecourt.finance.calc.money import (
    HUNDRED,
    MAX_APR,
    ZERO,
    cents,
    check_not_negative,
    check_term,
)

MONEY_FACTOR_DIVISOR = Decimal("2400")


def money_factor_from_apr(apr: Decimal) -> Decimal:
    with localcontext() as context:
        context.prec = PRECISION
        return apr / MONEY_FACTOR_DIVISOR


def apr_from_money_factor(money_factor: Decimal) -> Decimal:
    return money_factor * MONEY_FACTOR_DIVISOR


class LeaseTax(StrEnum):
    """How the jurisdiction taxes a lease: on each payment, or on all of them at signing."""

    MONTHLY = "monthly"
    UPFRONT = "upfront"


@dataclass(frozen=True)
class LeaseInput:
    msrp: Decimal
    selling_price: Decimal
    residual_percent: Decimal
    term: int
    money_factor: Decimal
    acquisition_fee: Decimal = ZERO
    capitalized_charges: Decimal = ZERO
    prior_balance: Decimal = ZERO
    cash_down: Decimal = ZERO
    trade_equity: Decimal = ZERO
    rebate: Decimal = ZERO
    tax_rate: Decimal = ZERO
    tax_mode: LeaseTax = LeaseTax.MONTHLY
    security_deposit: Decimal = ZERO
    fees_at_signing: Decimal = ZERO
    acquisition_fee_capitalized: bool = True


@dataclass(frozen=True)
class LeaseQuote:
    """Every number the Regulation M box shows, reproducible from the base payment."""

    lease: LeaseInput
    gross_cap_cost: Decimal
    cap_cost_reduction: Decimal
    adjusted_cap_cost: Decimal
    residual: Decimal
    depreciation_total: Decimal
    depreciation_monthly: Decimal
    rent_charge_monthly: Decimal
    base_payment: Decimal
    monthly_tax: Decimal
    monthly_payment: Decimal
    total_of_base_payments: Decimal
    rent_charge_total: Decimal
    upfront_tax: Decimal
    amount_due_at_signing: Decimal
    total_of_payments: Decimal
    apr_equivalent: Decimal


def validate_lease(lease: LeaseInput) -> None:
    checks = Checks()
    check_term(checks, "term", lease.term)
    check_not_negative(
        checks,
        msrp=lease.msrp,
        selling_price=lease.selling_price,
        residual_percent=lease.residual_percent,
        money_factor=lease.money_factor,
        acquisition_fee=lease.acquisition_fee,
        capitalized_charges=lease.capitalized_charges,
        prior_balance=lease.prior_balance,
        cash_down=lease.cash_down,
        trade_equity=lease.trade_equity,
        rebate=lease.rebate,
        tax_rate=lease.tax_rate,
        security_deposit=lease.security_deposit,
        fees_at_signing=lease.fees_at_signing,
    )
    checks.require(lease.msrp > ZERO, "msrp", "Must be above zero.")
    checks.require(
        apr_from_money_factor(lease.money_factor) <= MAX_APR,
        "money_factor",
        f"Must not be above {MAX_APR / MONEY_FACTOR_DIVISOR} (an APR of {MAX_APR}%).",
    )
    checks.require(lease.residual_percent <= HUNDRED, "residual_percent", "Must be 100 or less.")
    checks.raise_if_any()
    gross, reduction = _cap_costs(lease)
    checks.require(
        reduction < gross, "cash_down", "The reductions cover the whole capitalized cost."
    )
    checks.require(
        _residual(lease) <= gross - reduction,
        "residual_percent",
        "The residual is above the adjusted capitalized cost.",
    )
    checks.raise_if_any()


def _cap_costs(lease: LeaseInput) -> tuple[Decimal, Decimal]:
    acquisition = lease.acquisition_fee if lease.acquisition_fee_capitalized else ZERO
    gross = lease.selling_price + acquisition + lease.capitalized_charges + lease.prior_balance
    return gross, lease.cash_down + lease.trade_equity + lease.rebate


def _residual(lease: LeaseInput) -> Decimal:
    return cents(lease.msrp * lease.residual_percent / HUNDRED)


def quote_lease(lease: LeaseInput) -> LeaseQuote:
    validate_lease(lease)
    gross, reduction = _cap_costs(lease)
    adjusted = gross - reduction
    residual = _residual(lease)
    depreciation = adjusted - residual
    with localcontext() as context:
        context.prec = PRECISION
        depreciation_monthly = cents(depreciation / lease.term)
        rent_monthly = cents((adjusted + residual) * lease.money_factor)
    base = depreciation_monthly + rent_monthly
    rate = lease.tax_rate / HUNDRED
    total_base = base * lease.term
    if lease.tax_mode == LeaseTax.MONTHLY:
        monthly_tax, upfront_tax = cents(base * rate), ZERO
    else:
        monthly_tax, upfront_tax = ZERO, cents(total_base * rate)
    monthly = base + monthly_tax
    acquisition_at_signing = ZERO if lease.acquisition_fee_capitalized else lease.acquisition_fee
    due_at_signing = (
        monthly
        + lease.cash_down
        + lease.fees_at_signing
        + upfront_tax
        + lease.security_deposit
        + acquisition_at_signing
    )
    # 12 CFR 1013.4(e): periodic payments plus other charges plus the amount due at signing,
    # less the refundable deposit and the first payment counted in the amount due at signing.
    total_of_payments = monthly * lease.term + due_at_signing - lease.security_deposit - monthly
    return LeaseQuote(
        lease=lease,
        gross_cap_cost=gross,
        cap_cost_reduction=reduction,
        adjusted_cap_cost=adjusted,
        residual=residual,
        depreciation_total=depreciation,
        depreciation_monthly=depreciation_monthly,
        rent_charge_monthly=rent_monthly,
        base_payment=base,
        monthly_tax=monthly_tax,
        monthly_payment=monthly,
        total_of_base_payments=total_base,
        rent_charge_total=total_base - depreciation,
        upfront_tax=upfront_tax,
        amount_due_at_signing=due_at_signing,
        total_of_payments=total_of_payments,
        apr_equivalent=apr_from_money_factor(lease.money_factor),
    )

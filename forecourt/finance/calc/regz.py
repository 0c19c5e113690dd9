"""Truth in Lending disclosures for a retail installment sale (12 CFR 1026.18, 1026.22).

Amount financed (1026.18(b)): cash price less the down payment, plus other amounts financed
that are not finance charges, less any prepaid finance charge. Finance charge (1026.18(d)):
total of payments less amount financed. Total sale price (1026.18(j)): cash price plus other
charges plus finance charge, which equals the total of payments plus the down payment (plus a
prepaid finance charge paid in cash). The APR is the Appendix J rate on the amount financed
and the schedule's own payments, so every disclosed number reproduces from the schedule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from forecourt.finance.calc.actuarial import REGULAR_FIRST_PERIOD, Flow, Timing, apr_percent
from forecourt.finance.calc.errors import Checks
from forecourt.finance.calc.installment import LoanTerms, Schedule, schedule
from forecourt.finance.calc.money import ZERO, check_not_negative

REGULAR_TOLERANCE = Decimal("0.125")
IRREGULAR_TOLERANCE = Decimal("0.25")
DISCLOSED_APR_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Charge:
    label: str
    amount: Decimal


@dataclass(frozen=True)
class Itemization:
    """The sale as the buyer signs it; `other_charges` are financed non-finance charges."""

    cash_price: Decimal
    cash_down: Decimal = ZERO
    trade_allowance: Decimal = ZERO
    trade_payoff: Decimal = ZERO
    rebate: Decimal = ZERO
    sales_tax: Decimal = ZERO
    other_charges: tuple[Charge, ...] = field(default_factory=tuple)
    prepaid_finance_charge: Decimal = ZERO
    prepaid_finance_charge_financed: bool = True

    @property
    def net_trade(self) -> Decimal:
        """Trade equity; negative equity (payoff above allowance) is financed."""
        return self.trade_allowance - self.trade_payoff

    @property
    def down_payment(self) -> Decimal:
        return self.cash_down + self.rebate + max(self.net_trade, ZERO)

    @property
    def other_charges_total(self) -> Decimal:
        return sum((charge.amount for charge in self.other_charges), ZERO)

    @property
    def negative_equity(self) -> Decimal:
        return max(-self.net_trade, ZERO)

    @property
    def unpaid_balance_of_cash_price(self) -> Decimal:
        return self.cash_price + self.sales_tax - self.down_payment

    @property
    def amount_financed(self) -> Decimal:
        financed = self.unpaid_balance_of_cash_price + self.other_charges_total
        financed += self.negative_equity
        if not self.prepaid_finance_charge_financed:
            financed -= self.prepaid_finance_charge
        return financed

    @property
    def principal(self) -> Decimal:
        """What the buyer's payments repay: the note, which the prepaid finance charge is part of
        whether it is financed or paid in cash (Reg Z deducts it from the amount financed)."""
        return self.amount_financed + self.prepaid_finance_charge


def validate_itemization(items: Itemization) -> None:
    checks = Checks()
    check_not_negative(
        checks,
        cash_price=items.cash_price,
        cash_down=items.cash_down,
        trade_allowance=items.trade_allowance,
        trade_payoff=items.trade_payoff,
        rebate=items.rebate,
        sales_tax=items.sales_tax,
        prepaid_finance_charge=items.prepaid_finance_charge,
    )
    for charge in items.other_charges:
        checks.require(charge.amount >= ZERO, "other_charges", "Must not be negative.")
    checks.require(
        items.amount_financed > ZERO,
        "cash_down",
        "The down payment covers the whole price: nothing is financed.",
    )
    checks.raise_if_any()


@dataclass(frozen=True)
class Disclosure:
    """The federal box of a retail installment contract, and the schedule behind it."""

    itemization: Itemization
    schedule: Schedule
    amount_financed: Decimal
    finance_charge: Decimal
    total_of_payments: Decimal
    total_sale_price: Decimal
    apr_exact: Decimal
    apr: Decimal
    irregular: bool

    @property
    def payment(self) -> Decimal:
        return self.schedule.payment

    @property
    def tolerance(self) -> Decimal:
        return IRREGULAR_TOLERANCE if self.irregular else REGULAR_TOLERANCE


def schedule_flows(plan: Schedule) -> list[Flow]:
    return [Flow(row.payment, plan.terms.timing(row.number)) for row in plan.rows]


def disclose(
    items: Itemization,
    contract_rate: Decimal,
    term: int,
    first_period: Timing = REGULAR_FIRST_PERIOD,
    balloon: Decimal = ZERO,
    level_payment: Decimal | None = None,
) -> Disclosure:
    validate_itemization(items)
    plan = schedule(
        LoanTerms(items.principal, contract_rate, term, first_period, balloon), level_payment
    )
    total = plan.total_of_payments
    financed = items.amount_financed
    exact = apr_percent(financed, schedule_flows(plan))
    financed_prepaid = items.prepaid_finance_charge_financed
    prepaid_in_cash = ZERO if financed_prepaid else items.prepaid_finance_charge
    return Disclosure(
        itemization=items,
        schedule=plan,
        amount_financed=financed,
        finance_charge=total - financed,
        total_of_payments=total,
        total_sale_price=total + items.down_payment + prepaid_in_cash,
        apr_exact=exact,
        apr=exact.quantize(DISCLOSED_APR_PLACES, rounding=ROUND_HALF_UP),
        irregular=plan.irregular,
    )


def apr_within_tolerance(disclosed: Decimal, actual: Decimal, irregular: bool = False) -> bool:
    """12 CFR 1026.22(a)(2)-(3): 1/8 point either way, 1/4 for an irregular transaction."""
    tolerance = IRREGULAR_TOLERANCE if irregular else REGULAR_TOLERANCE
    return abs(disclosed - actual) <= tolerance

"""Scenarios side by side: the terms x down payments x rates grid, and the four-square."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from forecourt.finance.calc.errors import CalcInputError
from forecourt.finance.calc.installment import schedule
from forecourt.finance.calc.money import ZERO
from forecourt.finance.calc.solve import Desk, validate_desk

MAX_CELLS = 60


@dataclass(frozen=True)
class Scenario:
    term: int
    cash_down: Decimal
    apr: Decimal
    amount_financed: Decimal
    payment: Decimal
    final_payment: Decimal
    total_of_payments: Decimal
    finance_charge: Decimal


def scenario(desk: Desk) -> Scenario:
    validate_desk(desk)
    financed = desk.itemization().amount_financed
    if financed <= ZERO:
        raise CalcInputError({"cash_down": "The down payment covers the whole price."})
    plan = schedule(desk.loan_terms())
    return Scenario(
        term=desk.term,
        cash_down=desk.cash_down,
        apr=desk.apr,
        amount_financed=financed,
        payment=plan.payment,
        final_payment=plan.final_payment,
        total_of_payments=plan.total_of_payments,
        finance_charge=plan.total_of_payments - financed,
    )


def grid(
    desk: Desk,
    terms: Sequence[int],
    downs: Sequence[Decimal],
    aprs: Sequence[Decimal],
) -> list[Scenario]:
    """Every combination, terms outermost; the desk supplies everything else."""
    terms, downs, aprs = terms or [desk.term], downs or [desk.cash_down], aprs or [desk.apr]
    if len(terms) * len(downs) * len(aprs) > MAX_CELLS:
        raise CalcInputError({"terms": f"At most {MAX_CELLS} scenarios at once."})
    return [
        scenario(replace(desk, term=term, cash_down=down, apr=apr))
        for term in terms
        for down in downs
        for apr in aprs
    ]


@dataclass(frozen=True)
class FourSquare:
    """The desking worksheet: price, trade, down and the payments the customer can choose."""

    price: Decimal
    sales_tax: Decimal
    fees_and_products: Decimal
    trade_allowance: Decimal
    trade_payoff: Decimal
    net_trade: Decimal
    cash_down: Decimal
    payments: list[Scenario]


def four_square(desk: Desk, terms: Sequence[int], downs: Sequence[Decimal]) -> FourSquare:
    items = desk.itemization()
    return FourSquare(
        price=desk.price,
        sales_tax=items.sales_tax,
        fees_and_products=items.other_charges_total,
        trade_allowance=desk.trade_allowance,
        trade_payoff=desk.trade_payoff,
        net_trade=items.net_trade,
        cash_down=desk.cash_down,
        payments=grid(desk, terms, downs, [desk.apr]),
    )

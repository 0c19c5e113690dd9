"""A product menu's payment impact: each column's products financed on top of the deal."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from forecourt.finance.calc.money import ZERO
from forecourt.finance.calc.solve import Desk, quote


@dataclass(frozen=True)
class MenuColumnInput:
    name: str
    products_total: Decimal
    taxable_total: Decimal = ZERO


@dataclass(frozen=True)
class MenuColumnQuote:
    name: str
    products_total: Decimal
    amount_financed: Decimal
    payment: Decimal
    impact: Decimal
    total_of_payments: Decimal


def menu_payments(desk: Desk, columns: Sequence[MenuColumnInput]) -> list[MenuColumnQuote]:
    """The base deal first (no products), then each column with its products financed."""
    base = quote(desk)
    quotes = [
        MenuColumnQuote(
            "none", ZERO, base.amount_financed, base.payment, ZERO, base.total_of_payments
        )
    ]
    for column in columns:
        box = quote(
            replace(
                desk,
                products=desk.products + column.products_total,
                taxable_products=desk.taxable_products + column.taxable_total,
            )
        )
        quotes.append(
            MenuColumnQuote(
                column.name,
                column.products_total,
                box.amount_financed,
                box.payment,
                box.payment - base.payment,
                box.total_of_payments,
            )
        )
    return quotes

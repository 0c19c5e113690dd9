"""A stored product menu priced on a deal: each column's payment and its impact."""

from __future__ import annotations

from decimal import Decimal

from forecourt.finance.calc.menu import MenuColumnInput, MenuColumnQuote, menu_payments
from forecourt.finance.calc.solve import Desk
from forecourt.finance.models import MenuColumn, ProductMenu

ZERO = Decimal(0)


def column_inputs(menu: ProductMenu, jurisdiction: str) -> list[MenuColumnInput]:
    """Totals per column; a product is taxable where its jurisdictions list says so."""
    entries = list(menu.entries.select_related("product"))
    columns = []
    for column in MenuColumn:
        chosen = [entry for entry in entries if entry.column == column]
        total = sum((entry.price for entry in chosen), ZERO)
        taxable = sum(
            (entry.price for entry in chosen if entry.product.taxable_in(jurisdiction)), ZERO
        )
        columns.append(MenuColumnInput(column.label, total, taxable))
    return columns


def price_menu(menu: ProductMenu, desk: Desk, jurisdiction: str = "") -> list[MenuColumnQuote]:
    return menu_payments(desk, column_inputs(menu, jurisdiction))

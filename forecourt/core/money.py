"""Money for people: amounts formatted in a rooftop's currency. Decimal in, never float."""

from __future__ import annotations

from decimal import Decimal

CURRENCY_SYMBOLS = {"USD": "$", "GBP": "£"}


def format_money(amount: Decimal | int | str | None, currency: str) -> str:
    """'$12,345.00' / '£12,345.00'; an empty string for no amount."""
    if amount is None or amount == "":
        return ""
    value = Decimal(amount)
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} ")
    sign = "-" if value < 0 else ""
    return f"{sign}{symbol}{abs(value).quantize(Decimal('0.01')):,}"

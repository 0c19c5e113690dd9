"""The deal's arithmetic, pure: Decimals in, Decimals out, no database.

Models and actions gather the inputs (the rooftop's tax rules, the vehicle's cost and VAT
treatment, the deal's lines); everything that decides an amount lives here, so the worked
examples and property tests in forecourt/deals/tests/test_calc_*.py pin it without a database.
"""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def cents(value: Decimal) -> Decimal:
    """Round to the cent, half up (the rounding every document shows)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)

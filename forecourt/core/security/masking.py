"""Masked display of customer data, and the normalisers blind indexes hash.

Masks keep only what a person needs to recognise a value (the last digits), never
enough to use it. They accept the plain Python value of an encrypted field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

MASK = "*"


def digits_only(value: str) -> str:
    return re.sub(r"\D", "", value)


def last_digits(count: int) -> Callable[[str], str]:
    """Normaliser for an index of the last `count` digits (e.g. SSN last 4)."""

    def normalize(value: str) -> str:
        digits = digits_only(value)
        return digits[-count:] if len(digits) >= count else ""

    normalize.__name__ = f"last_{count}_digits"
    return normalize


def mask_ssn(value: Any) -> str:
    """'123-45-6789' -> '***-**-6789'."""
    digits = digits_only(str(value or ""))
    return f"***-**-{digits[-4:]}" if len(digits) >= 4 else "***-**-****"


def mask_tail(value: Any, visible: int = 4) -> str:
    """Licence or account numbers: every character but the last `visible` becomes '*'."""
    text = str(value or "")
    if not text:
        return ""
    shown = text[-visible:] if len(text) > visible else ""
    return MASK * (len(text) - len(shown)) + shown


def mask_date(value: Any) -> str:
    """A date of birth shows the year only: '**/**/1987'."""
    if isinstance(value, dt.date):
        return f"**/**/{value.year}"
    return "**/**/****" if value else ""


def mask_amount(value: Any) -> str:
    """Income and balances: nothing of the amount is shown."""
    return "*****" if value not in (None, "") else ""

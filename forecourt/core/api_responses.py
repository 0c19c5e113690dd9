"""JSON answers built straight from dicts with orjson, and the one JSON form of money.

Hot read endpoints and writes that already hold plain values use `json_response`; the
endpoint's `response=` declaration still documents the shape in OpenAPI.

Money (and every other Decimal) is a JSON *string*, never a float: an amount stored with
cents keeps them ("19995.00"), a whole amount gains them ("19995" -> "19995.00"), and a
value with more places (a rate such as "4.125") keeps every place. docs/architecture.md.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
from django.http import HttpResponse

CENT = Decimal("0.01")


def decimal_text(value: Decimal) -> str:
    """A Decimal as its JSON string: at least two places, never fewer than it has."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        value = value.quantize(CENT)
    return str(value)


def json_default(value: Any) -> Any:
    """orjson's `default`: Decimals as `decimal_text`; anything else orjson cannot encode
    (lazy translation strings, UUIDs wrapped by Django) as its text."""
    if isinstance(value, Decimal):
        return decimal_text(value)
    return str(value)


def to_json_bytes(body: Any) -> bytes:
    return orjson.dumps(body, default=json_default)


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Any:
    return HttpResponse(
        to_json_bytes(body),
        status=status,
        content_type="application/json",
        headers=headers,
    )

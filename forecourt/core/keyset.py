"""Keyset (cursor) pagination shared by every list: page N costs what page 1 costs.

A list orders by (sort column, id) and asks for limit+1 rows after the previous page's last
(value, id); the extra row says whether a next page exists, so nothing ever COUNTs. The
cursor is opaque to clients: base64 of [sort, value, id].

    rows = qs.filter(after("last_name", False, value, pk)).order_by("last_name", "id")
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from decimal import InvalidOperation
from typing import Any

import orjson
from django.db.models import Q


class BadCursor(ValueError):
    """The cursor is not one we issued for this sort; the client should start again."""


def encode_cursor(sort: str, value: Any, pk: int) -> str:
    raw = orjson.dumps([sort, value, pk], default=str)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str, convert: Callable[[Any], Any] = str) -> tuple[Any, int]:
    """(value, id) from a cursor of `sort`; `convert` makes the value the column's type."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        cursor_sort, value, pk = orjson.loads(base64.urlsafe_b64decode(padded))
    except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError):
        raise BadCursor("This cursor is not valid; start from the first page.") from None
    if cursor_sort != sort or not isinstance(pk, int):
        raise BadCursor("This cursor belongs to a different sort; start again.")
    try:
        return (None if value is None else convert(value)), pk
    except (ValueError, TypeError, InvalidOperation):
        raise BadCursor("This cursor is not valid; start from the first page.") from None


def after(name: str, descending: bool, value: Any, pk: int) -> Q:
    """Rows after (value, pk). The redundant bound gives the index a start key."""
    if descending:
        return Q(**{f"{name}__lte": value}) & (
            Q(**{f"{name}__lt": value}) | Q(**{name: value, "id__lt": pk})
        )
    return Q(**{f"{name}__gte": value}) & (
        Q(**{f"{name}__gt": value}) | Q(**{name: value, "id__gt": pk})
    )

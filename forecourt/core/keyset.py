"""Keyset (cursor) pagination shared by every list: page N costs what page 1 costs.

A list orders by (sort column, id) and asks for limit+1 rows after the previous page's last
(value, id); the extra row says whether a next page exists, so nothing ever COUNTs. The
cursor is opaque to clients: base64 of [sort, value, id].

    rows = qs.filter(after(Customer, "last_name", False, value, pk)).order_by("last_name", "id")
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from decimal import InvalidOperation
from typing import Any

import orjson
from django.db import connection
from django.db.models import BooleanField, Model, Q
from django.db.models.expressions import RawSQL


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


def after(model: type[Model], name: str, descending: bool, value: Any, pk: int) -> Q:
    """Rows after (value, pk) in the order (name, id), ascending or descending.

    A row-value comparison, `(name, id) > (value, pk)`: PostgreSQL uses it as the exact
    start key of an index ending in (name, id), so a page starting among many rows with
    the same value (a common price) does not read past them. The redundant bound on
    `name` alone keeps plans on other indexes tight. SQLite understands both."""
    return row_after(model, (name, "id"), (value, pk), descending) & Q(
        **{f"{name}__{'lte' if descending else 'gte'}": value}
    )


def row_after(
    model: type[Model], columns: Sequence[str], values: Sequence[Any], descending: bool = False
) -> Q:
    """`(columns) > (values)` (or `<`) as a filter on `model`'s table."""
    table = connection.ops.quote_name(model._meta.db_table)
    fields: list[Any] = [model._meta.get_field(c) for c in columns]
    names = ", ".join(f"{table}.{connection.ops.quote_name(f.column)}" for f in fields)
    placeholders = ", ".join(["%s"] * len(values))
    # Raw SQL gets no field conversions: prepare each value as its column would (a
    # datetime is UTC text on SQLite, for one).
    params = tuple(
        f.get_db_prep_value(v, connection, prepared=False)
        for f, v in zip(fields, values, strict=True)
    )
    # Column names come from the model; the cursor's values travel as parameters.
    row = f"({names}) {'<' if descending else '>'} ({placeholders})"
    return Q(RawSQL(row, params, BooleanField()))  # noqa: S611  # nosec B611

"""The deals list's filters and keyset pages, shared by the /deals/ screen and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.http import QueryDict

from forecourt.core.keyset import BadCursor, after, decode_cursor, encode_cursor
from forecourt.deals.models import Deal, DealStatus, SaleType

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
SORT = "-created_at"


class BadQuery(ValueError):
    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field_name = field_name


def _date(value: str, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadQuery(name, "Use a date like 2026-12-31.") from None


def _int(value: str, name: str) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise BadQuery(name, "Use a number.") from None


@dataclass(frozen=True)
class DealFilters:
    status: tuple[str, ...] = ()
    salesperson: int | None = None
    rooftop: int | None = None
    sale_type: str = ""
    date_from: date | None = None
    date_to: date | None = None
    mine: bool = False

    @classmethod
    def from_query(cls, query: QueryDict) -> DealFilters:
        statuses = tuple(s for s in query.getlist("status") if s)
        for status in statuses:
            if status not in DealStatus.values:
                raise BadQuery("status", f"Unknown status {status!r}.")
        sale_type = query.get("sale_type", "")
        if sale_type and sale_type not in SaleType.values:
            raise BadQuery("sale_type", f"Unknown sale type {sale_type!r}.")
        return cls(
            status=statuses,
            salesperson=_int(query.get("salesperson", ""), "salesperson"),
            rooftop=_int(query.get("rooftop", ""), "rooftop"),
            sale_type=sale_type,
            date_from=_date(query.get("date_from", ""), "date_from"),
            date_to=_date(query.get("date_to", ""), "date_to"),
            mine=query.get("mine", "") in ("1", "true", "on"),
        )

    def apply(self, rows: Any, user: Any) -> Any:
        if self.status:
            rows = rows.filter(status__in=self.status)
        if self.rooftop is not None:
            rows = rows.filter(rooftop_id=self.rooftop)
        if self.sale_type:
            rows = rows.filter(sale_type=self.sale_type)
        if self.date_from:
            rows = rows.filter(sale_date__gte=self.date_from)
        if self.date_to:
            rows = rows.filter(sale_date__lte=self.date_to)
        person = user.pk if self.mine else self.salesperson
        if person is not None:
            rows = rows.filter(salespeople__user_id=person)
        return rows


@dataclass
class DealPage:
    rows: list[Deal]
    next_cursor: str | None
    has_next: bool


def search_deals(
    rows: Any, filters: DealFilters, user: Any, *, cursor: str = "", limit: int = DEFAULT_LIMIT
) -> DealPage:
    if not 1 <= limit <= MAX_LIMIT:
        raise BadQuery("limit", f"Ask for 1 to {MAX_LIMIT} rows.")
    rows = filters.apply(rows, user)
    if cursor:
        try:
            value, pk = decode_cursor(cursor, SORT, datetime.fromisoformat)
        except BadCursor as error:
            raise BadQuery("cursor", str(error)) from None
        rows = rows.filter(after(Deal, "created_at", True, value, pk))
    found = list(
        rows.select_related("vehicle", "buyer", "rooftop")
        .prefetch_related("salespeople__user")
        .order_by("-created_at", "-id")[: limit + 1]
    )
    has_next = len(found) > limit
    found = found[:limit]
    last = found[-1] if has_next else None
    return DealPage(
        found, encode_cursor(SORT, last.created_at.isoformat(), last.pk) if last else None, has_next
    )

"""Finding leads and activities: the one place list filters and keyset pages live.

The list screen, the board and the API all parse the same query parameters here, so a
bookmarked filter and an API call mean the same thing. Pages are keyset pages over
(created_at, id) descending for leads and (occurred_at, id) descending for activities.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from forecourt.core import keyset
from forecourt.leads.models import Activity, ActivityKind, Lead, LeadSource, LeadStatus

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
LEAD_SORT = "-created_at"
ACTIVITY_SORT = "-occurred_at"
FOLLOW_UP_CHOICES = {"overdue": "Overdue", "today": "Due today", "none": "No follow-up set"}


class BadQuery(ValueError):
    def __init__(self, field_name: str, message: str) -> None:
        self.field_name = field_name
        super().__init__(message)


@dataclass
class Page:
    rows: list[Any]
    next_cursor: str | None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def _int(params: QueryDict | dict[str, Any], name: str) -> int | None:
    raw = params.get(name) or ""
    if raw in ("", None):
        return None
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise BadQuery(name, "Must be a whole number.") from None


def _list(params: QueryDict | dict[str, Any], name: str) -> list[str]:
    if isinstance(params, QueryDict):
        values = params.getlist(name)
    else:
        raw = params.get(name) or []
        values = raw if isinstance(raw, list) else [raw]
    return [str(v) for v in values if v]


@dataclass
class LeadFilters:
    q: str = ""
    rooftop: int | None = None
    status: list[str] = field(default_factory=list)
    source: str = ""
    owner: int | None = None
    customer: int | None = None
    follow_up: str = ""

    @classmethod
    def from_query(cls, params: QueryDict | dict[str, Any]) -> LeadFilters:
        statuses = _list(params, "status")
        bad = [s for s in statuses if s not in LeadStatus.values]
        if bad:
            raise BadQuery("status", f"Unknown status {', '.join(bad)}.")
        source = str(params.get("source") or "")
        if source and source not in LeadSource.values:
            raise BadQuery("source", f"Unknown source {source!r}.")
        follow_up = str(params.get("follow_up") or "")
        if follow_up and follow_up not in FOLLOW_UP_CHOICES:
            raise BadQuery("follow_up", "One of overdue, today, none.")
        return cls(
            q=str(params.get("q") or "").strip()[:100],
            rooftop=_int(params, "rooftop"),
            status=statuses,
            source=source,
            owner=_int(params, "owner"),
            customer=_int(params, "customer"),
            follow_up=follow_up,
        )

    def as_query(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "q": self.q,
            "rooftop": self.rooftop,
            "status": self.status,
            "source": self.source,
            "owner": self.owner,
            "customer": self.customer,
            "follow_up": self.follow_up,
        }
        return {k: v for k, v in values.items() if v not in ("", None, [])}

    def apply(self, queryset: QuerySet[Lead]) -> QuerySet[Lead]:
        if self.rooftop:
            queryset = queryset.filter(rooftop_id=self.rooftop)
        if self.status:
            queryset = queryset.filter(status__in=self.status)
        if self.source:
            queryset = queryset.filter(source=self.source)
        if self.owner:
            queryset = queryset.filter(owner_id=self.owner)
        if self.customer:
            queryset = queryset.filter(customer_id=self.customer)
        today = timezone.localdate()
        if self.follow_up == "overdue":
            queryset = queryset.open().filter(next_follow_up_on__lt=today)  # type: ignore[attr-defined]
        elif self.follow_up == "today":
            queryset = queryset.filter(next_follow_up_on=today)
        elif self.follow_up == "none":
            queryset = queryset.filter(next_follow_up_on__isnull=True)
        if self.q:
            words = self.q.split()
            for word in words:
                queryset = queryset.filter(
                    Q(customer__last_name__istartswith=word)
                    | Q(customer__first_name__istartswith=word)
                    | Q(customer__business_name__istartswith=word)
                    | Q(vehicle_description__icontains=word)
                )
        return queryset


def _parse_time(value: Any) -> datetime:
    parsed = parse_datetime(str(value))
    if parsed is None:
        raise ValueError("not a datetime")
    return parsed


def _page(
    queryset: QuerySet[Any], sort: str, column: str, cursor: str, limit: int
) -> tuple[list[Any], str | None]:
    if not 1 <= limit <= MAX_LIMIT:
        raise BadQuery("limit", f"Between 1 and {MAX_LIMIT}.")
    if cursor:
        try:
            value, pk = keyset.decode_cursor(cursor, sort, _parse_time)
        except keyset.BadCursor as error:
            raise BadQuery("cursor", str(error)) from None
        queryset = queryset.filter(keyset.after(queryset.model, column, True, value, pk))
    rows = list(queryset.order_by(f"-{column}", "-id")[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    return rows, keyset.encode_cursor(sort, getattr(last, column).isoformat(), last.pk)


def search_leads(
    queryset: QuerySet[Lead], filters: LeadFilters, *, cursor: str = "", limit: int = DEFAULT_LIMIT
) -> Page:
    rows = filters.apply(queryset).select_related("customer", "owner", "vehicle", "rooftop")
    found, next_cursor = _page(rows, LEAD_SORT, "created_at", cursor, limit)
    return Page(found, next_cursor)


@dataclass
class ActivityFilters:
    customer: int | None = None
    lead: int | None = None
    kind: str = ""

    @classmethod
    def from_query(cls, params: QueryDict | dict[str, Any]) -> ActivityFilters:
        kind = str(params.get("kind") or "")
        if kind and kind not in ActivityKind.values:
            raise BadQuery("kind", f"Unknown kind {kind!r}.")
        return cls(customer=_int(params, "customer"), lead=_int(params, "lead"), kind=kind)

    def apply(self, queryset: QuerySet[Activity]) -> QuerySet[Activity]:
        if self.customer:
            queryset = queryset.filter(customer_id=self.customer)
        if self.lead:
            queryset = queryset.filter(lead_id=self.lead)
        if self.kind:
            queryset = queryset.filter(kind=self.kind)
        return queryset


def search_activities(
    queryset: QuerySet[Activity],
    filters: ActivityFilters,
    *,
    cursor: str = "",
    limit: int = DEFAULT_LIMIT,
) -> Page:
    rows = filters.apply(queryset).select_related("created_by", "salesperson", "vehicle")
    found, next_cursor = _page(rows, ACTIVITY_SORT, "occurred_at", cursor, limit)
    return Page(found, next_cursor)

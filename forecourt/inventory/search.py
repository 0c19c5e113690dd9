"""Finding vehicles: the one place the list filters, sorts and keyset pagination live.

The UI and the API both call `search()` (the API through reads.py, which runs the same
queries compiled once per shape), so a bookmarked filter and an API query mean the same
thing. Pages are keyset (cursor) pages: each page asks for limit+1 rows after the last
row's (sort value, id), so page 500 costs what page 1 costs and nothing ever COUNTs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, Reverse
from django.urls import reverse
from django.utils import timezone

from forecourt.core import keyset
from forecourt.core.global_search import Hit
from forecourt.inventory.models import Status, Vehicle, VehicleCost, VehicleHold
from forecourt.inventory.vin import VIN_LENGTH

# Sort keys the UI and API accept -> model field. A leading "-" means descending.
SORT_FIELDS = {
    "acquired_on": "acquired_on",
    "list_price": "list_price",
    "year": "year",
    "odometer": "odometer",
    "stock_number": "stock_number",
    "make": "make",
}
DEFAULT_SORT = "-acquired_on"
STATUS_VALUES = frozenset(Status.values)  # the enum builds its list anew on every access
DEFAULT_LIMIT = 25
MAX_LIMIT = 100
MAX_ID = 2**63 - 1  # BigAutoField
# Filter values beyond any year, mileage, price or id: refused as bad input, since larger
# integers overflow the database driver (and days, the date arithmetic) -- a 500 otherwise.
MAX_FILTER_NUMBER = 10**9
MAX_DAYS = 36_500

# The columns of a list row: what the list screen and GET /vehicles return.
LIST_COLUMNS = (
    "id",
    "rooftop_id",
    "stock_number",
    "vin",
    "status",
    "condition",
    "year",
    "make",
    "model",
    "trim",
    "exterior_color",
    "odometer",
    "list_price",
    "internet_price",
    "acquired_on",
    "is_published",
    "version",
)
DETAIL_COLUMNS = (
    *LIST_COLUMNS,
    "body_style",
    "drivetrain",
    "engine",
    "transmission",
    "fuel_type",
    "interior_color",
    "odometer_brand",
    "title_status",
    "title_brand",
    "acquisition_source",
    "acquisition_cost",
    "floor_price",
    "lot_location",
    "key_tag",
    "notes",
    "sold_at",
    "created_at",
    "updated_at",
)


# Only users with this permission see a vehicle's costs: on its page, in the API and in
# exports (docs/roles.md). Roles get it by name or with a whole-app grant, never through a
# "view_*" pattern (accounts/roles.py).
COST_PERMISSION = "inventory.view_vehicle_cost"
COST_FIELDS = ("acquisition_cost", "added_costs", "true_cost")


def sees_costs(user: Any) -> bool:
    return bool(user.has_perm(COST_PERMISSION))


class BadQuery(ValueError):
    """A filter, sort or cursor the caller sent cannot be understood."""

    def __init__(self, field_name: str, message: str) -> None:
        self.field_name = field_name
        super().__init__(message)


@dataclass
class VehicleFilters:
    q: str = ""
    rooftop: int | None = None
    status: list[str] = field(default_factory=list)
    condition: str = ""
    make: str = ""
    model: str = ""
    year_min: int | None = None
    year_max: int | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    mileage_min: int | None = None
    mileage_max: int | None = None
    days_min: int | None = None
    days_max: int | None = None
    published: bool | None = None
    sort: str = DEFAULT_SORT

    @classmethod
    def from_query(cls, params: Any) -> VehicleFilters:
        """From a QueryDict (UI) or a dict; bad values raise BadQuery naming the field."""

        def text(name: str) -> str:
            return str(params.get(name) or "").strip()

        def number(name: str, kind: type = int, maximum: int = MAX_FILTER_NUMBER) -> Any:
            raw = text(name)
            if not raw:
                return None
            try:
                value = kind(raw)
            except (ValueError, InvalidOperation):
                raise BadQuery(name, "Enter a number.") from None
            if value < 0:
                raise BadQuery(name, "Must not be negative.")
            if value > maximum:
                raise BadQuery(name, f"Must be at most {maximum:,}.")
            return value

        statuses = params.getlist("status") if hasattr(params, "getlist") else params.get("status")
        if isinstance(statuses, str):
            statuses = [statuses]
        statuses = [s for s in (statuses or []) if s]
        for status in statuses:
            if status not in STATUS_VALUES:
                raise BadQuery("status", f"Unknown status {status!r}.")
        published_raw = text("published").lower()
        published = {"true": True, "1": True, "false": False, "0": False}.get(published_raw)
        sort = text("sort") or DEFAULT_SORT
        if sort.lstrip("-") not in SORT_FIELDS:
            raise BadQuery(
                "sort", f"Sort by one of {', '.join(SORT_FIELDS)} (prefix - to reverse)."
            )
        return cls(
            q=text("q")[:64],
            rooftop=number("rooftop"),
            status=statuses,
            condition=text("condition"),
            make=text("make")[:40],
            model=text("model")[:60],
            year_min=number("year_min"),
            year_max=number("year_max"),
            price_min=number("price_min", Decimal),
            price_max=number("price_max", Decimal),
            mileage_min=number("mileage_min"),
            mileage_max=number("mileage_max"),
            days_min=number("days_min", maximum=MAX_DAYS),
            days_max=number("days_max", maximum=MAX_DAYS),
            published=published,
            sort=sort,
        )

    def as_query(self) -> dict[str, Any]:
        """The non-empty filters, for building URLs (bookmarkable)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value in (None, "", []) or (f.name == "sort" and value == DEFAULT_SORT):
                continue
            out[f.name] = str(value).lower() if isinstance(value, bool) else value
        return out


@dataclass(frozen=True)
class SearchTerm:
    """What `q` asks for. Its kind decides the SQL; the other fields are the values (so the
    compiled search can put samples in their place)."""

    # "vin"; "digits" (stock prefix) and "digits_or_tail" (also VIN tail), searched as a
    # make or model when they match no unit ("RAV4", "F-150": `as_text`); "word" (stock,
    # make or model prefix); "text" (make or model prefix); "words" ("Ford Focus": a make
    # or model prefix, or a make then a model prefix).
    kind: str
    term: str = ""  # upper case, no spaces
    reversed_term: str = ""
    raw: str = ""  # as typed, spaces collapsed: make and model prefixes ignore case
    first: str = ""  # "words": the first word and the rest
    rest: str = ""

    @classmethod
    def parse(cls, q: str) -> SearchTerm:
        raw = " ".join(q.split())
        term = raw.upper().replace(" ", "")
        if len(term) == VIN_LENGTH:
            return cls("vin", term, term[::-1], raw)
        if " " in raw:  # no VIN or stock number has a space
            first, _, rest = raw.partition(" ")
            return cls("words", raw=raw, first=first, rest=rest)
        if any(c.isdigit() for c in term):
            return cls("digits_or_tail" if len(term) >= 6 else "digits", term, term[::-1], raw)
        return cls("word", term, term[::-1], raw)

    def as_text(self) -> SearchTerm | None:
        """The same text as a make or model prefix, for a stock/VIN term that matched
        nothing (None for the other kinds, which look at makes and models already)."""
        return SearchTerm("text", raw=self.raw) if self.kind.startswith("digits") else None

    def condition(self) -> Q:
        """A whole VIN; a term with digits is a stock-number prefix or the VIN's last 6-8
        (both index scans); a word is a stock, make or model prefix; text is a make or
        model prefix, words also a make followed by a model prefix."""
        if self.kind == "vin":
            return Q(vin_reversed=self.reversed_term)
        make_or_model = Q(make__istartswith=self.raw) | Q(model__istartswith=self.raw)
        if self.kind == "text":
            return make_or_model
        if self.kind == "words":
            return make_or_model | (
                Q(make__istartswith=self.first) & Q(model__istartswith=self.rest)
            )
        condition = Q(stock_number__startswith=self.term)
        if self.kind == "digits_or_tail":
            condition |= Q(vin_reversed__startswith=self.reversed_term)
        elif self.kind == "word":
            condition |= make_or_model
        return condition

    def values(self) -> dict[str, str]:
        return {
            "q_term": self.term,
            "q_reversed": self.reversed_term,
            "q_raw": self.raw,
            "q_first": self.first,
            "q_rest": self.rest,
        }


def search_term(q: str) -> SearchTerm | None:
    """What the search box's text asks for (None for no text): the one way `q` is read."""
    return SearchTerm.parse(q) if q else None


def filtered(
    queryset: QuerySet[Vehicle], f: VehicleFilters, term: SearchTerm | None = None
) -> QuerySet[Vehicle]:
    """`queryset` under the filters. `term`: what to search for, when it is not `f.q` as
    typed (a stock/VIN term retried as a make or model; the compiled reads' samples)."""
    qs = queryset
    term = term or search_term(f.q)
    if term is not None:
        qs = qs.annotate(vin_reversed=Reverse("vin")).filter(term.condition())
    if f.rooftop is not None:
        qs = qs.filter(rooftop_id=f.rooftop)
    if len(f.status) == 1:
        qs = qs.filter(status=f.status[0])
    elif f.status:
        qs = qs.filter(status__in=f.status)
    if f.condition:
        qs = qs.filter(condition=f.condition)
    if f.make:
        qs = qs.filter(make=f.make)
    if f.model:
        qs = qs.filter(model=f.model)
    bounds = {
        "year__gte": f.year_min,
        "year__lte": f.year_max,
        "list_price__gte": f.price_min,
        "list_price__lte": f.price_max,
        "odometer__gte": f.mileage_min,
        "odometer__lte": f.mileage_max,
    }
    qs = qs.filter(**{k: v for k, v in bounds.items() if v is not None})
    today = timezone.localdate()
    if f.days_min is not None:
        qs = qs.filter(acquired_on__lte=today - timedelta(days=f.days_min))
    if f.days_max is not None:
        qs = qs.filter(acquired_on__gte=today - timedelta(days=f.days_max))
    if f.published is not None:
        qs = qs.filter(is_published=f.published)
    return qs


# --- keyset cursors --------------------------------------------------------------------


def _cursor_value(name: str) -> Any:
    if name == "list_price":
        return lambda v: Decimal(str(v))
    if name == "acquired_on":
        return lambda v: date.fromisoformat(str(v))
    if name in ("year", "odometer"):
        return int
    return str


def decode_cursor(cursor: str, sort: str) -> tuple[Any, int]:
    try:
        return keyset.decode_cursor(cursor, sort, _cursor_value(SORT_FIELDS[sort.lstrip("-")]))
    except keyset.BadCursor as error:
        raise BadQuery("cursor", str(error)) from None


@dataclass
class Page:
    rows: list[dict[str, Any]]
    next_cursor: str | None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def page_query(
    queryset: QuerySet[Vehicle],
    f: VehicleFilters,
    term: SearchTerm | None,
    after: tuple[Any, int] | None,
    limit: int,
    columns: tuple[str, ...],
) -> QuerySet[Vehicle, dict[str, Any]]:
    """limit+1 rows (dicts of `columns`) after the cursor's (value, id), in sort order."""
    descending = f.sort.startswith("-")
    name = SORT_FIELDS[f.sort.lstrip("-")]
    qs = filtered(queryset, f, term)
    if after is not None:
        qs = qs.filter(keyset.after(Vehicle, name, descending, *after))
    order = [f"-{name}", "-id"] if descending else [name, "id"]
    return qs.order_by(*order).values(*columns)[: limit + 1]


def page_of(rows: list[dict[str, Any]], f: VehicleFilters, limit: int) -> Page:
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = keyset.encode_cursor(
            f.sort, last[SORT_FIELDS[f.sort.lstrip("-")]], last["id"]
        )
    return Page(rows, next_cursor)


def as_text_term(f: VehicleFilters) -> SearchTerm | None:
    """The filters' stock/VIN search term read as a make or model instead (None when the
    term is of another kind, or there is none)."""
    term = search_term(f.q)
    return term.as_text() if term is not None else None


# Rows of one page for (search term, cursor position).
Fetch = Callable[[SearchTerm | None, "tuple[Any, int] | None"], list[dict[str, Any]]]


def first_matching_page(
    fetch: Fetch, f: VehicleFilters, after: tuple[Any, int] | None, limit: int
) -> Page:
    """The page of `fetch(term, after)`; when a term with digits matches no stock number or
    VIN it is a make or model ("RAV4", "F-150", "CX-5"), and every page of that search says
    so again (the first page of the stock/VIN search being empty). Costs an extra query
    only when a page comes back empty."""
    term = search_term(f.q)
    rows = fetch(term, after)
    text = None if rows else as_text_term(f)
    if text is not None and (after is None or not fetch(term, None)):
        rows = fetch(text, after)
    return page_of(rows, f, limit)


def search(
    queryset: QuerySet[Vehicle],
    f: VehicleFilters,
    *,
    cursor: str = "",
    limit: int = DEFAULT_LIMIT,
    columns: tuple[str, ...] = LIST_COLUMNS,
) -> Page:
    """One page of rows (dicts of `columns`), in one query (two when a stock/VIN term
    finds nothing and is tried as a make or model)."""
    limit = max(1, min(limit, MAX_LIMIT))
    after = decode_cursor(cursor, f.sort) if cursor else None

    def fetch(term: SearchTerm | None, a: tuple[Any, int] | None) -> list[dict[str, Any]]:
        return list(page_query(queryset, f, term, a, limit, columns))

    return first_matching_page(fetch, f, after, limit)


def detail_rows(queryset: QuerySet[Vehicle]) -> QuerySet[Vehicle, dict[str, Any]]:
    """Detail columns plus added costs and the active hold, still one query."""
    costs = (
        VehicleCost.objects.filter(vehicle=OuterRef("pk"))
        .order_by()
        .values("vehicle")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    holds = VehicleHold.objects.filter(vehicle=OuterRef("pk"), released_at__isnull=True).order_by()
    return queryset.annotate(
        added_costs=Coalesce(Subquery(costs), F("acquisition_cost") * 0),
        hold_deal_reference=Subquery(holds.values("deal_reference")[:1]),
        hold_expires_at=Subquery(holds.values("expires_at")[:1]),
    ).values(*DETAIL_COLUMNS, "added_costs", "hold_deal_reference", "hold_expires_at")


def find_for_header(user: Any, q: str, limit: int) -> list[Hit]:
    """The header search's vehicles (core/global_search.py): VIN, its last digits, stock
    number, make or model, in any status, among the vehicles this user may see."""
    page = search(Vehicle.objects.for_user(user, "view"), VehicleFilters(q=q), limit=limit)
    status_labels = dict(Status.choices)
    return [
        Hit(
            label=f"{row['year']} {row['make']} {row['model']} {row['trim']}".strip(),
            url=reverse("inventory:vehicle-detail", args=[row["id"]]),
            detail=f"Stock # {row['stock_number']} · VIN {row['vin']} · "
            f"{status_labels.get(row['status'], row['status'])}",
        )
        for row in page.rows
    ]

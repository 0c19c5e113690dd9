"""The API's hot reads: vehicle list pages, details and visibility checks, each query
compiled once per shape of request (forecourt/core/compiled.py) and run with each request's
values. The one facade over that fast path: the SQL is search.py's own (same filters, same
search terms, same keyset pages), so the domain types know nothing of compiling, and tests
check the compiled and the plain queries agree (tests/test_compiled_reads.py).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import Reverse

from forecourt.core.compiled import CompiledValues, Samples, sample_user, scope_shape
from forecourt.inventory.models import Vehicle
from forecourt.inventory.search import (
    DEFAULT_LIMIT,
    LIST_COLUMNS,
    MAX_ID,
    MAX_LIMIT,
    Page,
    SearchTerm,
    VehicleFilters,
    decode_cursor,
    detail_rows,
    first_matching_page,
    page_query,
    search,
)

# Filters whose values become parameters of a compiled query; the rest decide the SQL text
# (status, published, sort, the kind of search term) or keep the request on the uncached
# path (days_* become dates relative to today).
_SLOT_FILTERS = (
    "rooftop",
    "condition",
    "make",
    "model",
    "year_min",
    "year_max",
    "price_min",
    "price_max",
    "mileage_min",
    "mileage_max",
)


def list_page(
    user: Any, f: VehicleFilters, *, cursor: str = "", limit: int = DEFAULT_LIMIT
) -> Page:
    """`search(Vehicle.objects.for_user(user, "view"), f, ...)`, its SQL compiled once per
    shape of request (forecourt/core/compiled.py): the API's hot list path."""
    limit = max(1, min(limit, MAX_LIMIT))
    after = decode_cursor(cursor, f.sort) if cursor else None
    uncached = f.days_min is not None or f.days_max is not None
    if uncached or (after is not None and after[0] is None):
        return search(Vehicle.objects.for_user(user, "view"), f, cursor=cursor, limit=limit)
    scope = scope_shape(user, Vehicle)

    def fetch(term: SearchTerm | None, a: tuple[Any, int] | None) -> list[dict[str, Any]]:
        return _compiled_rows(user, scope, f, term, a, limit)

    return first_matching_page(fetch, f, after, limit)


def _compiled_rows(
    user: Any,
    scope: str,
    f: VehicleFilters,
    term: SearchTerm | None,
    after: tuple[Any, int] | None,
    limit: int,
) -> list[dict[str, Any]]:
    present = tuple(name for name in _SLOT_FILTERS if getattr(f, name) not in (None, ""))
    shape = (
        "inventory.search",
        scope,
        present,
        tuple(f.status),
        f.published,
        f.sort,
        after is not None,
        limit,
        term.kind if term else None,
    )

    def build(samples: Samples) -> QuerySet[Vehicle, dict[str, Any]]:
        stand_in = replace(
            f, q="", **{name: samples.like(name, getattr(f, name)) for name in present}
        )
        sample_term = _sample_term(term.kind, samples) if term is not None else None
        sample_after = (
            (samples.like("after_value", after[0]), samples.integer("after_id"))
            if after is not None
            else None
        )
        scoped = Vehicle.objects.for_user(_scoped_user(user, scope, samples), "view")
        return page_query(scoped, stand_in, sample_term, sample_after, limit, LIST_COLUMNS)

    compiled = CompiledValues.for_shape(shape, build)
    if compiled is None:  # e.g. a user who may not see vehicles: the queryset is empty
        scoped = Vehicle.objects.for_user(user, "view")
        return list(page_query(scoped, f, term, after, limit, LIST_COLUMNS))
    values = {name: getattr(f, name) for name in present}
    values["user"] = user.pk
    if term is not None:
        values.update(term.values())
    if after is not None:
        values["after_value"], values["after_id"] = after
    return list(compiled.rows(values))


def _sample_term(kind: str, samples: Samples) -> SearchTerm:
    """A search term of `kind` with samples for exactly the values its SQL uses (the slots
    `SearchTerm.values` fills)."""
    uses = {
        "q_term": kind in ("digits", "digits_or_tail", "word"),
        "q_reversed": kind in ("vin", "digits_or_tail"),
        "q_raw": kind in ("word", "text", "words"),
        "q_first": kind == "words",
        "q_rest": kind == "words",
    }
    value = {name: samples.text(name) if used else "" for name, used in uses.items()}
    return SearchTerm(
        kind,
        term=value["q_term"],
        reversed_term=value["q_reversed"],
        raw=value["q_raw"],
        first=value["q_first"],
        rest=value["q_rest"],
    )


def _scoped_user(user: Any, scope: str, samples: Samples) -> Any:
    # Only the rooftop branch of for_user puts the user's id into the SQL.
    return sample_user(user, samples) if scope == "rooftops" else user


def _detail_query(
    queryset: QuerySet[Vehicle], pk: int | None, reversed_vin: str | None
) -> QuerySet[Vehicle, dict[str, Any]]:
    if reversed_vin is not None:
        queryset = queryset.annotate(vin_reversed=Reverse("vin")).filter(vin_reversed=reversed_vin)
    if pk is not None:
        queryset = queryset.filter(pk=pk)
    return detail_rows(queryset.order_by("-id"))[:1]


def _is_an_id(pk: int) -> bool:
    """Within the id column's range. A compiled query passes values as they come, without
    the range check the ORM makes (a path like /vehicles/18446744073709551616 would reach
    the database driver and fail); no vehicle has an id outside it."""
    return 0 < pk <= MAX_ID


def detail(user: Any, *, pk: int | None = None, vin: str | None = None) -> dict[str, Any] | None:
    """The detail row of the vehicle `pk`, or of the newest unit with `vin` (normalised),
    if the user may see it; one query, compiled once per shape."""
    if pk is not None and not _is_an_id(pk):
        return None
    reversed_vin = vin[::-1] if vin is not None else None
    scope = scope_shape(user, Vehicle)
    shape = ("inventory.detail", scope, pk is not None, vin is not None)

    def build(samples: Samples) -> QuerySet[Vehicle, dict[str, Any]]:
        scoped = Vehicle.objects.for_user(_scoped_user(user, scope, samples), "view")
        return _detail_query(
            scoped,
            samples.integer("pk") if pk is not None else None,
            samples.text("vin_reversed") if vin is not None else None,
        )

    compiled = CompiledValues.for_shape(shape, build)
    if compiled is None:
        rows = _detail_query(Vehicle.objects.for_user(user, "view"), pk, reversed_vin)
        return next(iter(rows), None)
    values = {"user": user.pk, "pk": pk, "vin_reversed": reversed_vin}
    return next(compiled.rows(values), None)


def is_visible(user: Any, pk: int) -> bool:
    """Whether `for_user(user, "view")` holds the vehicle `pk` (one small compiled query)."""
    if not _is_an_id(pk):
        return False
    scope = scope_shape(user, Vehicle)

    def build(samples: Samples) -> QuerySet[Vehicle, Any]:
        scoped = Vehicle.objects.for_user(_scoped_user(user, scope, samples), "view")
        return scoped.filter(pk=samples.integer("pk")).values("id")[:1]

    compiled = CompiledValues.for_shape(("inventory.visible", scope), build)
    if compiled is None:
        return Vehicle.objects.for_user(user, "view").filter(pk=pk).exists()
    return next(compiled.rows({"user": user.pk, "pk": pk}), None) is not None

"""Compiled SQL for the hot reads: build and compile a queryset once per *shape*, then run
the same SQL with each request's values.

Django builds and compiles a queryset's SQL on every evaluation; for the API's hot reads
(token lookup, vehicle list and detail) that costs more CPU than PostgreSQL spends running
the statement. A *shape* is what decides the SQL text: which filters are present, the
sort, whether there is a cursor, the user's rooftop scope -- never the values. The first
request of a shape builds the queryset with unique *sample* values where the real values
go, compiles it, and records which parameters the samples landed in; later requests of the
shape only substitute their values and execute. The SQL is the ORM's own, so plans, index
use and the backend's conversions are exactly those of the uncached queryset (tests check
the two agree).

    compiled = CompiledValues.for_shape(key, lambda s: qs.filter(vin=s.text("vin")).values())
    rows = compiled.rows({"vin": "1HGCM..."}) if compiled else qs.filter(vin=...).values()
"""

from __future__ import annotations

import copy
import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

from forecourt.core.permissions import has_model_permission, sees_all_rooftops

MAX_SHAPES = 512  # distinct SQL texts kept per process (a few dozen in practice)


class NotCompilable(Exception):
    """A sample did not reach the parameters unchanged: use the queryset as usual."""


class Samples:
    """Unique stand-in values, one per named slot, recognisable among a query's parameters."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def _add(self, name: str, value: Any) -> Any:
        self.values[name] = value
        return value

    def text(self, name: str) -> str:
        # No "%", "_" or "\\": a LIKE prefix must reach the parameters unescaped.
        return self._add(name, f"\x00sample{len(self.values)}\x00")

    def integer(self, name: str) -> int:
        # Within a small integer column's range: Django drops lookups whose value could not
        # fit the column (year__gte=-10**12 is always true), and the slot would vanish.
        return self._add(name, 32_000 + len(self.values))

    def decimal(self, name: str) -> Decimal:
        return self._add(name, Decimal(f"-81000000{len(self.values):03d}.37"))

    def day(self, name: str) -> date:
        return self._add(name, date(1111, 1, 1) + timedelta(days=len(self.values)))

    def like(self, name: str, value: Any) -> Any:
        """A sample of the same type as `value`."""
        if isinstance(value, bool):
            raise NotCompilable(f"{name}: booleans belong in the shape, not in a slot")
        if isinstance(value, int):
            return self.integer(name)
        if isinstance(value, Decimal):
            return self.decimal(name)
        if isinstance(value, date):
            return self.day(name)
        if isinstance(value, str):
            return self.text(name)
        raise NotCompilable(f"{name}: no sample for {type(value).__name__}")


class CompiledValues:
    """A `.values()` queryset compiled once; `rows(values)` runs it with new slot values."""

    _cache: dict[Any, CompiledValues | None] = {}
    _lock = threading.Lock()

    def __init__(self, queryset: QuerySet[Any, Any], samples: Samples) -> None:
        query = queryset.query
        self.alias = queryset.db
        self.compiler = query.get_compiler(self.alias)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        self.names = [*query.extra_select, *query.values_select, *query.annotation_select]
        self.slots: list[tuple[int, str, str]] = []  # (position, slot, how to pass it)
        self.wrappers: dict[int, type] = {}  # e.g. psycopg's Int2 around a small integer
        found: set[str] = set()
        for position, param in enumerate(self.params):
            for name, sample in samples.values.items():
                if type(param) is type(sample) and param == sample:
                    how = "value"
                elif isinstance(param, type(sample)) and param == sample:
                    how = "wrapped"
                    self.wrappers[position] = type(param)
                elif isinstance(sample, date) and param == str(sample):  # SQLite's dates
                    how = "text"
                elif isinstance(sample, str) and param == f"{sample}%":  # (i)startswith
                    how = "prefix"
                else:
                    continue
                self.slots.append((position, name, how))
                found.add(name)
        if found != set(samples.values):
            raise NotCompilable(f"samples not among the parameters: {set(samples.values) - found}")
        fields = [column[0] for column in self.compiler.select[: self.compiler.col_count]]
        self.converters = self.compiler.get_converters(fields)
        # A prepared statement soon runs a generic plan, and a generic plan cannot use a
        # LIKE parameter's prefix as an index bound: prefix searches are planned each time.
        self.preparable = all(how != "prefix" for _, _, how in self.slots)

    @classmethod
    def for_shape(
        cls, shape: Any, build: Callable[[Samples], QuerySet[Any, Any]]
    ) -> CompiledValues | None:
        """The compiled query of `shape` (built by `build(samples)` the first time), or None
        when this shape cannot be compiled (the caller then runs its queryset as usual)."""
        try:
            return cls._cache[shape]
        except KeyError:
            pass
        samples = Samples()
        try:
            compiled: CompiledValues | None = cls(build(samples), samples)
        except (NotCompilable, EmptyResultSet):  # EmptyResultSet: a .none() queryset
            compiled = None
        with cls._lock:
            if len(cls._cache) >= MAX_SHAPES:
                cls._cache.clear()  # an unbounded variety of shapes: start again
            cls._cache[shape] = compiled
        return compiled

    def rows(self, values: dict[str, Any]) -> Iterator[dict[str, Any]]:
        params = list(self.params)
        connection = connections[self.alias]
        for position, name, how in self.slots:
            value = values[name]
            if how == "text":
                value = str(value)
            elif how == "wrapped":
                value = self.wrappers[position](value)
            elif how == "prefix":  # as Django's startswith lookups pass it: escaped, then %
                value = f"{connection.ops.prep_for_like_query(value)}%"
            params[position] = value
        fetched = _fetch_all(connection, self.sql, params, self.preparable)
        rows: Any = fetched
        if self.converters:
            rows = self.compiler.apply_converters(fetched, self.converters)
        names = self.names
        return iter([dict(zip(names, row, strict=True)) for row in rows])


def _fetch_all(connection: Any, sql: str, params: list[Any], preparable: bool) -> list[Any]:
    """Run one statement and fetch its rows, as `connection.cursor()` would but leaner.

    Through Django's cursor the page query cost 154 µs of CPU against psycopg's own 86 µs
    (in process, production settings). This keeps what matters of the wrapper -- the
    connection health check, database-error translation, the broken-transaction guard and
    every `execute_wrapper` (the access log's query count and slow-query timer see these
    statements) -- and skips the rest. While queries are
    being logged (DEBUG, or a test's CaptureQueriesContext) Django's own cursor runs it, so
    the query log stays complete."""
    prepare = preparable and _prepares(connection)
    if connection.queries_logged:
        with connection.cursor() as cursor, _prepared(connection, prepare):
            cursor.execute(sql, params)
            return cursor.fetchall()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        cursor = connection.create_cursor()
    try:

        def execute(sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
            connection.validate_no_broken_transaction()
            with connection.wrap_database_errors, _prepared(connection, prepare):
                cursor.execute(sql, params)
                return cursor.fetchall()

        run: Callable[..., Any] = execute
        for wrapper in reversed(connection.execute_wrappers):
            run = functools.partial(wrapper, run)
        return run(sql, params, False, {"connection": connection, "cursor": cursor})
    finally:
        cursor.close()


def _prepares(connection: Any) -> bool:
    """PostgreSQL with server-side binding (settings.DATABASES): statements can be prepared."""
    return connection.vendor == "postgresql" and bool(
        connection.settings_dict.get("OPTIONS", {}).get("server_side_binding")
    )


@contextmanager
def _prepared(connection: Any, wanted: bool) -> Iterator[None]:
    """Let psycopg prepare this statement on its first run in the connection: later runs
    skip parsing (and planning, once PostgreSQL settles on a generic plan). Only the
    compiled hot reads ask for it; every other query runs as Django sends it. (Django sets
    `prepare_threshold` to None, which psycopg reads as "never", even for
    `execute(..., prepare=True)`: hence the threshold.)"""
    raw = connection.connection
    if not wanted or not hasattr(raw, "prepare_threshold"):
        yield
        return
    before = raw.prepare_threshold
    raw.prepare_threshold = 0
    try:
        yield
    finally:
        raw.prepare_threshold = before


def scope_shape(user: Any, model: Any, action: str = "view") -> str:
    """Which branch `for_user` takes for this user: part of every scoped query's shape."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return "nobody"
    if not has_model_permission(user, model, action):
        return "nobody"
    return "all" if sees_all_rooftops(user) else "rooftops"


def sample_user(user: Any, samples: Samples) -> Any:
    """The user with a sample id, same permissions: `for_user(sample_user(...))` compiles
    the rooftop subquery with the id as a slot named "user"."""
    stand_in = copy.copy(user)
    stand_in.pk = samples.integer("user")
    return stand_in

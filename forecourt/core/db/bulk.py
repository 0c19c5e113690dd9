"""Bulk writes through PostgreSQL's COPY, with bulk_create batches as the fallback elsewhere.

One COPY sends the values out of band through psycopg's C dumpers: there is no INSERT with
thousands of placeholders for Django to compile and psycopg to bind, and DEBUG's query log
keeps the short COPY statement, not the data. Like bulk_create, nothing here calls save()
or sends signals: callers (demo loaders, actions that write many rows at once) keep their
own rules and audit entries; this module only moves rows into tables.

- `copy_rows(model, rows)`: rows of plain values (attname -> value), every row the same keys.
- `copy_objects(model, objects, prepare=True)`: unsaved instances, each value prepared by its
  field as save() would (encryption, blind indexes, JSON).
- `reserve_ids(model, count)`: ids from the table's own sequence, so rows COPYed with them
  are known without RETURNING, which COPY lacks.
- `insert_objects(objects)`: bulk_create's result (the same objects, saved, with ids).

One COPY is one statement, all or nothing; the bulk_create fallback may take several, so a
caller that needs all or none runs in a transaction (actions do; demo loaders open one).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import orjson
from django.db import connection, models

BATCH = 5_000  # rows per bulk_create on databases without COPY


def copies() -> bool:
    """Whether the default database loads with COPY (PostgreSQL)."""
    return connection.vendor == "postgresql"


def copy_rows(
    model: type[models.Model], rows: Iterable[Mapping[str, Any]], *, batch_size: int = BATCH
) -> None:
    """Append `rows` (attname -> plain value, every row the same keys) to `model`'s table.

    COPY's text format has the server parse each value as its column's type, so a JSON value
    goes as the text orjson makes of it (JSONField would store the same jsonb). Elsewhere:
    bulk_create of `model(**row)` in batches."""
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return
    everything = itertools.chain([first], iterator)
    if not copies():
        _bulk_create(model, (model(**row) for row in everything), batch_size)
        return
    columns = list(first)
    json_columns = {
        f.attname for f in model._meta.concrete_fields if f.get_internal_type() == "JSONField"
    }
    json_at = [i for i, column in enumerate(columns) if column in json_columns]
    _copy(model, columns, (_with_json_text(list(row.values()), json_at) for row in everything))


def copy_objects(
    model: type[models.Model],
    objects: Iterable[models.Model],
    *,
    prepare: bool = True,
    with_pk: bool = False,
    batch_size: int = BATCH,
) -> None:
    """Append unsaved `objects` of `model` to its table (without their ids unless `with_pk`).

    `prepare`: each value through its field's pre_save and get_db_prep_save, as save() does
    (needed for encrypted or otherwise transformed fields); without it the attribute values
    go as they are (plain fields only: cheaper for many rows). Elsewhere: bulk_create."""
    if not copies():
        _bulk_create(model, objects, batch_size)
        return
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    if prepare:
        rows: Iterable[list[Any]] = (
            [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
            for obj in objects
        )
    else:
        json_at = [i for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"]
        attnames = [f.attname for f in fields]
        rows = (
            _with_json_text([getattr(obj, name) for name in attnames], json_at) for obj in objects
        )
    _copy(model, [str(f.column) for f in fields], rows)


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` new ids from `model`'s sequence (PostgreSQL), ascending. One query; an id
    reserved and never used is just a gap."""
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, count],
        )
        return sorted(row[0] for row in cursor.fetchall())


def insert_objects[M: models.Model](objects: list[M]) -> list[M]:
    """bulk_create's result (the same objects, saved, with their ids) through one COPY on
    PostgreSQL: ids come from the sequence first. Values go unprepared (`copy_objects`), so
    the model must have no auto_now field or other pre_save work. Elsewhere: bulk_create."""
    if not objects:
        return objects
    model = type(objects[0])
    if not copies():
        model._default_manager.bulk_create(objects)
        return objects
    for obj, pk in zip(objects, reserve_ids(model, len(objects)), strict=True):
        obj.pk = pk
    try:
        copy_objects(model, objects, prepare=False, with_pk=True)
    except Exception:
        for obj in objects:
            obj.pk = None  # not saved, as after a failed bulk_create
        raise
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objects


def _with_json_text(values: list[Any], json_at: Sequence[int]) -> list[Any]:
    for i in json_at:
        if values[i] is not None:
            values[i] = orjson.dumps(values[i]).decode()
    return values


def _copy(model: type[models.Model], columns: list[str], rows: Iterator[list[Any]] | Any) -> None:
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    sql = f"COPY {table} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    # Django does not wrap cursor.copy in its error translation: do it, so a constraint
    # violation is django.db.IntegrityError like any other write's.
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.copy(sql) as copy,
    ):
        for values in rows:
            copy.write_row(values)


def _bulk_create(
    model: type[models.Model], objects: Iterable[models.Model], batch_size: int
) -> None:
    for batch in itertools.batched(objects, batch_size):
        model._default_manager.bulk_create(batch)

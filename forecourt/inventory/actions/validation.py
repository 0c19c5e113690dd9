"""Vehicle field validation without the queries, for receiving many vehicles at once.

This is `Model.clean_fields` for Vehicle, made cheap for a CSV import: only the fields a
row gave (and the required ones) are cleaned, and a plain value's verdict is remembered.
It lives with the actions, not with the bulk writer (core/db/bulk.py), because it is a
business check: it must give full_clean's verdict and messages for a Vehicle, which the
bulk writer, moving rows of any model, knows nothing about."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from forecourt.inventory.models import (
    Vehicle,
)


@lru_cache(maxsize=64)
def checked_fields(given: frozenset[str]) -> tuple[models.Field[Any, Any], ...]:
    """The Vehicle fields to clean when only `given` came in, in the model's order: those
    and the required ones (no default, not blank). Every other field holds its default,
    valid by construction (test_bulk_receive.py pins it); the rooftop is the caller's
    object. Cached: an import's rows mostly give the same columns."""
    return tuple(
        f
        for f in Vehicle._meta.concrete_fields
        if f.name != "rooftop"
        and (f.name in given or not (f.primary_key or f.blank or f.null or f.has_default()))
    )


PLAIN_TYPES = frozenset({str, int, bool})


@lru_cache(maxsize=4096, typed=True)
def clean_plain(name: str, value: str | int | bool) -> Any:
    """A Vehicle field's verdict on a plain value. Remembered (bounded) because an import
    repeats makes, models, years, colours and choices on most rows, and for these fields
    it depends on the value alone (length, choices, range), never on the instance. Errors
    are not remembered: a bad value is checked again, with the same message."""
    return Vehicle._meta.get_field(name).clean(value, None)  # type: ignore[union-attr]


def clean_given(vehicle: Vehicle, fields: tuple[models.Field[Any, Any], ...]) -> None:
    """`full_clean` of `fields` alone, without the unique and constraint queries (the bulk
    caller checks VINs in bulk and the constraints hold on write): Model.clean_fields' loop
    (same skips, same messages, same order) with plain values through clean_plain, then
    Model.clean. Bad input raises the ValidationError full_clean would."""
    errors: dict[str, Any] = {}
    for each in fields:
        raw = getattr(vehicle, each.attname)
        if each.blank and raw in each.empty_values:
            continue
        try:
            if type(raw) in PLAIN_TYPES:
                cleaned = clean_plain(each.name, raw)
            else:
                cleaned = each.clean(raw, vehicle)
        except ValidationError as error:
            errors[each.name] = error.error_list
            continue
        setattr(vehicle, each.attname, cleaned)
    try:
        vehicle.clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)

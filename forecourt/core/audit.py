"""Writing audit entries. Actions call `record` inside their transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from forecourt.core.models import AuditEntry
from forecourt.core.request_context import current_client_ip, current_request_id

# Types stored as they are; checked first because bulk writers snapshot every field of
# thousands of objects and most values are plain.
_PLAIN = frozenset({str, int, bool, type(None)})


def jsonable(value: Any) -> Any:
    """`value` as the audit log stores it: model instances by pk, Decimals and dates as text."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The audited field values of `instance`, JSON-ready (FKs by id)."""
    names = fields or [f.attname for f in instance._meta.concrete_fields if not f.primary_key]
    return {name: jsonable(getattr(instance, name)) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Only the fields whose value changed: {"field": [before, after]}."""
    keys = before.keys() | after.keys()
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(keys)
        if before.get(key) != after.get(key)
    }


def created(instance: models.Model, fields: list[str] | None = None) -> dict[str, list[Any]]:
    """`diff({}, snapshot(instance, fields))` in one pass: the changes of a new object."""
    after = snapshot(instance, fields)
    return {key: [None, after[key]] for key in sorted(after) if after[key] is not None}


def record(
    actor: Any,
    action: str,
    obj: models.Model,
    changes: dict[str, list[Any]] | None = None,
    *,
    rooftop_id: int | None = None,
) -> AuditEntry:
    """Append one entry; request id and client IP come from the current request."""
    entry = _entry(actor, action, obj, changes, rooftop_id)
    entry.save()
    return entry


def entry_rows(
    actor: Any,
    action: str,
    items: Iterable[tuple[models.Model, dict[str, list[Any]] | None]],
    *,
    rooftop_id: int | None = None,
) -> list[dict[str, Any]]:
    """The column values (attnames) of one entry per (object, changes), as `record` would
    write them: for bulk writers that insert rows without building AuditEntry objects
    (the CSV import COPYs them). What is shared is computed once."""
    is_user = getattr(actor, "is_authenticated", False)
    shared = {
        "created_at": timezone.now(),
        "actor_id": actor.pk if is_user else None,
        "actor_label": str(getattr(actor, "email", None) or actor or "system"),
        "action": action,
        "request_id": current_request_id(),
        "ip_address": current_client_ip(),
    }
    return [
        {
            **shared,
            "object_type": obj._meta.label_lower,
            "object_id": str(obj.pk),
            "object_repr": str(obj)[:200],
            "changes": changes or {},
            "rooftop_id": getattr(obj, "rooftop_id", None) if rooftop_id is None else rooftop_id,
        }
        for obj, changes in items
    ]


def _entry(
    actor: Any,
    action: str,
    obj: models.Model,
    changes: dict[str, list[Any]] | None,
    rooftop_id: int | None,
) -> AuditEntry:
    row = entry_rows(actor, action, [(obj, changes)], rooftop_id=rooftop_id)[0]
    del row["actor_id"]  # the actor object itself, so entry.actor needs no query
    return AuditEntry(actor=actor if getattr(actor, "is_authenticated", False) else None, **row)

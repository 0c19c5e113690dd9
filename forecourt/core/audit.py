"""Writing audit entries. Actions call `record` inside their transaction."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from forecourt.core.models import AuditEntry
from forecourt.core.request_context import current_client_ip, current_request_id


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The audited field values of `instance`, JSON-ready (FKs by id)."""
    names = fields or [f.attname for f in instance._meta.concrete_fields if not f.primary_key]
    return {name: _jsonable(getattr(instance, name)) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Only the fields whose value changed: {"field": [before, after]}."""
    keys = before.keys() | after.keys()
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(keys)
        if before.get(key) != after.get(key)
    }


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


def record_many(
    actor: Any, action: str, items: list[tuple[models.Model, dict[str, list[Any]]]]
) -> list[AuditEntry]:
    """Append one entry per (object, changes) in one INSERT: for bulk actions (CSV import)."""
    return AuditEntry.objects.bulk_create(
        _entry(actor, action, obj, changes, None) for obj, changes in items
    )


def _entry(
    actor: Any,
    action: str,
    obj: models.Model,
    changes: dict[str, list[Any]] | None,
    rooftop_id: int | None,
) -> AuditEntry:
    is_user = getattr(actor, "is_authenticated", False)
    return AuditEntry(
        actor=actor if is_user else None,
        actor_label=str(getattr(actor, "email", None) or actor or "system"),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes or {},
        rooftop_id=rooftop_id if rooftop_id is not None else getattr(obj, "rooftop_id", None),
        request_id=current_request_id(),
        ip_address=current_client_ip(),
    )

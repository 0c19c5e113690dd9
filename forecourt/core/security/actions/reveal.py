"""Revealing one protected field in full: permission, visibility, audit entry and log line."""

from __future__ import annotations

import logging
from typing import Any

from django.db import models, transaction
from django.http import Http404

from forecourt.core import audit
from forecourt.core.permissions import require_permission
from forecourt.core.security.pii import encrypted_field, reveal_permission

logger = logging.getLogger("forecourt.security")


@transaction.atomic
def reveal_field(actor: Any, obj: models.Model, field_name: str) -> Any:
    """The full value of one encrypted field, for an actor allowed to see it; audited."""
    encrypted_field(obj, field_name)
    model = type(obj)
    require_permission(actor, reveal_permission(model))
    manager: Any = model._default_manager
    if hasattr(manager, "for_user") and not manager.for_user(actor, "view").filter(pk=obj.pk):
        raise Http404  # not among the objects this actor may see: no hint that it exists
    value = getattr(obj, field_name)
    audit.record(actor, "reveal_field", obj, {field_name: ["(masked)", "(revealed)"]})
    logger.info(
        "Revealed %s.%s of object %s to user %s",
        obj._meta.label,
        field_name,
        obj.pk,
        getattr(actor, "pk", None),
        extra={
            "event": "pii_reveal",
            "user_id": getattr(actor, "pk", None),
            "object_type": obj._meta.label,
            "object_id": str(obj.pk),
            "field": field_name,
        },
    )
    return value

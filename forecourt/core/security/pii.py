"""Showing customer data: masked by default; the full value only by an explicit, audited reveal.

    masked(applicant, "ssn")                  -> "***-**-6789" (the field's mask)
    reveal_field(request.user, applicant, "ssn") -> "123-45-6789", after checking the
        `<app>.reveal_<model>` permission and that the user may see the object, and
        writing an audit entry (action "reveal_field") and a log line.

A model with encrypted fields declares the permission:
    class Meta:
        permissions = [("reveal_applicant", "Can reveal full customer identifiers")]
Roles get it through their patterns in forecourt/accounts/roles.py (e.g. "customers.*").
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import models, transaction
from django.http import Http404

from forecourt.core import audit
from forecourt.core.permissions import permission_name, require_permission
from forecourt.core.security.fields import EncryptedField

logger = logging.getLogger("forecourt.security")


def _encrypted_field(obj: models.Model, field_name: str) -> EncryptedField:
    field = obj._meta.get_field(field_name)
    if not isinstance(field, EncryptedField):
        raise ValueError(f"{obj._meta.label}.{field_name} is not an encrypted field")
    return field


def masked(obj: models.Model, field_name: str) -> str:
    field = _encrypted_field(obj, field_name)
    return field.mask(getattr(obj, field_name))


def reveal_permission(model: type[models.Model]) -> str:
    return permission_name(model, "reveal")


@transaction.atomic
def reveal_field(actor: Any, obj: models.Model, field_name: str) -> Any:
    """The full value of one encrypted field, for an actor allowed to see it; audited."""
    _encrypted_field(obj, field_name)
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

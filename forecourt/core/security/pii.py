"""Showing customer data: masked by default; the full value only by an explicit, audited reveal.

    masked(applicant, "ssn")                  -> "***-**-6789" (the field's mask)
    reveal_field(request.user, applicant, "ssn") -> "123-45-6789", after checking the
        `<app>.reveal_<model>` permission and that the user may see the object, and
        writing an audit entry (action "reveal_field") and a log line. The reveal writes an
        audit entry, so it is an action: core/security/actions/reveal.py.

A model with encrypted fields declares the permission:
    class Meta:
        permissions = [("reveal_applicant", "Can reveal full customer identifiers")]
Roles get it through their patterns in forecourt/accounts/roles.py (e.g. "customers.*").
"""

from __future__ import annotations

from django.db import models

from forecourt.core.permissions import permission_name
from forecourt.core.security.fields import EncryptedField


def encrypted_field(obj: models.Model, field_name: str) -> EncryptedField:
    field = obj._meta.get_field(field_name)
    if not isinstance(field, EncryptedField):
        raise ValueError(f"{obj._meta.label}.{field_name} is not an encrypted field")
    return field


def masked(obj: models.Model, field_name: str) -> str:
    field = encrypted_field(obj, field_name)
    return field.mask(getattr(obj, field_name))


def reveal_permission(model: type[models.Model]) -> str:
    return permission_name(model, "reveal")

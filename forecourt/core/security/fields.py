"""Model fields for customer data: encrypted at rest, plus blind indexes for exact lookup.

    class Applicant(models.Model):
        ssn = EncryptedTextField(mask=mask_ssn, blank=True)
        ssn_index = BlindIndexField(source="ssn", normalize=digits_only)
        ssn_last4_index = BlindIndexField(source="ssn", normalize=last_digits(4))
        date_of_birth = EncryptedDateField(null=True, blank=True)
        income = EncryptedDecimalField(null=True, blank=True)

    wanted = BlindIndexField.lookup_value(Applicant, "ssn_index", "123-45-6789")
    Applicant.objects.for_user(user).filter(ssn_index=wanted)

The column holds ``fc1:<key id>:<ciphertext>`` (forecourt/core/security/encryption.py);
Python code sees plain values. Only `isnull` can be queried on an encrypted column.
A blind index is computed on every save(); an update() or a save(update_fields=...) that
changes the source must include the index field too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from forecourt.core.security import encryption
from forecourt.core.security.masking import mask_tail

Masker = Callable[[Any], str]


class EncryptedField(models.TextField):
    """Base class: subclasses say how their Python value becomes text and back."""

    description = "Encrypted value (AES-256-GCM)"

    def __init__(self, *args: Any, mask: Masker | None = None, **kwargs: Any):
        self.mask = mask or mask_tail
        super().__init__(*args, **kwargs)  # the mask is display-only: not in migrations

    # Subclasses: text <-> Python value.
    def to_text(self, value: Any) -> str:
        return str(value)

    def from_text(self, text: str) -> Any:
        return text

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return self.from_text(encryption.decrypt(value))

    def to_python(self, value: Any) -> Any:
        if value is None or value == "":
            return value
        if isinstance(value, str):
            return self.from_text(value)
        return value

    def get_prep_value(self, value: Any) -> Any:
        value = self.to_python(value)
        if value is None or value == "":
            return value
        return encryption.encrypt(self.to_text(value))

    def get_lookup(self, lookup_name: str) -> Any:
        # Ciphertexts are randomised: equality or ordering on them would silently miss.
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)

    def value_to_string(self, obj: models.Model) -> str:
        value = self.value_from_object(obj)
        return "" if value is None else self.to_text(value)


class EncryptedTextField(EncryptedField):
    pass


class EncryptedDateField(EncryptedField):
    description = "Encrypted date (AES-256-GCM)"

    def to_text(self, value: Any) -> str:
        return str(value.isoformat())

    def from_text(self, text: str) -> dt.date:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValidationError(f"{text!r} is not a date (YYYY-MM-DD).") from None

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        return forms.DateField(**{"required": not self.blank, **kwargs})


class EncryptedDecimalField(EncryptedField):
    description = "Encrypted decimal (AES-256-GCM)"

    def to_text(self, value: Any) -> str:
        return str(Decimal(value))

    def from_text(self, text: str) -> Decimal:
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValidationError(f"{text!r} is not a number.") from None

    def to_python(self, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return Decimal(str(value))
        return super().to_python(value)

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        return forms.DecimalField(**{"required": not self.blank, **kwargs})


def identity(value: str) -> str:
    return value


class BlindIndexField(models.CharField):
    """HMAC-SHA256 of another field's normalised value, kept in step on every save()."""

    description = "Blind index (keyed hash) of an encrypted field"

    def __init__(
        self,
        *args: Any,
        source: str = "",
        normalize: Callable[[str], str] = identity,
        purpose: str = "",
        **kwargs: Any,
    ):
        self.source = source
        self.normalize = normalize
        self.purpose = purpose
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        if self.purpose:
            kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def contribute_to_class(
        self, cls: type[models.Model], name: str, private_only: bool = False
    ) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        if not self.purpose:
            self.purpose = f"{cls._meta.label_lower}.{name}"

    def hash(self, value: Any) -> str:
        """The index value for `value` ('' when there is nothing to index)."""
        if value is None or value == "":
            return ""
        normalized = self.normalize(str(value))
        return encryption.blind_index(normalized, self.purpose) if normalized else ""

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = self.hash(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value

    @staticmethod
    def lookup_value(model: type[models.Model], index_field: str, value: Any) -> str:
        field = model._meta.get_field(index_field)
        if not isinstance(field, BlindIndexField):
            raise TypeError(f"{model.__name__}.{index_field} is not a BlindIndexField")
        return field.hash(value)


def encrypted_fields(model: type[models.Model]) -> list[EncryptedField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedField)]

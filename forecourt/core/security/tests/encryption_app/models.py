"""A customer-like model to test encrypted fields, blind indexes, masking and reveal on."""

from django.db import models

from forecourt.core.permissions import RooftopScopedQuerySet
from forecourt.core.security.fields import (
    BlindIndexField,
    EncryptedDateField,
    EncryptedDecimalField,
    EncryptedTextField,
)
from forecourt.core.security.masking import (
    digits_only,
    last_digits,
    mask_amount,
    mask_date,
    mask_ssn,
)


class Applicant(models.Model):
    rooftop = models.ForeignKey("accounts.Rooftop", on_delete=models.CASCADE)
    name = models.CharField(max_length=100)
    ssn = EncryptedTextField(mask=mask_ssn, blank=True)
    ssn_index = BlindIndexField(source="ssn", normalize=digits_only)
    ssn_last4_index = BlindIndexField(source="ssn", normalize=last_digits(4))
    drivers_licence = EncryptedTextField(blank=True)
    date_of_birth = EncryptedDateField(mask=mask_date, null=True, blank=True)
    income = EncryptedDecimalField(mask=mask_amount, null=True, blank=True)

    objects = RooftopScopedQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        permissions = [("reveal_applicant", "Can reveal full customer identifiers")]

    def __str__(self) -> str:
        return self.name

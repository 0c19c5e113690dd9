"""A credit application and its applicants, the sensitive parts encrypted at rest.

Identifiers, addresses, employers and amounts are encrypted (core/security/fields.py) and
shown masked; the full value needs `finance.reveal_creditapplicant` and writes an audit
entry (core/security/pii.py). Regulation B (12 CFR 1002.12(b)(1)) keeps an application for
25 months after the applicant is notified of the action taken; `retain_until` records that
date and the nightly disposal job erases the applicants' data once it has passed.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from forecourt.core.permissions import RooftopScopedQuerySet
from forecourt.core.security.fields import (
    EncryptedDateField,
    EncryptedDecimalField,
    EncryptedTextField,
)
from forecourt.core.security.masking import mask_amount, mask_date, mask_ssn, mask_tail
from forecourt.finance.records import RooftopRecord

# Red Flags Rule (16 CFR 681, Appendix A supplement): the identity checks recorded per
# application. Code -> what the F&I manager confirms they looked for.
RED_FLAGS: dict[str, str] = {
    "fraud_alert": "Consumer report carries a fraud or active-duty alert",
    "report_inconsistent": "Consumer report shows activity inconsistent with the applicant",
    "documents_altered": "Identification documents appear altered or forged",
    "photo_mismatch": "Photo or description on the ID does not match the applicant",
    "id_inconsistent": "ID details are inconsistent with what the applicant provided",
    "ssn_invalid": "SSN not issued, listed as deceased, or used by another applicant",
    "address_suspicious": "Address is fictitious, a mail drop or a prison",
    "phone_suspicious": "Phone number is invalid or belongs to an answering service",
    "cannot_authenticate": "Applicant cannot answer authenticating questions",
}


class ApplicationStatus(models.TextChoices):
    TAKEN = "taken", "Taken"
    APPROVED = "approved", "Approved"
    COUNTER_OFFER = "counter_offer", "Counter-offer"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    INCOMPLETE = "incomplete", "Incomplete (notified)"


# The outcomes that mean the applicant has been told: the 25-month clock starts.
NOTIFIED_STATUSES = frozenset(
    {
        ApplicationStatus.APPROVED,
        ApplicationStatus.COUNTER_OFFER,
        ApplicationStatus.DECLINED,
        ApplicationStatus.WITHDRAWN,
        ApplicationStatus.INCOMPLETE,
    }
)


class CreditApplication(RooftopRecord):
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="credit_applications"
    )
    status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.TAKEN
    )
    notified_on = models.DateField(null=True, blank=True)
    retain_until = models.DateField(null=True, blank=True)
    legal_hold = models.BooleanField(default=False)
    disposed_at = models.DateTimeField(null=True, blank=True)
    red_flags = models.JSONField(default=dict, blank=True)
    red_flags_note = models.TextField(blank=True)
    red_flags_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    red_flags_checked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["retain_until"], name="finance_credit_retain_until")]

    def __str__(self) -> str:
        return f"Credit application #{self.pk}"

    @property
    def red_flags_found(self) -> list[str]:
        return [RED_FLAGS[code] for code, found in self.red_flags.items() if found]


class ApplicantRole(models.TextChoices):
    APPLICANT = "applicant", "Applicant"
    CO_APPLICANT = "co_applicant", "Co-applicant"


class HousingStatus(models.TextChoices):
    OWN = "own", "Own"
    MORTGAGE = "mortgage", "Own with a mortgage"
    RENT = "rent", "Rent"
    FAMILY = "family", "Living with family"
    OTHER = "other", "Other"


class ApplicantQuerySet(RooftopScopedQuerySet):
    rooftop_lookup = "application__rooftop"


# Every encrypted field of an applicant: what disposal erases and what reveal may show.
SENSITIVE_FIELDS = (
    "date_of_birth",
    "ssn",
    "address",
    "previous_address",
    "housing_payment",
    "employer",
    "previous_employer",
    "monthly_income",
    "other_monthly_income",
)


class CreditApplicant(models.Model):
    application = models.ForeignKey(
        CreditApplication, on_delete=models.CASCADE, related_name="applicants"
    )
    role = models.CharField(max_length=12, choices=ApplicantRole.choices)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    phone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)
    date_of_birth = EncryptedDateField(null=True, blank=True, mask=mask_date)
    ssn = EncryptedTextField(blank=True, mask=mask_ssn)
    # Residence
    address = EncryptedTextField(blank=True, mask=mask_tail)
    housing_status = models.CharField(max_length=10, choices=HousingStatus.choices, blank=True)
    housing_payment = EncryptedDecimalField(null=True, blank=True, mask=mask_amount)
    months_at_address = models.PositiveSmallIntegerField(null=True, blank=True)
    previous_address = EncryptedTextField(blank=True, mask=mask_tail)
    # Employment and income (monthly, gross)
    employer = EncryptedTextField(blank=True, mask=mask_tail)
    occupation = models.CharField(max_length=100, blank=True)
    months_employed = models.PositiveSmallIntegerField(null=True, blank=True)
    previous_employer = EncryptedTextField(blank=True, mask=mask_tail)
    monthly_income = EncryptedDecimalField(null=True, blank=True, mask=mask_amount)
    other_monthly_income = EncryptedDecimalField(null=True, blank=True, mask=mask_amount)
    other_income_source = models.CharField(max_length=100, blank=True)

    objects: ClassVar[ApplicantQuerySet] = ApplicantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["application", "role"]
        permissions = [
            ("reveal_creditapplicant", "Can reveal a credit applicant's full identifiers")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "role"], name="finance_one_applicant_per_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.get_role_display()})"

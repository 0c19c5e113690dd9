"""Customers: the people and businesses a rooftop sells to, and what we must protect about them.

Identifiers that would enable fraud (date of birth, driver's licence, SSN, employer, income)
are encrypted at rest (forecourt/core/security/fields.py); blind indexes allow exact lookups
(SSN last 4, date of birth for duplicate detection) without decrypting the table.
Contact details (names, phones, emails) stay searchable in plain text, normalised on write
(phones in E.164, emails lower-cased) by `customers/actions/`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from forecourt.core.permissions import RooftopScopedQuerySet
from forecourt.core.security.fields import (
    BlindIndexField,
    EncryptedDateField,
    EncryptedDecimalField,
    EncryptedTextField,
    encrypted_fields,
)
from forecourt.core.security.masking import (
    digits_only,
    last_digits,
    mask_amount,
    mask_date,
    mask_ssn,
    mask_tail,
)


def _mask_text(value: object) -> str:
    return "*****" if value else ""


class CustomerKind(models.TextChoices):
    PERSON = "person", "Person"
    BUSINESS = "business", "Business"


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    SPANISH = "es", "Spanish"


class Channel(models.TextChoices):
    CALL = "call", "Call"
    SMS = "sms", "SMS"
    EMAIL = "email", "Email"


class ConsentSource(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone"
    WEB_FORM = "web_form", "Website form"
    EMAIL = "email", "Email reply"
    IMPORT = "import", "Import"
    API = "api", "API"


class OfacStatus(models.TextChoices):
    NOT_SCREENED = "not_screened", "Not screened"
    CLEAR = "clear", "Clear"
    POSSIBLE_MATCH = "possible_match", "Possible match (delivery blocked)"
    CLEARED = "cleared", "Cleared by a manager"


class CustomerQuerySet(RooftopScopedQuerySet):
    def current(self) -> CustomerQuerySet:
        """Customers that still exist as themselves (not merged into another record)."""
        return self.filter(merged_into__isnull=True)


class Customer(models.Model):
    rooftop = models.ForeignKey(
        "accounts.Rooftop", on_delete=models.PROTECT, related_name="customers", db_index=False
    )
    kind = models.CharField(max_length=10, choices=CustomerKind.choices, default="person")
    first_name = models.CharField(max_length=100, blank=True)
    middle_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    business_name = models.CharField(max_length=200, blank=True)

    # Contact: normalised by the actions (E.164 phones, lower-case emails).
    email = models.EmailField(max_length=254, blank=True)
    alt_email = models.EmailField(max_length=254, blank=True)
    mobile_phone = models.CharField(max_length=20, blank=True)
    home_phone = models.CharField(max_length=20, blank=True)
    work_phone = models.CharField(max_length=20, blank=True)

    address_line1 = models.CharField(max_length=200, blank=True)
    address_line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True, help_text="State or county.")
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, default="US", help_text="ISO 3166-1 alpha-2.")

    preferred_language = models.CharField(
        max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    # Current consent per channel; the history (timestamp, source, who) is CustomerConsent.
    consent_call = models.BooleanField(default=False)
    consent_sms = models.BooleanField(default=False)
    consent_email = models.BooleanField(default=False)

    notes = models.TextField(blank=True)
    tags = models.JSONField(default=list, blank=True)
    assigned_salesperson = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_customers",
    )

    # Sensitive identifiers (Safeguards Rule): encrypted, masked unless revealed (audited).
    date_of_birth = EncryptedDateField(null=True, blank=True, mask=mask_date)
    date_of_birth_index = BlindIndexField(source="date_of_birth", purpose="customer-dob")
    drivers_license_number = EncryptedTextField(blank=True, mask=mask_tail)
    drivers_license_state = EncryptedTextField(blank=True, mask=_mask_text)
    ssn = EncryptedTextField(blank=True, mask=mask_ssn)
    ssn_index = BlindIndexField(source="ssn", normalize=digits_only, purpose="customer-ssn")
    ssn_last4_index = BlindIndexField(
        source="ssn", normalize=last_digits(4), purpose="customer-ssn-last4"
    )
    employer = EncryptedTextField(blank=True, mask=_mask_text)
    income = EncryptedDecimalField(null=True, blank=True, mask=mask_amount)

    # OFAC screening (forecourt/customers/ofac.py): the latest result; history in OfacScreening.
    ofac_status = models.CharField(
        max_length=20, choices=OfacStatus.choices, default=OfacStatus.NOT_SCREENED
    )
    ofac_screened_at = models.DateTimeField(null=True, blank=True)
    ofac_list_version = models.CharField(max_length=64, blank=True)
    ofac_cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ofac_cleared_at = models.DateTimeField(null=True, blank=True)

    # Retention (Safeguards 314.4(c)(6)): forecourt/customers/retention.py.
    last_activity_at = models.DateTimeField(default=timezone.now)
    legal_hold = models.BooleanField(default=False)
    legal_hold_reason = models.CharField(max_length=200, blank=True)
    anonymized_at = models.DateTimeField(null=True, blank=True)

    # Duplicate merge: the losing record stays as a pointer, so old links and audit resolve.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from"
    )
    merged_at = models.DateTimeField(null=True, blank=True)

    version = models.PositiveIntegerField(
        default=1, help_text="Incremented on every change: optimistic concurrency (If-Match)."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[CustomerQuerySet] = CustomerQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        permissions = [
            ("reveal_customer", "Can reveal full customer identifiers (SSN, DOB, licence)"),
            ("merge_customer", "Can merge duplicate customers"),
            ("export_customer", "Can export everything held on a customer (access requests)"),
            ("clear_ofac_customer", "Can clear a possible OFAC match"),
            ("hold_legal_customer", "Can place and lift legal holds"),
            ("dispose_customer", "Can see and run retention disposal"),
        ]
        indexes = [
            # The list in name order, keyset on (last_name, first_name, id): one rooftop's
            # customers, or every rooftop's (scoping by subquery walks this one and filters).
            # Name prefixes: upper(...) text_pattern_ops indexes in migration 0002.
            models.Index(
                fields=["rooftop", "last_name", "first_name", "id"], name="customer_rooftop_name"
            ),
            models.Index(fields=["last_name", "first_name", "id"], name="customer_name"),
            models.Index(fields=["email"], name="customer_email"),
            models.Index(fields=["alt_email"], name="customer_alt_email"),
            models.Index(fields=["mobile_phone"], name="customer_mobile_phone"),
            models.Index(fields=["home_phone"], name="customer_home_phone"),
            models.Index(fields=["work_phone"], name="customer_work_phone"),
            # Retention: the few customers whose last activity is oldest.
            models.Index(fields=["last_activity_at"], name="customer_last_activity"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.kind == CustomerKind.BUSINESS and self.business_name:
            return self.business_name
        name = " ".join(p for p in (self.first_name, self.last_name) if p)
        return name or self.business_name or f"Customer {self.pk}"

    @property
    def etag(self) -> str:
        return f'"{self.version}"'

    def consents(self) -> dict[str, bool]:
        return {
            Channel.CALL: self.consent_call,
            Channel.SMS: self.consent_sms,
            Channel.EMAIL: self.consent_email,
        }


# The identifiers stored encrypted: never in a list, an audit entry or a log line by value.
SENSITIVE_FIELDS = tuple(field.name for field in encrypted_fields(Customer))


def reverse_relations() -> list[Any]:
    """Every foreign key that points at Customer, from any app (hidden ones too): what a
    merge moves and an access request exports, without this app knowing the other apps."""
    return [
        rel
        for rel in Customer._meta.get_fields(include_hidden=True)
        if rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)
    ]


class CustomerChildQuerySet(RooftopScopedQuerySet):
    rooftop_lookup = "customer__rooftop"


class CustomerConsent(models.Model):
    """One consent decision: given or withdrawn, on a channel, when, from where, by whom."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="consent_history")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    granted = models.BooleanField()
    source = models.CharField(max_length=20, choices=ConsentSource.choices)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)

    objects: ClassVar[CustomerChildQuerySet] = CustomerChildQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["customer", "channel", "-recorded_at"], name="consent_latest")
        ]

    def __str__(self) -> str:
        state = "granted" if self.granted else "withdrawn"
        return f"{self.channel} {state} {self.recorded_at:%Y-%m-%d}"


class OfacList(models.Model):
    """One imported edition of the Treasury SDN list (`forecourt ofac-import FILE`)."""

    version = models.CharField(max_length=64, unique=True, help_text="Publication date or hash.")
    source_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    entry_count = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(default=timezone.now)
    is_current = models.BooleanField(default=False)

    class Meta:
        ordering = ["-imported_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="one_current_ofac_list",
            )
        ]

    def __str__(self) -> str:
        return f"SDN list {self.version}"


class OfacEntry(models.Model):
    """A name on the SDN list (primary names and aliases), normalised for matching."""

    sdn_list = models.ForeignKey(OfacList, on_delete=models.CASCADE, related_name="entries")
    ent_num = models.PositiveIntegerField()
    name = models.CharField(max_length=350)
    normalized_name = models.CharField(max_length=350, db_index=True)
    is_alias = models.BooleanField(default=False)
    sdn_type = models.CharField(max_length=30, blank=True)
    program = models.CharField(max_length=200, blank=True)
    remarks = models.TextField(blank=True)

    class Meta:
        ordering = ["ent_num", "id"]

    def __str__(self) -> str:
        return self.name


class OfacScreening(models.Model):
    """One screening of one customer against one list: the record examiners ask for."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="ofac_screenings")
    sdn_list = models.ForeignKey(OfacList, on_delete=models.PROTECT, related_name="+")
    screened_at = models.DateTimeField(default=timezone.now)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    screened_name = models.CharField(max_length=350)
    result = models.CharField(max_length=20, choices=OfacStatus.choices)
    best_score = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    matches = models.JSONField(default=list, blank=True)

    objects: ClassVar[CustomerChildQuerySet] = CustomerChildQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-screened_at", "-id"]

    def __str__(self) -> str:
        return f"{self.screened_name}: {self.result}"

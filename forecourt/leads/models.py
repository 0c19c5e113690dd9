"""Leads and activities: who is interested in what, and every contact with them.

A lead is one customer's interest (a unit in stock or a description) moving through the
pipeline. Activities are the timeline of a customer (and, optionally, of one of their leads):
calls, emails and SMS are logged (never sent from here), notes, appointments with a
salesperson, and test drives of a vehicle. The database refuses a second open test drive of
the same vehicle; `leads/actions.py` refuses double-booking a salesperson.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from forecourt.core.permissions import RooftopScopedQuerySet
from forecourt.core.security.fields import EncryptedTextField
from forecourt.core.security.masking import mask_tail


class LeadSource(models.TextChoices):
    WALK_IN = "walk_in", "Walk-in"
    PHONE = "phone", "Phone"
    WEBSITE = "website", "Website"
    MARKETPLACE = "marketplace", "Marketplace"
    REFERRAL = "referral", "Referral"
    REPEAT = "repeat", "Repeat customer"
    SERVICE = "service", "Service drive"
    OTHER = "other", "Other"


class LeadStatus(models.TextChoices):
    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    APPOINTMENT = "appointment", "Appointment"
    SHOWN = "shown", "Shown"
    QUOTED = "quoted", "Quoted"
    WON = "won", "Won"
    LOST = "lost", "Lost"


OPEN_LEAD_STATUSES = [
    LeadStatus.NEW,
    LeadStatus.CONTACTED,
    LeadStatus.APPOINTMENT,
    LeadStatus.SHOWN,
    LeadStatus.QUOTED,
]


class LostReason(models.TextChoices):
    BOUGHT_ELSEWHERE = "bought_elsewhere", "Bought elsewhere"
    PRICE = "price", "Price"
    FINANCING = "financing", "Could not finance"
    NO_RESPONSE = "no_response", "No response"
    NOT_READY = "not_ready", "Not ready to buy"
    VEHICLE_SOLD = "vehicle_sold", "Vehicle sold"
    OTHER = "other", "Other"


class LeadQuerySet(RooftopScopedQuerySet):
    def open(self) -> LeadQuerySet:
        return self.filter(status__in=OPEN_LEAD_STATUSES)


class Lead(models.Model):
    rooftop = models.ForeignKey(
        "accounts.Rooftop", on_delete=models.PROTECT, related_name="leads", db_index=False
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="leads"
    )
    source = models.CharField(max_length=20, choices=LeadSource.choices)
    source_detail = models.CharField(
        max_length=200, blank=True, help_text="Campaign, site, referrer."
    )
    vehicle = models.ForeignKey(
        "inventory.Vehicle", on_delete=models.SET_NULL, null=True, blank=True, related_name="leads"
    )
    vehicle_description = models.CharField(
        max_length=200, blank=True, help_text="What they want, when it is not a unit in stock."
    )
    status = models.CharField(max_length=20, choices=LeadStatus.choices, default=LeadStatus.NEW)
    lost_reason = models.CharField(max_length=20, choices=LostReason.choices, blank=True)
    lost_note = models.CharField(max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_leads",
    )
    next_follow_up_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    version = models.PositiveIntegerField(
        default=1, help_text="Incremented on every change: optimistic concurrency (If-Match)."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[LeadQuerySet] = LeadQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("reassign_lead", "Can reassign leads to another salesperson"),
            ("import_lead", "Can import leads from CSV"),
        ]
        indexes = [
            models.Index(fields=["rooftop", "status", "-created_at", "-id"], name="lead_board"),
            models.Index(fields=["owner", "next_follow_up_on"], name="lead_follow_up"),
        ]

    def __str__(self) -> str:
        return f"Lead {self.pk} ({self.get_status_display()})"

    @property
    def etag(self) -> str:
        return f'"{self.version}"'


class ActivityKind(models.TextChoices):
    CALL = "call", "Call"
    EMAIL = "email", "Email"
    SMS = "sms", "SMS"
    NOTE = "note", "Note"
    APPOINTMENT = "appointment", "Appointment"
    TEST_DRIVE = "test_drive", "Test drive"


class Direction(models.TextChoices):
    OUTBOUND = "outbound", "Outbound"
    INBOUND = "inbound", "Inbound"


class AppointmentStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "No-show"


class Activity(models.Model):
    """One entry on a customer's timeline. Kind-specific columns are empty for other kinds."""

    rooftop = models.ForeignKey(
        "accounts.Rooftop", on_delete=models.PROTECT, related_name="activities", db_index=False
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="activities"
    )
    lead = models.ForeignKey(
        Lead, on_delete=models.SET_NULL, null=True, blank=True, related_name="activities"
    )
    kind = models.CharField(max_length=20, choices=ActivityKind.choices)
    direction = models.CharField(max_length=10, choices=Direction.choices, blank=True)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    occurred_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # Appointment: a salesperson's time slot.
    salesperson = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
    )
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    appointment_status = models.CharField(
        max_length=20, choices=AppointmentStatus.choices, blank=True
    )

    # Test drive: the vehicle out, who drove it, and the odometer and clock each way.
    vehicle = models.ForeignKey(
        "inventory.Vehicle",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="test_drives",
    )
    drivers_license_number = EncryptedTextField(blank=True, mask=mask_tail)
    drivers_license_state = EncryptedTextField(blank=True)
    odometer_out = models.PositiveIntegerField(null=True, blank=True)
    odometer_in = models.PositiveIntegerField(null=True, blank=True)
    out_at = models.DateTimeField(null=True, blank=True)
    in_at = models.DateTimeField(null=True, blank=True)

    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[RooftopScopedQuerySet] = RooftopScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name_plural = "activities"
        permissions = [("reveal_activity", "Can reveal a test driver's full licence number")]
        indexes = [
            models.Index(fields=["customer", "-occurred_at", "-id"], name="activity_timeline"),
            models.Index(fields=["salesperson", "starts_at"], name="activity_appointments"),
        ]
        constraints = [
            # One open test drive per vehicle, whatever process starts it.
            models.UniqueConstraint(
                fields=["vehicle"],
                condition=Q(kind="test_drive", in_at__isnull=True),
                name="one_open_test_drive_per_vehicle",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(starts_at__lt=models.F("ends_at")),
                name="appointment_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(odometer_in__isnull=True)
                | Q(odometer_in__gte=models.F("odometer_out")),
                name="test_drive_odometer_not_backwards",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    @property
    def etag(self) -> str:
        return f'"{self.version}"'

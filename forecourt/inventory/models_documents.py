"""Inventory models for documents, photos, CSV import and the marketplace feed.

Imported at the end of models.py so Django registers them with the inventory app.
Writes go through warranty.py, photos.py, csv_import.py and feed.py (actions there).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone

from forecourt.core.permissions import RooftopScopedQuerySet

__all__ = ["FeedRun", "ImportJob", "RooftopDisclosure", "VehiclePhoto", "VehicleWarranty"]


class VehicleScopedQuerySet(RooftopScopedQuerySet):
    rooftop_lookup = "vehicle__rooftop"


class WarrantyKind(models.TextChoices):
    AS_IS = "as_is", "As is - no dealer warranty"
    IMPLIED_ONLY = "implied_only", "Implied warranties only"
    FULL = "full", "Dealer warranty - full"
    LIMITED = "limited", "Dealer warranty - limited"


DEALER_WARRANTY_KINDS = {WarrantyKind.FULL, WarrantyKind.LIMITED}


class VehicleWarranty(models.Model):
    """What the Buyers Guide of a used vehicle says about warranties (16 CFR 455.2)."""

    vehicle = models.OneToOneField(
        "inventory.Vehicle", on_delete=models.CASCADE, related_name="warranty"
    )
    kind = models.CharField(max_length=16, choices=WarrantyKind.choices, default=WarrantyKind.AS_IS)
    labor_percent = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    parts_percent = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    systems_covered = models.TextField(blank=True)
    duration = models.CharField(max_length=200, blank=True)
    manufacturer_warranty_applies = models.BooleanField(default=False)
    manufacturer_used_warranty_applies = models.BooleanField(default=False)
    other_used_warranty_applies = models.BooleanField(default=False)
    service_contract_available = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[VehicleScopedQuerySet] = VehicleScopedQuerySet.as_manager()  # type: ignore[assignment]

    def __str__(self) -> str:
        return f"Warranty of vehicle {self.vehicle_id}: {self.get_kind_display()}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == WarrantyKind.LIMITED:
            for name in ("labor_percent", "parts_percent"):
                if getattr(self, name) is None:
                    errors[name] = "A limited warranty states the percentage the dealer pays."
        elif self.labor_percent is not None or self.parts_percent is not None:
            errors["labor_percent"] = "Percentages apply to a limited dealer warranty only."
        if self.kind in DEALER_WARRANTY_KINDS:
            if not self.systems_covered.strip():
                errors["systems_covered"] = "Say which systems the dealer warranty covers."
            if not self.duration.strip():
                errors["duration"] = "Say how long the dealer warranty lasts."
        if errors:
            raise ValidationError(errors)


class RooftopDisclosure(models.Model):
    """Dealer details printed on documents beyond the rooftop's name, address and phone."""

    rooftop = models.OneToOneField(
        "accounts.Rooftop", on_delete=models.CASCADE, related_name="disclosure"
    )
    complaints_contact = models.TextField(
        blank=True, help_text="Whom buyers contact with complaints after sale (name, phone)."
    )

    def __str__(self) -> str:
        return f"Disclosures of {self.rooftop_id}"


class VehiclePhoto(models.Model):
    """An uploaded photo, stored under a random name and served only by a checked view."""

    vehicle = models.ForeignKey(
        "inventory.Vehicle", on_delete=models.CASCADE, related_name="photos"
    )
    file_name = models.CharField(max_length=200, help_text="Storage name of the image.")
    thumbnail_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=32)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField()
    position = models.PositiveIntegerField(default=0)
    is_primary = models.BooleanField(default=False)
    original_name = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[VehicleScopedQuerySet] = VehicleScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["vehicle", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vehicle"],
                condition=models.Q(is_primary=True),
                name="inventory_one_primary_photo_per_vehicle",
            )
        ]

    def __str__(self) -> str:
        return f"Photo {self.pk} of vehicle {self.vehicle_id}"


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", "All or nothing: import only if every row is valid"
    VALID_ROWS = "valid_rows", "Only valid rows: skip rows with errors"


class ImportStatus(models.TextChoices):
    PENDING = "pending", "Waiting"
    VALIDATING = "validating", "Checking rows"
    IMPORTING = "importing", "Importing"
    DONE = "done", "Done"
    REJECTED = "rejected", "Rejected: errors found, nothing imported"
    FAILED = "failed", "Failed"


FINISHED_IMPORT_STATUSES = {ImportStatus.DONE, ImportStatus.REJECTED, ImportStatus.FAILED}


class ImportJobQuerySet(RooftopScopedQuerySet):
    rooftop_lookup = "rooftop"


class ImportJob(models.Model):
    """A CSV upload of vehicles, processed by a background task that reports progress here."""

    rooftop = models.ForeignKey("accounts.Rooftop", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(max_length=200, help_text="Storage name of the uploaded file.")
    original_name = models.CharField(max_length=200, blank=True)
    mode = models.CharField(max_length=16, choices=ImportMode.choices)
    update_existing = models.BooleanField(
        default=True, help_text="A row whose VIN is in stock updates that vehicle (else skipped)."
    )
    status = models.CharField(
        max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total_bytes = models.PositiveBigIntegerField(default=0)
    processed_bytes = models.PositiveBigIntegerField(default=0)
    rows_seen = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, help_text="The first errors: row, column, message.")
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[ImportJobQuerySet] = ImportJobQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at"]
        permissions = [("export_vehicles", "Can export vehicle lists (CSV, XLSX)")]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.original_name})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_IMPORT_STATUSES

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        if not self.total_bytes:
            return 0
        return min(99, int(100 * self.processed_bytes / self.total_bytes))


class FeedRun(models.Model):
    """One build of a rooftop's marketplace feed file."""

    rooftop = models.ForeignKey("accounts.Rooftop", on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    vehicle_count = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)

    objects: ClassVar[ImportJobQuerySet] = ImportJobQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Feed of rooftop {self.rooftop_id} at {self.started_at:%Y-%m-%d %H:%M}"

"""Inventory media models: photos, Buyers Guide warranty terms and disclosures, feed runs.

Part of the inventory app (inventory/models.py imports them so Django registers them there).
Writes go through inventory/actions (photos, warranty, feeds).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone

from forecourt.core.permissions import RooftopScopedQuerySet


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


class FeedRunQuerySet(RooftopScopedQuerySet):
    rooftop_lookup = "rooftop"


class FeedRun(models.Model):
    """One build of a rooftop's marketplace feed file."""

    rooftop = models.ForeignKey("accounts.Rooftop", on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    vehicle_count = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)

    objects: ClassVar[FeedRunQuerySet] = FeedRunQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Feed of rooftop {self.rooftop_id} at {self.started_at:%Y-%m-%d %H:%M}"

"""Appraisals and vehicle condition reports (damage diagram markers stored as data).
Writes: condition/actions.py."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from forecourt.core.permissions import RooftopScopedQuerySet

MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}

__all__ = [
    "Appraisal",
    "AppraisalStatus",
    "ConditionGrade",
    "ConditionPhoto",
    "ConditionReport",
    "ReportOccasion",
]


class ConditionGrade(models.TextChoices):
    EXCELLENT = "excellent", "Excellent"
    GOOD = "good", "Good"
    FAIR = "fair", "Fair"
    POOR = "poor", "Poor"


class AppraisalStatus(models.TextChoices):
    OPEN = "open", "Open"
    PURCHASED = "purchased", "Bought"
    TRADED_IN = "traded_in", "Taken in trade"
    DECLINED = "declined", "Declined"


class Appraisal(models.Model):
    """What a trade-in or purchase candidate is worth to the dealer, and the offer made."""

    rooftop = models.ForeignKey("accounts.Rooftop", on_delete=models.PROTECT, related_name="+")
    vin = models.CharField("VIN", max_length=17, blank=True)
    plate = models.CharField("Registration plate", max_length=16, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    make = models.CharField(max_length=40, blank=True)
    model = models.CharField(max_length=60, blank=True)
    odometer = models.PositiveIntegerField(default=0)
    grade = models.CharField(max_length=10, choices=ConditionGrade.choices)
    # {"body": "450.00", "tyres": "180.00", ...}
    recon_estimate = models.JSONField(default=dict, blank=True)
    # [{"source": "AutoTrader", "price": "12500.00", "odometer": 41000, "note": ""}, ...]
    comparables = models.JSONField(default=list, blank=True)
    acv = models.DecimalField("ACV", **MONEY)
    offer = models.DecimalField(**MONEY)
    expires_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=AppraisalStatus.choices, default=AppraisalStatus.OPEN
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    purchase_line = models.ForeignKey(
        "purchasing.PurchaseLine",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    notes = models.TextField(blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1)

    objects: ClassVar[RooftopScopedQuerySet] = RooftopScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Appraisal {self.vin or self.plate}"


class ReportOccasion(models.TextChoices):
    PURCHASE = "purchase", "At purchase"
    ARRIVAL = "arrival", "On arrival"
    DELIVERY = "delivery", "At delivery"
    OTHER = "other", "Other"


class ReportQuerySet(RooftopScopedQuerySet):
    rooftop_lookup = "vehicle__rooftop"


class ConditionReport(models.Model):
    """A vehicle's condition on one day, signed. Markers are data: [{"id", "view", "x",
    "y", "type", "severity", "note"}] with x, y in the view's diagram coordinates."""

    vehicle = models.ForeignKey("inventory.Vehicle", on_delete=models.PROTECT, related_name="+")
    occasion = models.CharField(max_length=10, choices=ReportOccasion.choices)
    markers = models.JSONField(default=list, blank=True)
    tyres = models.JSONField(default=dict, blank=True)  # {"front_left": 6, ...} in mm or 32nds
    checks = models.JSONField(default=dict, blank=True)  # {"lights": "ok", ...}
    notes = models.TextField(blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    signed_name = models.CharField(max_length=150)
    signed_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[ReportQuerySet] = ReportQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-signed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_occasion_display()} report of {self.vehicle}"


class ConditionPhoto(models.Model):
    report = models.ForeignKey(ConditionReport, on_delete=models.CASCADE, related_name="photos")
    marker_id = models.CharField(max_length=16)
    image = models.FileField(upload_to="condition/%Y/%m/")
    content_type = models.CharField(max_length=40)

    def __str__(self) -> str:
        return f"Photo of marker {self.marker_id}"

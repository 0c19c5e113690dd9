"""Stocking (floor-plan) finance: lenders' facilities, floored units, their payments, the
daily interest accrual and the lender's statements. Writes: stocking/actions.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from forecourt.core.permissions import RooftopScopedQuerySet
from forecourt.purchasing.stocking.interest import (
    CurtailmentStep,
    DayCountBasis,
    RateChange,
)

MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}
PERCENT: dict[str, Any] = {"max_digits": 7, "decimal_places": 4}

__all__ = [
    "DayCountChoice",
    "Facility",
    "FacilityRate",
    "Flooring",
    "FlooringPayment",
    "FlooringStatus",
    "InterestAccrual",
    "LenderStatement",
    "LenderStatementLine",
    "PaymentKind",
]


class DayCountChoice(models.TextChoices):
    ACTUAL_365 = DayCountBasis.ACTUAL_365.value, "Actual/365"
    ACTUAL_360 = DayCountBasis.ACTUAL_360.value, "Actual/360"
    ACTUAL_ACTUAL = DayCountBasis.ACTUAL_ACTUAL.value, "Actual/actual (366 in leap years)"


class Facility(models.Model):
    """A lender's credit line for one rooftop (or one of its departments)."""

    rooftop = models.ForeignKey("accounts.Rooftop", on_delete=models.PROTECT, related_name="+")
    lender = models.CharField(max_length=120)
    name = models.CharField(max_length=120)
    department = models.CharField(max_length=60, blank=True)
    credit_limit = models.DecimalField(**MONEY)
    advance_percent = models.DecimalField(**PERCENT, default=Decimal("100"))
    day_count = models.CharField(
        max_length=16, choices=DayCountChoice.choices, default=DayCountChoice.ACTUAL_365
    )
    # [{"age_days": 90, "percent": "10"}, ...]
    curtailments = models.JSONField(default=list, blank=True)
    payoff_due_days = models.PositiveSmallIntegerField(default=5)
    flooring_fee = models.DecimalField(**MONEY, default=Decimal("0.00"))
    curtailment_fee = models.DecimalField(**MONEY, default=Decimal("0.00"))
    payoff_fee = models.DecimalField(**MONEY, default=Decimal("0.00"))
    is_active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects: ClassVar[RooftopScopedQuerySet] = RooftopScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["lender", "name", "id"]
        verbose_name_plural = "facilities"
        constraints = [
            models.CheckConstraint(
                condition=Q(credit_limit__gt=0)
                & Q(advance_percent__gt=0)
                & Q(advance_percent__lte=100),
                name="facility_limit_and_advance",
            )
        ]

    def __str__(self) -> str:
        return f"{self.lender} {self.name}"

    @property
    def basis(self) -> DayCountBasis:
        return DayCountBasis(self.day_count)

    @property
    def curtailment_steps(self) -> list[CurtailmentStep]:
        return [
            CurtailmentStep(int(step["age_days"]), Decimal(str(step["percent"])))
            for step in self.curtailments
        ]

    def rate_changes(self) -> list[RateChange]:
        return [RateChange(r.effective_from, r.annual_percent) for r in self.rates.all()]


class FacilityRate(models.Model):
    """The facility's annual rate from `effective_from` on (a history: rates change)."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="rates")
    effective_from = models.DateField()
    annual_percent = models.DecimalField(**PERCENT)

    class Meta:
        ordering = ["effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "effective_from"], name="facility_rate_once_per_day"
            ),
            models.CheckConstraint(
                condition=Q(annual_percent__gte=0), name="facility_rate_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.annual_percent}% from {self.effective_from}"


class FlooringStatus(models.TextChoices):
    OPEN = "open", "Floored"
    PAID_OFF = "paid_off", "Paid off"


class FlooringQuerySet(RooftopScopedQuerySet):
    rooftop_lookup = "facility__rooftop"

    def open(self) -> FlooringQuerySet:
        return self.filter(status=FlooringStatus.OPEN)


class Flooring(models.Model):
    """One unit funded under a facility, from its funding day until it is paid off."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="floorings")
    vehicle = models.ForeignKey("inventory.Vehicle", on_delete=models.PROTECT, related_name="+")
    floored_on = models.DateField()
    advance = models.DecimalField(**MONEY)
    principal = models.DecimalField(**MONEY, help_text="Outstanding principal.")
    status = models.CharField(
        max_length=10, choices=FlooringStatus.choices, default=FlooringStatus.OPEN
    )
    sold_on = models.DateField(null=True, blank=True)
    paid_off_on = models.DateField(null=True, blank=True)
    interest_accrued = models.DecimalField(**MONEY, default=Decimal("0.00"))
    # The unrounded interest so far, so each day's posted cents continue the running total.
    interest_exact = models.DecimalField(max_digits=22, decimal_places=10, default=Decimal("0"))
    accrued_through = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects: ClassVar[FlooringQuerySet] = FlooringQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-floored_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vehicle"],
                condition=Q(status="open"),
                name="one_open_flooring_per_vehicle",
                violation_error_message="This vehicle is already floored.",
            ),
            models.CheckConstraint(
                condition=Q(advance__gt=0)
                & Q(principal__gte=0)
                & Q(principal__lte=models.F("advance")),
                name="flooring_principal_within_advance",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vehicle} on {self.facility}"

    @property
    def etag(self) -> str:
        return f'"{self.version}"'


class PaymentKind(models.TextChoices):
    CURTAILMENT = "curtailment", "Curtailment"
    PAYOFF = "payoff", "Payoff"


class FlooringPayment(models.Model):
    flooring = models.ForeignKey(Flooring, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(max_length=12, choices=PaymentKind.choices)
    amount = models.DecimalField(**MONEY)
    paid_on = models.DateField()
    reference = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="flooring_payment_positive")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class InterestAccrual(models.Model):
    """One day's interest on one floored unit. The unique (flooring, day) row is what makes
    the accrual job run once per day whichever worker, process or machine runs it."""

    flooring = models.ForeignKey(Flooring, on_delete=models.PROTECT, related_name="accruals")
    day = models.DateField()
    principal = models.DecimalField(**MONEY)
    annual_percent = models.DecimalField(**PERCENT)
    amount = models.DecimalField(**MONEY)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["flooring", "day"], name="interest_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.amount}"


class LenderStatement(models.Model):
    """A lender's floor-plan statement as imported (CSV), for the lender audit."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="statements")
    statement_on = models.DateField()
    filename = models.CharField(max_length=200, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[FlooringQuerySet] = FlooringQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-statement_on", "-id"]

    def __str__(self) -> str:
        return f"{self.facility} statement {self.statement_on}"


class LenderStatementLine(models.Model):
    statement = models.ForeignKey(LenderStatement, on_delete=models.CASCADE, related_name="lines")
    vin = models.CharField(max_length=17)
    reference = models.CharField(max_length=64, blank=True)
    balance = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.vin} {self.balance}"

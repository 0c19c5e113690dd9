"""Reconditioning to front line: a rooftop's stages, each vehicle's way through them and
its work items. Writes: recon/actions.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from forecourt.core.permissions import RooftopScopedQuerySet

MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}

__all__ = [
    "ReconOrder",
    "ReconSettings",
    "ReconStage",
    "ReconStageVisit",
    "WorkItem",
    "WorkItemStatus",
]


class ReconStage(models.Model):
    """One step of a rooftop's reconditioning, in `position` order; exactly one stage is
    the front line (reaching it makes the vehicle available)."""

    rooftop = models.ForeignKey("accounts.Rooftop", on_delete=models.CASCADE, related_name="+")
    key = models.SlugField(max_length=32)
    name = models.CharField(max_length=60)
    position = models.PositiveSmallIntegerField()
    is_front_line = models.BooleanField(default=False)
    default_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_days = models.PositiveSmallIntegerField(
        default=2, help_text="Business days a vehicle should spend in this stage."
    )

    objects: ClassVar[RooftopScopedQuerySet] = RooftopScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["rooftop_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rooftop", "key"], name="recon_stage_key_per_rooftop"),
            models.UniqueConstraint(
                fields=["rooftop"],
                condition=Q(is_front_line=True),
                name="one_front_line_stage_per_rooftop",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ReconSettings(models.Model):
    rooftop = models.OneToOneField("accounts.Rooftop", on_delete=models.CASCADE, related_name="+")
    approval_limit = models.DecimalField(
        **MONEY,
        default=Decimal("500.00"),
        help_text="A work item estimated above this needs a manager's approval.",
    )

    class Meta:
        verbose_name_plural = "recon settings"

    def __str__(self) -> str:
        return f"{self.rooftop_id}: approval above {self.approval_limit}"


class ReconQuerySet(RooftopScopedQuerySet):
    rooftop_lookup = "vehicle__rooftop"


class ReconOrder(models.Model):
    """A vehicle's reconditioning: where it is now and when it reached the front line."""

    vehicle = models.OneToOneField("inventory.Vehicle", on_delete=models.PROTECT, related_name="+")
    stage = models.ForeignKey(ReconStage, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(default=timezone.localdate)
    front_line_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects: ClassVar[ReconQuerySet] = ReconQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["started_on", "id"]

    def __str__(self) -> str:
        return f"Recon of {self.vehicle}"

    @property
    def etag(self) -> str:
        return f'"{self.version}"'


class ReconStageVisit(models.Model):
    """A vehicle's time in one stage (a vehicle sent back visits a stage again)."""

    order = models.ForeignKey(ReconOrder, on_delete=models.CASCADE, related_name="visits")
    stage = models.ForeignKey(ReconStage, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    entered_on = models.DateField(default=timezone.localdate)
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["entered_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"], condition=Q(left_on__isnull=True), name="one_current_stage"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stage} from {self.entered_on}"


class WorkItemStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    DONE = "done", "Done"


class WorkItemQuerySet(RooftopScopedQuerySet):
    rooftop_lookup = "order__vehicle__rooftop"


class WorkItem(models.Model):
    """A job on a vehicle (e.g. two tyres, a bumper respray): estimate, then actual cost,
    which posts to the vehicle's added costs once (posted_cost)."""

    order = models.ForeignKey(ReconOrder, on_delete=models.CASCADE, related_name="work_items")
    stage = models.ForeignKey(ReconStage, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(max_length=200)
    vendor = models.CharField(max_length=120, blank=True)
    estimate = models.DecimalField(**MONEY)
    actual = models.DecimalField(**MONEY, null=True, blank=True)
    status = models.CharField(max_length=20, choices=WorkItemStatus.choices)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    posted_cost = models.OneToOneField(
        "inventory.VehicleCost", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects: ClassVar[WorkItemQuerySet] = WorkItemQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["created_at", "id"]
        permissions = [("approve_workitem", "Can approve recon work above the rooftop's limit")]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimate__gte=0) & (Q(actual__isnull=True) | Q(actual__gte=0)),
                name="work_item_money_not_negative",
            )
        ]

    def __str__(self) -> str:
        return self.description

"""Inventory CSV import jobs. Part of the inventory app (inventory/models.py imports them so
Django registers them there); writes go through inventory/actions/imports.py."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from forecourt.core.permissions import RooftopScopedQuerySet


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

"""Core's tables: the audit log, idempotency keys for API writes, scheduled-job claims."""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone

from forecourt.core.permissions import RooftopScopedQuerySet


class AppendOnlyError(Exception):
    """Audit entries are never changed or deleted."""


class AuditEntryQuerySet(RooftopScopedQuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit log is append-only: entries cannot be updated.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("The audit log is append-only: entries cannot be deleted.")


class AuditEntry(models.Model):
    """Who did what to which object, with the before/after of each changed field."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_label = models.CharField(max_length=254, help_text="Email or system process name.")
    action = models.CharField(max_length=100, help_text="The actions.py function, e.g. ...")
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    changes = models.JSONField(default=dict, help_text='{"field": [before, after]}')
    rooftop = models.ForeignKey(
        "accounts.Rooftop", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    request_id = models.CharField(max_length=128, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects: ClassVar[AuditEntryQuerySet] = AuditEntryQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The audit log is append-only: entries cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit log is append-only: entries cannot be deleted.")


class IdempotencyKey(models.Model):
    """A replayable response for an `Idempotency-Key` (forecourt/core/idempotency.py).

    The stored response may hold personal data (a created customer), so a key lives only
    for idempotency.KEY_LIFETIME and goes earlier when its subject is disposed of."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(default=0)  # 0 until the response is set
    response_body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    subject = models.CharField(
        max_length=100,
        blank=True,
        db_index=True,
        help_text='Whose data the response holds, e.g. "customers.customer:42".',
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_per_user")
        ]

    def __str__(self) -> str:
        return self.key


class ScheduledJobRun(models.Model):
    """The claim of one scheduled slot of one job: unique, so a slot runs exactly once."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    job = models.CharField(max_length=100)
    slot = models.DateTimeField(help_text="The scheduled instant this run is for.")
    worker = models.CharField(max_length=100)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    task_id = models.CharField(
        max_length=64, blank=True, db_index=True, help_text="The task that runs this slot."
    )

    class Meta:
        ordering = ["-slot"]
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="scheduled_job_run_once_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M} ({self.status})"

"""What the backups app remembers: each backup taken and verified."""

from __future__ import annotations

from django.db import models


class BackupRecord(models.Model):
    """One backup run: where its files are, what its manifest says, whether it restored."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    class Verification(models.TextChoices):
        NOT_VERIFIED = "", "Not verified"
        PASSED = "passed", "Passed"
        FAILED = "failed", "Failed"

    name = models.CharField(max_length=80, unique=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    archive_path = models.CharField(max_length=500, blank=True)
    remote_key = models.CharField(max_length=500, blank=True)
    size_bytes = models.BigIntegerField(null=True, blank=True)
    archive_sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    verification = models.CharField(
        max_length=8, choices=Verification.choices, default=Verification.NOT_VERIFIED, blank=True
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verification_report = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["status", "-finished_at"], name="backup_status_finished")]

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"

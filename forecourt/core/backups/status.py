"""Backup freshness for health checks, metrics and the status page."""

from __future__ import annotations

from datetime import datetime

from forecourt.core.backups.models import BackupRecord


def last_successful_backup() -> datetime | None:
    """When the newest backup that completed was started (the age of the data it holds)."""
    return (
        BackupRecord.objects.filter(status=BackupRecord.Status.SUCCEEDED)
        .order_by("-started_at")
        .values_list("started_at", flat=True)
        .first()
    )


def last_verified_backup() -> datetime | None:
    """When the newest backup that restored and matched its manifest was started."""
    return (
        BackupRecord.objects.filter(
            status=BackupRecord.Status.SUCCEEDED, verification=BackupRecord.Verification.PASSED
        )
        .order_by("-started_at")
        .values_list("started_at", flat=True)
        .first()
    )

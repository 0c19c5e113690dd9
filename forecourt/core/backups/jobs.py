"""The scheduled backup: back up, apply retention, verify; any failure raises an alert."""

from __future__ import annotations

import logging

from forecourt.core.backups.options import BackupOptions, options_from_config
from forecourt.core.backups.service import apply_retention, create_backup, verify_backup

logger = logging.getLogger("forecourt.backups")
BACKUP_JOB = "backups.backup"


def alert(level: str, title: str, details: dict[str, object], dedup_key: str) -> None:
    try:
        from forecourt.core.observability.alerts import send_alert
    except ImportError:  # monitoring not installed: the log line is the alert
        logger.error("%s: %s", title, details)
        return
    send_alert(level, title, details, dedup_key=dedup_key)


def scheduled_backup(options: BackupOptions | None = None) -> bool:
    """One scheduled run; True when the backup was taken and restored cleanly."""
    options = options or options_from_config()
    try:
        record = create_backup(options)
    except Exception as error:
        logger.exception("scheduled backup failed")
        alert(
            "critical",
            "Backup failed",
            {"error": f"{type(error).__name__}: {error}"},
            dedup_key="backups:backup-failed",
        )
        return False
    # Retention runs only after a good backup, so a broken job never thins out the old ones.
    try:
        apply_retention(options)
    except Exception as error:
        logger.exception("backup retention failed")
        alert(
            "warning",
            "Backup retention failed",
            {"error": f"{type(error).__name__}: {error}"},
            dedup_key="backups:retention-failed",
        )
    report = verify_backup(record.name, options)
    if not report.ok:
        alert(
            "critical",
            "Backup verification failed",
            {"backup": report.name, "problems": report.problems[:20]},
            dedup_key="backups:verify-failed",
        )
    return report.ok


def register() -> None:
    from forecourt.core.config import get_config
    from forecourt.core.scheduler import register_job

    register_job(BACKUP_JOB, get_config().backup_schedule, scheduled_backup)

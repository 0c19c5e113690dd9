"""Where backups go and how they are kept: read once from the configuration (or given by tests)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from forecourt.core.config import get_config


@dataclass(frozen=True)
class S3Options:
    bucket: str
    prefix: str = "forecourt/"
    endpoint_url: str | None = None
    region: str | None = None
    access_key_id: str | None = None
    secret_access_key: str | None = None


@dataclass(frozen=True)
class BackupOptions:
    backup_dir: Path
    media_root: Path
    key: bytes
    s3: S3Options | None = None
    keep_daily: int = 7
    keep_weekly: int = 4
    keep_monthly: int = 12


def options_from_config() -> BackupOptions:
    config = get_config()
    s3 = None
    if config.backup_s3_bucket:
        secret = config.backup_s3_secret_access_key
        s3 = S3Options(
            bucket=config.backup_s3_bucket,
            prefix=config.backup_s3_prefix,
            endpoint_url=config.backup_s3_endpoint_url,
            region=config.backup_s3_region,
            access_key_id=config.backup_s3_access_key_id,
            secret_access_key=secret.get_secret_value() if secret else None,
        )
    return BackupOptions(
        backup_dir=config.effective_backup_dir,
        media_root=Path(settings.MEDIA_ROOT),
        key=config.effective_backup_key,
        s3=s3,
        keep_daily=config.backup_retention_daily,
        keep_weekly=config.backup_retention_weekly,
        keep_monthly=config.backup_retention_monthly,
    )

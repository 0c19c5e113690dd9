"""Backups (docs/backup-and-recovery.md, docs/deployment.md)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, ValidationInfo, field_validator

from forecourt.core.config.base import EnvironmentSettings, development_key
from forecourt.core.schedules import parse_schedule

MIN_BACKUP_KEY_LENGTH = 32


class BackupSettings(EnvironmentSettings):
    backup_dir: Path | None = Field(
        default=None,
        description="Folder for local backups. Default: DATA_DIR/backups.",
        examples=["/var/backups/forecourt"],
    )

    backup_encryption_key: SecretStr | None = Field(
        default=None,
        description="Encrypts every backup (AES-256-GCM); 32+ random characters. Required in"
        " production. Keep a copy OUTSIDE the server: without it no backup can be restored.",
        examples=["<output of: python -c 'import secrets; print(secrets.token_urlsafe(48))'>"],
    )

    backup_s3_bucket: str | None = Field(
        default=None,
        description="S3-compatible bucket that receives a copy of every backup (off when empty).",
        examples=["example-motors-backups"],
    )

    backup_s3_prefix: str = Field(
        default="forecourt/",
        description="Key prefix of the backups inside BACKUP_S3_BUCKET.",
        examples=["forecourt/"],
    )

    backup_s3_endpoint_url: str | None = Field(
        default=None,
        description="Endpoint of a non-AWS S3-compatible store (MinIO, Backblaze, Wasabi...).",
        examples=["https://s3.eu-central-003.backblazeb2.com"],
    )

    backup_s3_region: str | None = Field(
        default=None, description="Region of the bucket.", examples=["eu-central-1"]
    )

    backup_s3_access_key_id: str | None = Field(
        default=None,
        description="Access key id for the bucket (default: the usual AWS credential chain).",
        examples=["AKIAIOSFODNN7EXAMPLE"],
    )

    backup_s3_secret_access_key: SecretStr | None = Field(
        default=None,
        description="Secret access key for the bucket.",
        examples=["<from your storage provider>"],
    )

    backup_schedule: str = Field(
        default="02:00",
        description="When the worker backs up: HH:MM daily (TIME_ZONE), or every Nm / Nh / Nd.",
        examples=["every 6h"],
    )

    backup_retention_daily: int = Field(
        default=7, ge=1, description="Daily backups kept (the newest of each day).", examples=["7"]
    )

    backup_retention_weekly: int = Field(
        default=4,
        ge=0,
        description="Weekly backups kept (the newest of each week).",
        examples=["4"],
    )

    backup_retention_monthly: int = Field(
        default=12,
        ge=0,
        description="Monthly backups kept (the newest of each month).",
        examples=["12"],
    )

    @field_validator("backup_encryption_key")
    @classmethod
    def _backup_key(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            if info.data.get("env") == "production":
                raise ValueError("is required in production (backups are encrypted with it)")
            return None
        if len(value.get_secret_value()) < MIN_BACKUP_KEY_LENGTH:
            raise ValueError(f"must be at least {MIN_BACKUP_KEY_LENGTH} random characters")
        return value

    @field_validator("backup_schedule")
    @classmethod
    def _backup_schedule(cls, value: str) -> str:
        parse_schedule(value)
        return value

    @property
    def effective_backup_key(self) -> bytes:
        """Key material for backups; a derived development key outside production."""
        if self.backup_encryption_key:
            return self.backup_encryption_key.get_secret_value().encode()
        return development_key("backups")

"""The database and Redis."""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import Field, ValidationInfo, field_validator

from forecourt.core.config.base import EnvironmentSettings


class DatabaseSettings(EnvironmentSettings):
    database_url: str | None = Field(
        default=None,
        description="Database. Defaults to SQLite under DATA_DIR; required in production.",
        examples=["postgres://forecourt:secret@db.internal:5432/forecourt"],
    )

    db_server_side_binding: bool = Field(
        default=True,
        description=(
            "PostgreSQL: send query parameters apart from the SQL so repeated statements are "
            "prepared once per connection (saves parsing, and planning where a generic plan "
            "serves, on the hot reads). Turn off behind "
            "a PgBouncer older than 1.21 in transaction pooling mode."
        ),
        examples=["true"],
    )

    redis_url: str | None = Field(
        default=None,
        description="Optional Redis for cache, rate limits and the task queue.",
        examples=["redis://127.0.0.1:6379/0"],
    )

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None or not value.strip():
            if info.data.get("env") == "production":
                raise ValueError("is required in production (PostgreSQL)")
            return None
        scheme = urlsplit(value).scheme
        if scheme not in {"postgres", "postgresql", "sqlite"}:
            raise ValueError(f"scheme must be postgres:// or sqlite:// (got {scheme or 'none'!r})")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if urlsplit(value).scheme not in {"redis", "rediss"}:
            raise ValueError("must start with redis:// or rediss://")
        return value

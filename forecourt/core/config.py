"""The one typed schema for every environment variable Forecourt reads.

Django settings (forecourt/settings.py) read only from here. Validation collects
every problem at once so an operator fixes the whole environment in one pass.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import re
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple
from urllib.parse import urlsplit, urlunsplit

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Used only where FORECOURT_ENV is development or test; production refuses it.
DEVELOPMENT_SECRET_KEY = "forecourt-development-only-key-never-use-in-production-0123456789"  # noqa: S105
MIN_PRODUCTION_SECRET_LENGTH = 50
MIN_BACKUP_KEY_LENGTH = 32

Environment = Literal["development", "test", "production"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
CommaList = Annotated[list[str], NoDecode]


def _split_commas(value: Any) -> Any:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


RATE_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*(second|minute|hour|day)s?\s*$", re.IGNORECASE)
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
FIELD_KEY_BYTES = 32  # AES-256


class Rate(NamedTuple):
    """A rate limit: at most `limit` requests per `seconds`."""

    limit: int
    seconds: int


def parse_rate(text: str) -> Rate:
    """'300/minute', '10/15minutes' or '20000/day' -> Rate; ValueError when malformed."""
    match = _RATE.match(text)
    if not match or int(match[1]) < 1:
        raise ValueError(
            f"{text!r} is not a rate like 300/minute, 10/15minutes or 20000/day (limit >= 1)"
        )
    multiplier = int(match[2] or 1)
    if multiplier < 1:
        raise ValueError(f"{text!r}: the period multiplier must be at least 1")
    return Rate(int(match[1]), multiplier * RATE_PERIODS[match[3].lower()])


def parse_field_keys(text: str) -> dict[str, bytes]:
    """'kid1:base64key,kid0:base64key' -> {kid: 32-byte key}, in order (first = current)."""
    keys: dict[str, bytes] = {}
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        kid, sep, encoded = item.partition(":")
        if not sep or not _KEY_ID.match(kid):
            raise ValueError("each key must be KEYID:BASE64 with a key id of 1-16 [A-Za-z0-9_-]")
        if kid in keys:
            raise ValueError(f"key id {kid!r} appears twice")
        try:
            key = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise ValueError(f"key {kid!r} is not valid base64") from None
        if len(key) != FIELD_KEY_BYTES:
            raise ValueError(f"key {kid!r} must decode to {FIELD_KEY_BYTES} bytes (got {len(key)})")
        keys[kid] = key
    if not keys:
        raise ValueError("lists no key")
    return keys


def _development_key(purpose: str) -> bytes:
    # Deterministic so development data stays readable across restarts; refused in production.
    return hashlib.sha256(f"{DEVELOPMENT_SECRET_KEY}:{purpose}".encode()).digest()


class ConfigError(Exception):
    """Raised with one readable message that lists every configuration problem."""

    def __init__(self, problems: list[tuple[str, str, str]]):
        self.problems = problems
        lines = [f"Forecourt configuration is invalid ({len(problems)} problem(s)):"]
        for variable, message, example in problems:
            lines.append(f"  - {variable}: {message}")
            if example:
                lines.append(f"      example: {variable}={example}")
        lines.append("See .env.example for every variable, its default and meaning.")
        super().__init__("\n".join(lines))


class ForecourtConfig(BaseSettings):
    """Environment variables, their types, defaults and rules (see .env.example)."""

    model_config = SettingsConfigDict(
        case_sensitive=False, validate_default=True, extra="ignore", frozen=True
    )

    env: Environment = Field(
        default="development",
        validation_alias="FORECOURT_ENV",
        description="Which rules apply: development | test | production.",
        examples=["production"],
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Signs sessions and tokens. Required in production: 50+ random characters.",
        examples=["<output of: python -c 'import secrets; print(secrets.token_urlsafe(64))'>"],
    )
    debug: bool | None = Field(
        default=None,
        description="Django debug pages. On in development by default; refused in production.",
        examples=["false"],
    )
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
    allowed_hosts: CommaList = Field(
        default_factory=list,
        description="Comma-separated host names this site answers to. Required in production.",
        examples=["dms.example-motors.com"],
    )
    allowed_origins: CommaList = Field(
        default_factory=list,
        description="Comma-separated origins allowed to call the API cross-site (default none).",
        examples=["https://www.example-motors.com"],
    )
    log_level: LogLevel = Field(
        default="INFO", description="Lowest level logged.", examples=["INFO"]
    )
    log_format: Literal["console", "json"] | None = Field(
        default=None,
        description="console (readable) or json (one object a line). Default: json in production.",
        examples=["json"],
    )
    data_dir: Path = Field(
        default=Path("var"),
        description="Folder for the SQLite database, uploaded media and collected static files.",
        examples=["/var/lib/forecourt"],
    )
    time_zone: str = Field(
        default="UTC",
        description="Server time zone for logs and schedules; each rooftop has its own.",
        examples=["America/Chicago"],
    )
    trusted_proxy_hops: int = Field(
        default=0,
        ge=0,
        le=5,
        description="How many reverse proxies in front of the app append to X-Forwarded-For.",
        examples=["1"],
    )
    mfa_demo_exempt: bool | None = Field(
        default=None,
        description="Let the demo accounts (@demo.forecourt.test) skip MFA. Effective only when"
        " FORECOURT_ENV=development (default there: true); refused in production.",
        examples=["false"],
    )
    session_idle_timeout_minutes: int = Field(
        default=30,
        ge=1,
        le=24 * 60,
        description="Minutes without a request after which a signed-in session ends.",
        examples=["30"],
    )
    session_max_age_hours: int = Field(
        default=12,
        ge=1,
        le=7 * 24,
        description="Hours after sign-in after which a session ends, however active.",
        examples=["12"],
    )
    login_ip_failure_limit: int = Field(
        default=50,
        ge=5,
        description="Failed sign-ins from one client IP (any accounts) within the 15-minute"
        " cool-off that block further sign-ins from it (password spraying).",
        examples=["50"],
    )
    login_account_failure_ceiling: int = Field(
        default=100,
        ge=10,
        description="Consecutive failed sign-ins of one account, from anywhere, after which it"
        " stays locked until an admin unlocks it.",
        examples=["100"],
    )
    email_url: SecretStr | None = Field(
        default=None,
        description="Outgoing mail (password resets): smtp://user:pass@host:587 (STARTTLS),"
        " smtps://... (TLS) or console:// (print). Default: console outside production.",
        examples=["smtp://forecourt:secret@mail.example-motors.com:587"],
    )
    email_from: str = Field(
        default="Forecourt <no-reply@localhost>",
        description="Sender address of the mail Forecourt sends.",
        examples=["Forecourt <dms@example-motors.com>"],
    )
    rate_limit_enabled: bool | None = Field(
        default=None,
        description="Rate limiting. On by default (off only under FORECOURT_ENV=test); "
        "cannot be switched off in production.",
        examples=["true"],
    )
    rate_limit_global: str = Field(
        default="300/minute",
        description="Requests per client IP to any page or endpoint (health checks exempt).",
        examples=["300/minute"],
    )
    rate_limit_auth: str = Field(
        default="10/minute",
        description="Sign-in, password-reset and MFA attempts per client IP (fails closed).",
        examples=["10/minute"],
    )
    rate_limit_api: str = Field(
        default="120/minute",
        description="API requests per token (or signed-in user, or IP when anonymous).",
        examples=["120/minute"],
    )
    rate_limit_api_daily: str = Field(
        default="20000/day",
        description="Daily API quota per token (or signed-in user, or IP when anonymous).",
        examples=["20000/day"],
    )
    rate_limit_expensive: str = Field(
        default="30/hour",
        description="Exports, PDF generation and imports per user.",
        examples=["30/hour"],
    )
    max_request_body_bytes: int = Field(
        default=2_621_440,
        ge=1024,
        description="Largest request body read into memory (form fields, JSON), in bytes.",
        examples=["2621440"],
    )
    max_upload_bytes: int = Field(
        default=20_971_520,
        ge=1024,
        description="Largest request of any kind (file uploads included), in bytes; bigger is 413.",
        examples=["20971520"],
    )
    field_encryption_keys: SecretStr | None = Field(
        default=None,
        description="Keys for encrypted customer fields, KEYID:BASE64(32 bytes), comma-separated,"
        " newest first (the first encrypts; all decrypt). Required in production.",
        examples=["k1:<output of: forecourt new-field-key>"],
    )
    field_hash_key: SecretStr | None = Field(
        default=None,
        description="BASE64(32 bytes) key of the blind indexes (keyed hashes for exact lookup of"
        " encrypted fields). Never rotated casually: lookups depend on it. Required in production.",
        examples=["<output of: forecourt new-field-key>"],
    )

    vin_decoder: Literal["offline", "vpic"] = Field(
        default="offline",
        description="VIN decoder: offline (WMI and model year only) or vpic (NHTSA vPIC online).",
        examples=["vpic"],
    )
    vin_decoder_url: str = Field(
        default="https://vpic.nhtsa.dot.gov/api",
        description="Base URL of the NHTSA vPIC API (used when VIN_DECODER=vpic).",
        examples=["https://vpic.nhtsa.dot.gov/api"],
    )
    vin_decoder_timeout: float = Field(
        default=3.0,
        gt=0,
        le=30,
        description="Seconds to wait for the online VIN decoder before decoding offline.",
        examples=["3"],
    )

    # Inventory photos, documents and marketplace feeds (docs/inventory.md).
    photo_max_bytes: int = Field(
        default=10_485_760,
        ge=10_240,
        description="Largest vehicle photo accepted, in bytes (JPEG, PNG or WebP).",
        examples=["10485760"],
    )
    public_base_url: str = Field(
        default="http://localhost:8000",
        description="Absolute base URL of this site, for links that leave it (marketplace feeds).",
        examples=["https://dms.example-motors.com"],
    )

    # Customers: retention and disposal, Safeguards 314.4(c)(6) (docs/compliance.md).
    customer_retention_days: int = Field(
        default=730,
        ge=30,
        le=3650,
        description=(
            "Days without activity after which a customer (no open business, no legal hold)"
            " is anonymized by the nightly retention job."
        ),
        examples=["730"],
    )

    # Monitoring and alerting (docs/monitoring.md).
    slow_request_ms: int = Field(
        default=1000,
        ge=1,
        description="A request slower than this (ms) logs a warning.",
        examples=["1000"],
    )
    slow_query_ms: int = Field(
        default=200,
        ge=1,
        description="A database query slower than this (ms) logs a warning.",
        examples=["200"],
    )
    metrics_token: SecretStr | None = Field(
        default=None,
        description="Bearer token Prometheus sends to scrape /metrics (or METRICS_ALLOWED_IPS).",
        examples=["<output of: python -c 'import secrets; print(secrets.token_urlsafe(32))'>"],
    )
    metrics_allowed_ips: CommaList = Field(
        default_factory=list,
        description="Comma-separated IPs or networks that may read /metrics without a token.",
        examples=["10.0.0.5,192.168.1.0/24"],
    )
    prometheus_multiproc_dir: Path | None = Field(
        default=None,
        validation_alias="PROMETHEUS_MULTIPROC_DIR",
        description="Empty folder shared by every app worker for metrics (multiprocess mode);"
        " `forecourt serve` empties it at start.",
        examples=["/run/forecourt/metrics"],
    )
    alert_min_level: Literal["info", "warning", "error", "critical"] = Field(
        default="warning",
        description="Alerts below this level are recorded but not sent to any channel.",
        examples=["warning"],
    )
    alert_slack_webhook_url: SecretStr | None = Field(
        default=None,
        description="Slack-compatible incoming webhook URL for alerts.",
        examples=["https://hooks.slack.com/services/T000/B000/XXXX"],
    )
    alert_webhook_url: str | None = Field(
        default=None,
        description="Generic JSON webhook for alerts (body signed with ALERT_WEBHOOK_SECRET).",
        examples=["https://ops.example-motors.com/hooks/forecourt"],
    )
    alert_webhook_secret: SecretStr | None = Field(
        default=None,
        description="HMAC-SHA256 key; the signature goes in the X-Forecourt-Signature header.",
        examples=["<output of: python -c 'import secrets; print(secrets.token_urlsafe(32))'>"],
    )
    alert_email_to: CommaList = Field(
        default_factory=list,
        description="Comma-separated addresses that receive alerts by email.",
        examples=["ops@example-motors.com"],
    )
    alert_dedup_seconds: int = Field(
        default=900,
        ge=0,
        description="Identical alerts within this many seconds are sent once.",
        examples=["900"],
    )
    alert_timeout_seconds: float = Field(
        default=5.0,
        gt=0,
        le=60,
        description="Seconds to wait for an alert channel to answer.",
        examples=["5"],
    )
    alert_retry_attempts: int = Field(
        default=3,
        ge=1,
        le=10,
        description="Tries per alert channel before it counts as failed.",
        examples=["3"],
    )
    alert_retry_backoff_seconds: float = Field(
        default=2.0,
        ge=0,
        le=60,
        description="Wait before the first retry of a channel; doubles on each further retry.",
        examples=["2"],
    )
    detect_login_failures_per_account: int = Field(
        default=5,
        ge=1,
        description="Failed sign-ins on one account within the window: event.",
        examples=["5"],
    )
    detect_login_failures_per_ip: int = Field(
        default=20,
        ge=1,
        description="Failed sign-ins from one IP within the window: event.",
        examples=["20"],
    )
    detect_login_failure_window_seconds: int = Field(
        default=900, ge=1, description="Window for counting failed sign-ins.", examples=["900"]
    )
    detect_client_error_burst: int = Field(
        default=30,
        ge=1,
        description="403/404 answers to one client within the window: event.",
        examples=["30"],
    )
    detect_client_error_window_seconds: int = Field(
        default=60, ge=1, description="Window for counting 403/404 answers.", examples=["60"]
    )
    detect_bulk_read_records: int = Field(
        default=500,
        ge=1,
        description="Customer records one user reads or exports in the window"
        " before it is an event.",
        examples=["500"],
    )
    detect_bulk_read_window_seconds: int = Field(
        default=600,
        ge=1,
        description="Window for counting customer records read.",
        examples=["600"],
    )
    business_hours: str = Field(
        default="",
        description="Opening hours (TIME_ZONE) like 07:00-21:00; non-admin access outside them is"
        " an event. Empty: off.",
        examples=["07:00-21:00"],
    )
    business_days: str = Field(
        default="mon,tue,wed,thu,fri,sat",
        description="Days BUSINESS_HOURS apply to; other days are outside business hours.",
        examples=["mon,tue,wed,thu,fri,sat"],
    )
    worker_heartbeat_max_age_seconds: int = Field(
        default=120,
        ge=5,
        description="Readiness fails when no task worker beat more recently.",
        examples=["120"],
    )
    backup_max_age_hours: int = Field(
        default=26,
        ge=1,
        description="Readiness fails when the last good backup is older.",
        examples=["26"],
    )
    disk_free_min_percent: float = Field(
        default=10.0,
        ge=0,
        le=100,
        description="Readiness fails (and an alert goes out) below this free space on data dirs.",
        examples=["10"],
    )
    resource_rss_warn_mb: int = Field(
        default=1024,
        ge=1,
        description="Alert when one process's memory (RSS) exceeds this.",
        examples=["1024"],
    )
    resource_cpu_warn_percent: float = Field(
        default=90.0,
        gt=0,
        description="Alert when one process's CPU use exceeds this percent.",
        examples=["90"],
    )
    resource_open_fds_warn: int = Field(
        default=800,
        ge=1,
        description="Alert when one process has more open files than this.",
        examples=["800"],
    )
    resource_db_connections_warn: int = Field(
        default=80,
        ge=1,
        description="Alert when the database has more connections than this.",
        examples=["80"],
    )

    @field_validator("public_base_url")
    @classmethod
    def _public_base_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ValueError(f"{value!r} is not an absolute URL like https://host")
        return value.rstrip("/")

    @field_validator("metrics_allowed_ips", "alert_email_to", mode="before")
    @classmethod
    def _monitoring_lists(cls, value: Any) -> Any:
        return _split_commas(value)

    @field_validator("metrics_allowed_ips")
    @classmethod
    def _metrics_networks(cls, value: list[str]) -> list[str]:
        import ipaddress

        for item in value:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"{item!r} is not an IP address or network") from None
        return value

    @field_validator("business_days")
    @classmethod
    def _business_days(cls, value: str, info: ValidationInfo) -> str:
        from forecourt.core.observability.conf import parse_business_hours

        parse_business_hours(info.data.get("business_hours") or "00:00-23:59", value)
        return value

    @field_validator("business_hours")
    @classmethod
    def _business_hours(cls, value: str) -> str:
        from forecourt.core.observability.conf import parse_business_hours

        parse_business_hours(value, "mon")
        return value

    # Backups and the worker (docs/backup-and-recovery.md, docs/deployment.md).
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
    web_concurrency: int = Field(
        default=2,
        ge=1,
        le=64,
        description="App worker processes per container (`forecourt serve`): one per CPU core.",
        examples=["5"],
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
        from forecourt.core.schedules import parse_schedule

        parse_schedule(value)
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @field_validator("allowed_hosts", "allowed_origins", mode="before")
    @classmethod
    def _comma_list(cls, value: Any) -> Any:
        return _split_commas(value)

    @field_validator("secret_key")
    @classmethod
    def _secret_key_strong_in_production(
        cls, value: SecretStr | None, info: ValidationInfo
    ) -> SecretStr | None:
        if info.data.get("env") != "production":
            return value
        if value is None or not value.get_secret_value():
            raise ValueError("is required in production")
        secret = value.get_secret_value()
        if secret == DEVELOPMENT_SECRET_KEY or secret.startswith("django-insecure"):
            raise ValueError("is a well-known development default; generate a new one")
        if len(secret) < MIN_PRODUCTION_SECRET_LENGTH:
            raise ValueError(
                f"must be at least {MIN_PRODUCTION_SECRET_LENGTH} characters in production"
                f" (got {len(secret)})"
            )
        return value

    @field_validator("debug")
    @classmethod
    def _no_debug_in_production(cls, value: bool | None, info: ValidationInfo) -> bool | None:
        if info.data.get("env") == "production" and value:
            raise ValueError("must be off in production (it exposes settings and stack traces)")
        return value

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

    @field_validator("allowed_hosts")
    @classmethod
    def _hosts(cls, value: list[str], info: ValidationInfo) -> list[str]:
        if info.data.get("env") == "production":
            if "*" in value:
                raise ValueError("must not be * in production; list the real host names")
            if not value:
                raise ValueError("is required in production")
        return value

    @field_validator("allowed_origins")
    @classmethod
    def _origins(cls, value: list[str]) -> list[str]:
        for origin in value:
            parts = urlsplit(origin)
            if parts.scheme not in {"http", "https"} or not parts.netloc or parts.path:
                raise ValueError(f"{origin!r} is not an origin like https://host[:port]")
        return value

    @field_validator("rate_limit_enabled")
    @classmethod
    def _rate_limits_on_in_production(cls, value: bool | None, info: ValidationInfo) -> bool | None:
        if info.data.get("env") == "production" and value is False:
            raise ValueError("cannot be switched off in production")
        return value

    @field_validator(
        "rate_limit_global",
        "rate_limit_auth",
        "rate_limit_api",
        "rate_limit_api_daily",
        "rate_limit_expensive",
    )
    @classmethod
    def _rate(cls, value: str) -> str:
        parse_rate(value)
        return value

    @field_validator("field_encryption_keys")
    @classmethod
    def _field_keys(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            if info.data.get("env") == "production":
                raise ValueError("is required in production (customer data is encrypted with it)")
            return None
        parse_field_keys(value.get_secret_value())
        return value

    @field_validator("field_hash_key")
    @classmethod
    def _field_hash_key(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            if info.data.get("env") == "production":
                raise ValueError("is required in production (blind indexes are keyed with it)")
            return None
        parse_field_keys(f"hash:{value.get_secret_value().strip()}")
        return value

    @field_validator("mfa_demo_exempt")
    @classmethod
    def _mfa_enforced_in_production(cls, value: bool | None, info: ValidationInfo) -> bool | None:
        if info.data.get("env") == "production" and value:
            raise ValueError("cannot be on in production: MFA is enforced for every user there")
        return value

    @field_validator("email_url")
    @classmethod
    def _email_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        scheme = urlsplit(value.get_secret_value()).scheme
        if scheme not in {"smtp", "smtps", "console"}:
            raise ValueError("must start with smtp://, smtps:// or console://")
        return value

    @field_validator("time_zone")
    @classmethod
    def _time_zone(cls, value: str) -> str:
        import zoneinfo

        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not an IANA time zone") from None
        return value

    # Derived values: computed, never configured twice.
    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def debug_enabled(self) -> bool:
        return self.env == "development" if self.debug is None else self.debug

    @property
    def effective_log_format(self) -> str:
        return self.log_format or ("json" if self.is_production else "console")

    @property
    def effective_secret_key(self) -> str:
        return self.secret_key.get_secret_value() if self.secret_key else DEVELOPMENT_SECRET_KEY

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir.resolve() / 'forecourt.sqlite3'}"

    @property
    def effective_allowed_hosts(self) -> list[str]:
        return self.allowed_hosts or ["localhost", "127.0.0.1", "[::1]", "testserver"]

    @property
    def mfa_demo_exempt_enabled(self) -> bool:
        """Demo accounts skip MFA only in development (default on there), never elsewhere."""
        if self.env != "development":
            return False
        return True if self.mfa_demo_exempt is None else self.mfa_demo_exempt

    @property
    def rate_limiting_enabled(self) -> bool:
        return self.env != "test" if self.rate_limit_enabled is None else self.rate_limit_enabled

    @property
    def effective_field_encryption_keys(self) -> dict[str, bytes]:
        """{key id: key}, current key first; a derived development key outside production."""
        if self.field_encryption_keys:
            return parse_field_keys(self.field_encryption_keys.get_secret_value())
        return {"dev": _development_key("field-encryption")}

    @property
    def effective_field_hash_key(self) -> bytes:
        if self.field_hash_key:
            return base64.b64decode(self.field_hash_key.get_secret_value().strip())
        return _development_key("field-hash")

    @property
    def effective_backup_dir(self) -> Path:
        return (self.backup_dir or self.data_dir / "backups").resolve()

    @property
    def effective_backup_key(self) -> bytes:
        """Key material for backups; a derived development key outside production."""
        if self.backup_encryption_key:
            return self.backup_encryption_key.get_secret_value().encode()
        return _development_key("backups")

    def masked(self) -> dict[str, str]:
        """Every variable with its effective value, secrets masked, for check-config."""
        return {
            "FORECOURT_ENV": self.env,
            "SECRET_KEY": _mask_secret(self.effective_secret_key)
            + ("" if self.secret_key else " (development default)"),
            "DEBUG": str(self.debug_enabled).lower(),
            "DATABASE_URL": mask_url(self.effective_database_url),
            "REDIS_URL": mask_url(self.redis_url) if self.redis_url else "(not set)",
            "ALLOWED_HOSTS": ",".join(self.effective_allowed_hosts),
            "ALLOWED_ORIGINS": ",".join(self.allowed_origins) or "(none)",
            "LOG_LEVEL": self.log_level,
            "LOG_FORMAT": self.effective_log_format,
            "DATA_DIR": str(self.data_dir.resolve()),
            "TIME_ZONE": self.time_zone,
            "TRUSTED_PROXY_HOPS": str(self.trusted_proxy_hops),
            "BACKUP_DIR": str(self.effective_backup_dir),
            "BACKUP_ENCRYPTION_KEY": (
                "********" if self.backup_encryption_key else "(development default)"
            ),
            "BACKUP_S3_BUCKET": self.backup_s3_bucket or "(off)",
            "BACKUP_SCHEDULE": self.backup_schedule,
            "BACKUP_RETENTION": (
                f"{self.backup_retention_daily} daily, {self.backup_retention_weekly} weekly,"
                f" {self.backup_retention_monthly} monthly"
            ),
            "WEB_CONCURRENCY": str(self.web_concurrency),
            "MFA_DEMO_EXEMPT": str(self.mfa_demo_exempt_enabled).lower(),
            "SESSION_IDLE_TIMEOUT_MINUTES": str(self.session_idle_timeout_minutes),
            "SESSION_MAX_AGE_HOURS": str(self.session_max_age_hours),
            "LOGIN_IP_FAILURE_LIMIT": str(self.login_ip_failure_limit),
            "LOGIN_ACCOUNT_FAILURE_CEILING": str(self.login_account_failure_ceiling),
            "EMAIL_URL": (
                mask_url(self.email_url.get_secret_value()) if self.email_url else "(console)"
            ),
            "EMAIL_FROM": self.email_from,
            "VIN_DECODER": self.vin_decoder,
            "VIN_DECODER_URL": self.vin_decoder_url,
            "VIN_DECODER_TIMEOUT": str(self.vin_decoder_timeout),
            "PHOTO_MAX_BYTES": str(self.photo_max_bytes),
            "PUBLIC_BASE_URL": self.public_base_url,
            "RATE_LIMIT_ENABLED": str(self.rate_limiting_enabled).lower(),
            "RATE_LIMIT_GLOBAL": self.rate_limit_global,
            "RATE_LIMIT_AUTH": self.rate_limit_auth,
            "RATE_LIMIT_API": self.rate_limit_api,
            "RATE_LIMIT_API_DAILY": self.rate_limit_api_daily,
            "RATE_LIMIT_EXPENSIVE": self.rate_limit_expensive,
            "MAX_REQUEST_BODY_BYTES": str(self.max_request_body_bytes),
            "MAX_UPLOAD_BYTES": str(self.max_upload_bytes),
            "FIELD_ENCRYPTION_KEYS": (
                "key ids "
                + ",".join(self.effective_field_encryption_keys)
                + ("" if self.field_encryption_keys else " (development default)")
            ),
            "FIELD_HASH_KEY": "********"
            + ("" if self.field_hash_key else " (development default)"),
        }


def _mask_secret(secret: str) -> str:
    return f"{'*' * 8} ({len(secret)} characters)"


def mask_url(url: str) -> str:
    """Hide the password of a URL, keep the rest readable."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":********@")
    return urlunsplit(parts._replace(netloc=netloc))


def variable_name(field_name: str) -> str:
    field = ForecourtConfig.model_fields[field_name]
    return str(field.validation_alias or field_name.upper())


def _problems(error: ValidationError) -> list[tuple[str, str, str]]:
    problems = []
    for item in error.errors():
        field_name = str(item["loc"][0]) if item["loc"] else ""
        name_by_alias = {variable_name(f): f for f in ForecourtConfig.model_fields}
        field_name = name_by_alias.get(field_name.upper(), field_name)
        field = ForecourtConfig.model_fields.get(field_name)
        variable = variable_name(field_name) if field else field_name.upper()
        message = str(item["msg"]).removeprefix("Value error, ")
        example = str(field.examples[0]) if field and field.examples else ""
        problems.append((variable, message, example))
    return problems


def load_config() -> ForecourtConfig:
    """Read and validate the environment; raise ConfigError listing every problem."""
    try:
        return ForecourtConfig()
    except ValidationError as error:
        raise ConfigError(_problems(error)) from None


@functools.cache
def get_config() -> ForecourtConfig:
    return load_config()


def render_env_example() -> str:
    """The text of .env.example, generated from the schema so the two never drift."""
    lines = [
        "# Forecourt environment variables. Every one is optional in development;",
        "# `forecourt check-config` validates them and prints the effective values.",
        "# Copy to .env for docker compose, or export them in your process manager.",
        "# Generated from forecourt/core/config.py: `make env-example` after changing it.",
        "",
    ]
    for name, field in ForecourtConfig.model_fields.items():
        default = "" if field.default_factory or field.default is None else field.default
        if isinstance(default, bool):
            default = str(default).lower()
        lines += [
            f"# {field.description}",
            f"#   example: {field.examples[0] if field.examples else ''}",
            f"# {variable_name(name)}={default}",
            "",
        ]
    return "\n".join(lines)

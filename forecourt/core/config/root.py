"""The root of the configuration: every area composed into one settings class.

Each area (site, database, security, rate limits, monitoring, backups, inventory, customers)
declares its variables, rules and derived values in its own module; `ForecourtConfig` inherits
them all, so one pydantic pass reads the environment once and lists every problem at once, and
the variable names stay flat (`DATABASE_URL`, not `DATABASE__URL`). FORECOURT_ENV comes first
(base.py), so any area's rule can depend on it. Values that combine areas live here.
"""

from __future__ import annotations

import functools
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from pydantic import ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from forecourt.core.config.backups import BackupSettings
from forecourt.core.config.customers import CustomerSettings
from forecourt.core.config.database import DatabaseSettings
from forecourt.core.config.inventory import InventorySettings
from forecourt.core.config.monitoring import MonitoringSettings
from forecourt.core.config.rate_limits import RateLimitSettings
from forecourt.core.config.security import SecuritySettings
from forecourt.core.config.site import SiteSettings


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


# Fields are read in reverse order of these bases (pydantic walks the MRO from its end):
# FORECOURT_ENV first, then security, database, site, ... backups last, as .env.example lists them.
class ForecourtConfig(
    BackupSettings,
    MonitoringSettings,
    CustomerSettings,
    InventorySettings,
    RateLimitSettings,
    SiteSettings,
    DatabaseSettings,
    SecuritySettings,
    BaseSettings,
):
    """Environment variables, their types, defaults and rules (see .env.example)."""

    model_config = SettingsConfigDict(
        case_sensitive=False, validate_default=True, extra="ignore", frozen=True
    )

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir.resolve() / 'forecourt.sqlite3'}"

    @property
    def effective_backup_dir(self) -> Path:
        return (self.backup_dir or self.data_dir / "backups").resolve()

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
            "LOGIN_ACCOUNT_THROTTLE_AFTER": str(self.login_account_throttle_after),
            "LOGIN_ACCOUNT_THROTTLE_MAX_SECONDS": str(self.login_account_throttle_max_seconds),
            "EMAIL_URL": (
                mask_url(self.email_url.get_secret_value()) if self.email_url else "(console)"
            )
            + (
                " (UNSAFE_CONSOLE_EMAIL_IN_PRODUCTION: no mail is delivered; links removed)"
                if self.console_email_in_production
                else ""
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
        "# Generated from forecourt/core/config/: `make env-example` after changing it.",
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

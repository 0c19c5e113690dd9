"""The one typed schema for every environment variable Forecourt reads.

Django settings (forecourt/settings.py) read only from here. Validation collects
every problem at once so an operator fixes the whole environment in one pass.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Used only where FORECOURT_ENV is development or test; production refuses it.
DEVELOPMENT_SECRET_KEY = "forecourt-development-only-key-never-use-in-production-0123456789"  # noqa: S105
MIN_PRODUCTION_SECRET_LENGTH = 50

Environment = Literal["development", "test", "production"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
CommaList = Annotated[list[str], NoDecode]


def _split_commas(value: Any) -> Any:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


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

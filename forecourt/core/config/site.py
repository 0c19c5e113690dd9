"""Where and how the site runs: hosts, origins, logging, data folder, time zone, proxies,
email, its public address and web processes."""

from __future__ import annotations

import zoneinfo
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationInfo, field_validator

from forecourt.core.config.base import CommaList, EnvironmentSettings, LogLevel, split_commas


class SiteSettings(EnvironmentSettings):
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

    # Read before EMAIL_URL, whose production rule asks for it.
    unsafe_console_email_in_production: bool = Field(
        default=False,
        description="Production only: accept console mail (no EMAIL_URL). Mail is then printed"
        " to the server log with its reset and invitation links removed, so nobody can reset"
        " a password. Only for a trial install.",
        examples=["false"],
    )

    email_url: SecretStr | None = Field(
        default=None,
        description="Outgoing mail (password resets, invitations): smtp://user:pass@host:587"
        " (STARTTLS), smtps://... (TLS) or console:// (print). Required in production.",
        examples=["smtp://forecourt:secret@mail.example-motors.com:587"],
    )

    email_from: str = Field(
        default="Forecourt <no-reply@localhost>",
        description="Sender address of the mail Forecourt sends.",
        examples=["Forecourt <dms@example-motors.com>"],
    )

    public_base_url: str = Field(
        default="http://localhost:8000",
        description="Absolute base URL of this site, for links that leave it (marketplace feeds).",
        examples=["https://dms.example-motors.com"],
    )

    web_concurrency: int = Field(
        default=2,
        ge=1,
        le=64,
        description="App worker processes per container (`forecourt serve`): one per CPU core.",
        examples=["5"],
    )

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @field_validator("allowed_hosts", "allowed_origins", mode="before")
    @classmethod
    def _comma_list(cls, value: Any) -> Any:
        return split_commas(value)

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

    @field_validator("email_url")
    @classmethod
    def _email_url(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        if value is not None and not value.get_secret_value().strip():
            value = None
        scheme = urlsplit(value.get_secret_value()).scheme if value else "console"
        if scheme not in {"smtp", "smtps", "console"}:
            raise ValueError("must start with smtp://, smtps:// or console://")
        production = info.data.get("env") == "production"
        if (
            production
            and scheme == "console"
            and not info.data.get("unsafe_console_email_in_production")
        ):
            raise ValueError(
                "is required in production (smtp:// or smtps://): without a mail transport,"
                " password-reset and invitation links would go to the server log. A trial"
                " install may set UNSAFE_CONSOLE_EMAIL_IN_PRODUCTION=true instead."
            )
        return value

    @property
    def console_email_in_production(self) -> bool:
        """Production printing mail to the log (the explicit opt-out): links are removed."""
        scheme = urlsplit(self.email_url.get_secret_value()).scheme if self.email_url else ""
        return self.is_production and scheme in {"", "console"}

    @field_validator("time_zone")
    @classmethod
    def _time_zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not an IANA time zone") from None
        return value

    @field_validator("public_base_url")
    @classmethod
    def _public_base_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ValueError(f"{value!r} is not an absolute URL like https://host")
        return value.rstrip("/")

    @property
    def effective_log_format(self) -> str:
        return self.log_format or ("json" if self.is_production else "console")

    @property
    def effective_allowed_hosts(self) -> list[str]:
        return self.allowed_hosts or ["localhost", "127.0.0.1", "[::1]", "testserver"]

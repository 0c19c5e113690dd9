"""Rate limits per tier (forecourt/core/security/ratelimit.py)."""

from __future__ import annotations

import re
from typing import NamedTuple

from pydantic import Field, ValidationInfo, field_validator

from forecourt.core.config.base import EnvironmentSettings

RATE_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*(second|minute|hour|day)s?\s*$", re.IGNORECASE)


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


class RateLimitSettings(EnvironmentSettings):
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

    @property
    def rate_limiting_enabled(self) -> bool:
        return self.env != "test" if self.rate_limit_enabled is None else self.rate_limit_enabled

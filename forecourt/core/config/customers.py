"""Customers: retention and disposal (docs/compliance.md)."""

from __future__ import annotations

from pydantic import Field

from forecourt.core.config.base import EnvironmentSettings


class CustomerSettings(EnvironmentSettings):
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

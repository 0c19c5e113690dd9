"""What every area of the configuration shares: the environment, list parsing, dev keys."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field
from pydantic_settings import NoDecode

# Used only where FORECOURT_ENV is development or test; production refuses it.
DEVELOPMENT_SECRET_KEY = "forecourt-development-only-key-never-use-in-production-0123456789"  # noqa: S105

Environment = Literal["development", "test", "production"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
CommaList = Annotated[list[str], NoDecode]


def split_commas(value: Any) -> Any:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


def development_key(purpose: str) -> bytes:
    # Deterministic so development data stays readable across restarts; refused in production.
    return hashlib.sha256(f"{DEVELOPMENT_SECRET_KEY}:{purpose}".encode()).digest()


class EnvironmentSettings(BaseModel):
    """FORECOURT_ENV, the first field validated, so every area's rules can ask for it."""

    env: Environment = Field(
        default="development",
        validation_alias="FORECOURT_ENV",
        description="Which rules apply: development | test | production.",
        examples=["production"],
    )

    @property
    def is_production(self) -> bool:
        return self.env == "production"

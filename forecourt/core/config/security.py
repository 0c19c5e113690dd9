"""Secrets, sign-in, sessions, MFA, request sizes and the customer-field encryption keys."""

from __future__ import annotations

import base64
import binascii
import re

from pydantic import Field, SecretStr, ValidationInfo, field_validator

from forecourt.core.config.base import DEVELOPMENT_SECRET_KEY, EnvironmentSettings, development_key

_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
FIELD_KEY_BYTES = 32  # AES-256
MIN_PRODUCTION_SECRET_LENGTH = 50


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


class SecuritySettings(EnvironmentSettings):
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

    login_account_throttle_after: int = Field(
        default=10,
        ge=3,
        le=1000,
        description="Consecutive failed sign-ins of one account, from anywhere, after which"
        " each further attempt from an unknown device waits (1 s, doubling). Never a lock.",
        examples=["10"],
    )

    login_account_throttle_max_seconds: int = Field(
        default=900,
        ge=60,
        le=86_400,
        description="The longest wait between sign-in attempts of a slowed-down account.",
        examples=["900"],
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

    @field_validator("mfa_demo_exempt")
    @classmethod
    def _mfa_enforced_in_production(cls, value: bool | None, info: ValidationInfo) -> bool | None:
        if info.data.get("env") == "production" and value:
            raise ValueError("cannot be on in production: MFA is enforced for every user there")
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

    @property
    def debug_enabled(self) -> bool:
        return self.env == "development" if self.debug is None else self.debug

    @property
    def effective_secret_key(self) -> str:
        return self.secret_key.get_secret_value() if self.secret_key else DEVELOPMENT_SECRET_KEY

    @property
    def mfa_demo_exempt_enabled(self) -> bool:
        """Demo accounts skip MFA only in development (default on there), never elsewhere."""
        if self.env != "development":
            return False
        return True if self.mfa_demo_exempt is None else self.mfa_demo_exempt

    @property
    def effective_field_encryption_keys(self) -> dict[str, bytes]:
        """{key id: key}, current key first; a derived development key outside production."""
        if self.field_encryption_keys:
            return parse_field_keys(self.field_encryption_keys.get_secret_value())
        return {"dev": development_key("field-encryption")}

    @property
    def effective_field_hash_key(self) -> bytes:
        if self.field_hash_key:
            return base64.b64decode(self.field_hash_key.get_secret_value().strip())
        return development_key("field-hash")

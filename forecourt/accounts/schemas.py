from datetime import datetime

from ninja import Field, Schema

from forecourt.accounts.models import ApiToken, ApiTokenScope, Country, Currency
from forecourt.core.schemas import StrictInput


class RooftopOut(Schema):
    id: int
    code: str
    name: str
    country: Country
    currency: Currency
    locale: str
    time_zone: str
    is_active: bool


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    roles: list[str]
    rooftops: list[RooftopOut]


class ApiTokenOut(Schema):
    id: int
    name: str
    prefix: str
    user_email: str
    scopes: list[ApiTokenScope]
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None

    @staticmethod
    def resolve_user_email(token: ApiToken) -> str:
        return token.user.email


class ApiTokenCreatedOut(ApiTokenOut):
    token: str = Field(description="The secret. Shown once: store it now.")

    @staticmethod
    def resolve_token(token: ApiToken) -> str:
        return token.raw_secret  # type: ignore[attr-defined]


class ApiTokenIn(StrictInput):
    user_id: int
    name: str = Field(min_length=1, max_length=100, examples=["Website lead form"])
    scopes: list[ApiTokenScope] = Field(min_length=1, examples=[["read"]])
    expires_in_days: int = Field(default=90, ge=1, le=365)

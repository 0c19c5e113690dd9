from datetime import datetime

from ninja import Field, Schema
from pydantic import StrictBool, StrictInt

from forecourt.accounts.models import (
    ApiToken,
    ApiTokenScope,
    Country,
    Currency,
    Invitation,
    InvitationStatus,
)
from forecourt.accounts.roles import Role
from forecourt.core.schemas import StrictInput


class RooftopOut(Schema):
    id: int
    code: str
    name: str
    country: Country
    currency: Currency
    locale: str
    time_zone: str
    address: str
    phone: str
    is_active: bool
    version: int


class RooftopFields(StrictInput):
    """A rooftop's settings (actions.ROOFTOP_FIELDS); on update, send only what changes."""

    code: str | None = Field(default=None, max_length=32, examples=["downtown"])
    name: str | None = Field(default=None, max_length=120, examples=["Downtown Motors"])
    country: Country | None = None
    currency: Currency | None = None
    locale: str | None = Field(default=None, max_length=10, examples=["en-US"])
    time_zone: str | None = Field(default=None, max_length=64, examples=["America/Chicago"])
    address: str | None = None
    phone: str | None = Field(default=None, max_length=32)
    is_active: StrictBool | None = None


class RooftopCreate(RooftopFields):
    code: str = Field(max_length=32, examples=["downtown"])
    name: str = Field(max_length=120, examples=["Downtown Motors"])
    country: Country
    currency: Currency
    time_zone: str = Field(max_length=64, examples=["America/Chicago"])


class RooftopUpdate(RooftopFields):
    version: StrictInt | None = Field(
        default=None, description="The version you read, if not sent as If-Match."
    )


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


class InvitationOut(Schema):
    id: int
    email: str
    full_name: str
    roles: list[str]
    rooftop_ids: list[int]
    status: InvitationStatus
    invited_by_email: str | None
    created_at: datetime
    sent_at: datetime
    expires_at: datetime
    closed_at: datetime | None

    @staticmethod
    def resolve_rooftop_ids(invitation: Invitation) -> list[int]:
        return sorted(r.pk for r in invitation.rooftops.all())

    @staticmethod
    def resolve_invited_by_email(invitation: Invitation) -> str | None:
        return invitation.invited_by.email if invitation.invited_by else None


class InvitationIn(StrictInput):
    email: str = Field(max_length=254, examples=["new.person@example.com"])
    full_name: str = Field(min_length=1, max_length=150, examples=["New Person"])
    roles: list[Role] = Field(min_length=1, examples=[["Salesperson"]])
    rooftop_ids: list[int] = Field(min_length=1, examples=[[1]])

"""API authentication by bearer token (for integrations)."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer

from forecourt.accounts.models import ApiToken, ApiTokenScope, hash_token

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Recording every use would turn each read into a write; a few minutes' precision is enough.
LAST_USED_PRECISION = timedelta(minutes=5)


def find_usable_token(raw_token: str) -> ApiToken | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(raw_token), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    return token


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer fc_...`: read scope for safe methods, write scope for others."""

    openapi_description = "API token created by an admin (Users -> API tokens)."

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = find_usable_token(token)
        if api_token is None:
            return None
        needed = ApiTokenScope.READ if request.method in SAFE_METHODS else ApiTokenScope.WRITE
        if not api_token.allows(needed):
            raise HttpError(403, f"This API token lacks the '{needed}' scope.")
        now = timezone.now()
        if api_token.last_used_at is None or now - api_token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        return api_token

"""API authentication by bearer token (for integrations)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import OuterRef
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from forecourt.accounts.backends import permission_names_subquery, preload_permissions
from forecourt.accounts.models import ApiToken, ApiTokenScope, User, hash_token
from forecourt.core.compiled import CompiledValues, Samples

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Recording every use would turn each read into a write; a few minutes' precision is enough.
LAST_USED_PRECISION = timedelta(minutes=5)


_TOKEN_FIELDS = [field.attname for field in ApiToken._meta.concrete_fields]
_USER_FIELDS = [field.attname for field in User._meta.concrete_fields]


def _token_query(samples: Samples) -> Any:
    return (
        ApiToken.objects.filter(token_hash=samples.text("hash"), revoked_at__isnull=True)
        .annotate(user_permission_names=permission_names_subquery(OuterRef("user_id")))
        .values(
            *_TOKEN_FIELDS,
            *(f"user__{name}" for name in _USER_FIELDS),
            "user_permission_names",
        )[:1]
    )


def find_usable_token(raw_token: str) -> ApiToken | None:
    """The token, its user and the user's permissions: one query, compiled once (the API's
    hot path; forecourt/core/compiled.py)."""
    compiled = CompiledValues.for_shape("accounts.api_token", _token_query)
    if compiled is None:  # pragma: no cover - the lookup has no shape that cannot compile
        raise RuntimeError("the API token lookup did not compile")
    row = next(compiled.rows({"hash": hash_token(raw_token)}), None)
    if row is None:
        return None
    alias = compiled.alias
    token = ApiToken.from_db(alias, _TOKEN_FIELDS, [row[name] for name in _TOKEN_FIELDS])
    token.user = User.from_db(alias, _USER_FIELDS, [row[f"user__{n}"] for n in _USER_FIELDS])
    if not token.is_usable or not token.user.is_active:
        return None
    preload_permissions(token.user, row["user_permission_names"])
    return token


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer fc_...`: read scope for safe methods, write scope for others."""

    openapi_description = "API token created by an admin (Users -> API tokens)."

    def required_scope(self, request: HttpRequest) -> str:
        """The scope this request needs; a narrower auth (one endpoint, one scope) overrides it."""
        return ApiTokenScope.READ if request.method in SAFE_METHODS else ApiTokenScope.WRITE

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return authenticate_token(request, token, self.required_scope(request))


class TokenCreationAuth(ApiTokenAuth):
    """POST /tokens: a token must hold `tokens:create` (read or write is not enough)."""

    openapi_description = "An API token with the `tokens:create` scope."

    def required_scope(self, request: HttpRequest) -> str:
        return ApiTokenScope.TOKENS_CREATE


class ApiSessionAuth(SessionAuth):
    """The browser session, its CSRF token checked only once someone is signed in: an
    anonymous request is a 401 like any other unauthenticated API call, not a 403 "CSRF
    check failed" (which would also hide the real problem from the caller)."""

    def _get_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super()._get_key(request)


def bearer_token(request: HttpRequest) -> str | None:
    """The token of `Authorization: Bearer <token>`, read as ninja's HttpBearer reads it."""
    scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return token if scheme.lower() == "bearer" and token else None


def authenticate_token(request: HttpRequest, token: str, needed_scope: str) -> ApiToken | None:
    """The usable token with its user set on the request (None when the token is unknown,
    revoked, expired or its user inactive); a token without `needed_scope` is a 403."""
    api_token = find_usable_token(token)
    if api_token is None:
        return None
    if not api_token.allows(needed_scope):
        raise HttpError(403, f"This API token lacks the '{needed_scope}' scope.")
    now = timezone.now()
    if api_token.last_used_at is None or now - api_token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
    request.user = api_token.user
    return api_token

"""Accounts API: who am I, rooftops, API tokens. Thin adapters over actions.py."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from forecourt.accounts import actions
from forecourt.accounts.auth import ApiSessionAuth, TokenCreationAuth
from forecourt.accounts.models import ApiToken, Rooftop, User
from forecourt.accounts.schemas import (
    ApiTokenCreatedOut,
    ApiTokenIn,
    ApiTokenOut,
    MeOut,
    RooftopOut,
)
from forecourt.core.api_errors import READ_ERRORS, WRITE_ERRORS, error_responses
from forecourt.core.api_writes import run_action
from forecourt.core.permissions import require_permission
from forecourt.core.security import reauth
from forecourt.core.visibility import visible_or_404

router = Router(tags=["accounts"])


@router.get("/me", response={200: MeOut, **error_responses(401)}, summary="The authenticated user")
def me(request: HttpRequest) -> dict[str, object]:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - authentication guarantees it
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "roles": user.role_names,
        "rooftops": list(Rooftop.objects.for_user(user, "view")),
    }


@router.get(
    "/rooftops",
    response={200: list[RooftopOut], **error_responses(*READ_ERRORS)},
    summary="List the rooftops the caller may see",
)
def list_rooftops(request: HttpRequest) -> list[Rooftop]:
    return list(Rooftop.objects.for_user(request.user, "view"))


@router.get(
    "/rooftops/{rooftop_id}",
    response={200: RooftopOut, **error_responses(*READ_ERRORS)},
    summary="Get one rooftop",
)
def get_rooftop(request: HttpRequest, rooftop_id: int) -> Rooftop:
    return visible_or_404(Rooftop, request.user, rooftop_id)


@router.get(
    "/tokens",
    response={200: list[ApiTokenOut], **error_responses(*READ_ERRORS)},
    summary="List API tokens (admins)",
)
def list_tokens(request: HttpRequest) -> list[ApiToken]:
    require_permission(request.user, "accounts.view_apitoken")
    return list(ApiToken.objects.for_user(request.user, "view").select_related("user"))


@router.post(
    "/tokens",
    auth=[TokenCreationAuth(), ApiSessionAuth(csrf=True)],
    response={201: ApiTokenCreatedOut, **error_responses(*WRITE_ERRORS)},
    summary="Create an API token (admins); the secret is returned once",
    description=(
        "From the browser: a session in sudo mode (a password or MFA check within the last "
        "ten minutes). With a token: only one holding the `tokens:create` scope; the new "
        "token gets none of the creator's missing scopes, expires no later than it, and is "
        "revoked when the creating token is."
    ),
)
def create_token(request: HttpRequest, payload: ApiTokenIn) -> Status:
    require_permission(request.user, "accounts.add_apitoken")  # 403 before any lookup
    reauth.require(request)  # browser sessions: a recent password or MFA check
    auth = getattr(request, "auth", None)  # set by ninja: the token, or the session user
    parent = auth if isinstance(auth, ApiToken) else None
    user = visible_or_404(User, request.user, payload.user_id)
    token, raw = run_action(
        lambda: actions.create_api_token(
            request.user,
            user=user,
            name=payload.name,
            scopes=[s.value for s in payload.scopes],
            expires_in_days=payload.expires_in_days,
            created_by_token=parent,
        )
    )
    token.raw_secret = raw  # type: ignore[attr-defined]  # only in this response, never stored
    return Status(201, token)


@router.post(
    "/tokens/{token_id}/revoke",
    response={200: ApiTokenOut, **error_responses(*WRITE_ERRORS)},
    summary="Revoke an API token (admins)",
    description="Revokes the tokens it created too, and theirs.",
)
def revoke_token(request: HttpRequest, token_id: int) -> ApiToken:
    token = visible_or_404(ApiToken, request.user, token_id)
    reauth.require(request)  # browser sessions: a recent password or MFA check
    return actions.revoke_api_token(request.user, token)

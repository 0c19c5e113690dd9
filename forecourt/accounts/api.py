"""Accounts API: who am I, rooftops, API tokens. Thin adapters over actions.py."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from forecourt.accounts import actions
from forecourt.accounts.auth import ApiSessionAuth, TokenCreationAuth
from forecourt.accounts.invitations import actions as invitation_actions
from forecourt.accounts.models import ApiToken, Invitation, Rooftop, User
from forecourt.accounts.roles import Role
from forecourt.accounts.schemas import (
    ApiTokenCreatedOut,
    ApiTokenIn,
    ApiTokenOut,
    InvitationIn,
    InvitationOut,
    MeOut,
    RooftopCreate,
    RooftopOut,
    RooftopUpdate,
)
from forecourt.core.api_errors import READ_ERRORS, WRITE_ERRORS, error_responses
from forecourt.core.api_writes import run_action
from forecourt.core.concurrency import expected_version
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
def get_rooftop(request: HttpRequest, rooftop_id: int, response: HttpResponse) -> Rooftop:
    rooftop = visible_or_404(Rooftop, request.user, rooftop_id)
    response["ETag"] = rooftop.etag
    return rooftop


CONDITIONAL_ERRORS = (*WRITE_ERRORS, 412)


@router.post(
    "/rooftops",
    response={201: RooftopOut, **error_responses(*WRITE_ERRORS)},
    summary="Create a rooftop (owners; sessions in sudo mode)",
)
def create_rooftop(request: HttpRequest, payload: RooftopCreate, response: HttpResponse) -> Any:
    require_permission(request.user, "accounts.add_rooftop")
    reauth.require(request)  # browser sessions: a recent password or MFA check
    fields = payload.model_dump(exclude_none=True)
    rooftop = run_action(lambda: actions.create_rooftop(request.user, **fields))
    response["ETag"] = rooftop.etag
    response["Location"] = f"/api/v1/rooftops/{rooftop.pk}"
    return Status(201, rooftop)


@router.patch(
    "/rooftops/{rooftop_id}",
    response={200: RooftopOut, **error_responses(*CONDITIONAL_ERRORS)},
    summary="Update a rooftop (owners; optimistic concurrency; sessions in sudo mode)",
    description=(
        'Send the version you read as `If-Match: "3"` (a stale one answers 412) or as the '
        "`version` field (a stale one answers 409). Send only the fields that change."
    ),
)
def update_rooftop(
    request: HttpRequest, rooftop_id: int, payload: RooftopUpdate, response: HttpResponse
) -> Rooftop:
    rooftop = visible_or_404(Rooftop, request.user, rooftop_id)
    require_permission(request.user, "accounts.change_rooftop")
    reauth.require(request)
    version, mismatch = expected_version(request, payload.version)
    fields = payload.model_dump(exclude={"version"}, exclude_unset=True)
    updated = run_action(
        lambda: actions.update_rooftop(request.user, rooftop, fields, expected_version=version),
        mismatch,
    )
    response["ETag"] = updated.etag
    return updated


def _invitations(request: HttpRequest) -> Any:
    return (
        Invitation.objects.for_user(request.user, "view")
        .select_related("invited_by")
        .prefetch_related("rooftops")
    )


@router.get(
    "/invitations",
    response={200: list[InvitationOut], **error_responses(*READ_ERRORS)},
    summary="List invitations (admins)",
)
def list_invitations(request: HttpRequest) -> list[Invitation]:
    require_permission(request.user, "accounts.view_user")
    return list(_invitations(request))


@router.post(
    "/invitations",
    response={201: InvitationOut, **error_responses(*WRITE_ERRORS)},
    summary="Invite a user by email (admins; sessions in sudo mode)",
    description=(
        "The invitee receives a one-time link to choose their own password; they enrol a "
        "second factor when they first sign in. The link's secret is never returned."
    ),
)
def create_invitation(request: HttpRequest, payload: InvitationIn) -> Status:
    require_permission(request.user, "accounts.add_user")
    reauth.require(request)
    rooftops = [visible_or_404(Rooftop, request.user, pk) for pk in payload.rooftop_ids]
    invitation = run_action(
        lambda: invitation_actions.invite_user(
            request.user,
            email=payload.email,
            full_name=payload.full_name,
            roles=[Role(r) for r in payload.roles],
            rooftops=rooftops,
        )
    )
    return Status(201, invitation)


@router.post(
    "/invitations/{invitation_id}/resend",
    response={200: InvitationOut, **error_responses(*WRITE_ERRORS)},
    summary="Send an invitation again with a fresh link (the old link stops working)",
)
def resend_invitation(request: HttpRequest, invitation_id: int) -> Invitation:
    invitation = visible_or_404(Invitation, request.user, invitation_id)
    reauth.require(request)
    return run_action(lambda: invitation_actions.resend_invitation(request.user, invitation))


@router.post(
    "/invitations/{invitation_id}/revoke",
    response={200: InvitationOut, **error_responses(*WRITE_ERRORS)},
    summary="Revoke a pending invitation",
)
def revoke_invitation(request: HttpRequest, invitation_id: int) -> Invitation:
    invitation = visible_or_404(Invitation, request.user, invitation_id)
    reauth.require(request)
    return run_action(lambda: invitation_actions.revoke_invitation(request.user, invitation))


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

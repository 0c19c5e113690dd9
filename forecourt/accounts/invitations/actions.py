"""Every write to invitations: one function per business operation.

An admin never sets or sees a password. The invitee receives a one-time link (a random
256-bit secret, HMAC-signed with a timestamp so a link past its age fails before any
database lookup; only the SHA-256 of the secret is stored), sets their own password and
enrols a second factor on first sign-in (the MFA middleware sends them to enrolment).
The link's secret never reaches a log or audit entry: it exists only in the email (or,
for `forecourt setup`, on the operator's terminal).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from forecourt.accounts.actions import check_rooftop, check_rooftops_reachable, rooftop_fields
from forecourt.accounts.models import (
    Invitation,
    InvitationStatus,
    Rooftop,
    User,
    hash_token,
)
from forecourt.accounts.roles import Role
from forecourt.core import audit
from forecourt.core.permissions import require_permission

INVITATION_DAYS = 7
_SALT = "forecourt.accounts.invitation"
SETUP_ACTOR = "forecourt setup"


class InvalidInvitation(Exception):
    """The link is unknown, tampered with, used, revoked or past its date (one message for
    all: the page does not tell which, so a guessed link learns nothing)."""


def _new_secret() -> tuple[str, str]:
    """(the signed token for the link, the hash to store)."""
    raw = secrets.token_urlsafe(32)
    return signing.TimestampSigner(salt=_SALT).sign(raw), hash_token(raw)


def invitation_url(token: str) -> str:
    """The link sent to the invitee. The token is in the query string under `token`, not
    in the path: request logs record the path only, and the redaction filter scrubs any
    `token=...` in free text."""
    return (
        f"{settings.FORECOURT_PUBLIC_BASE_URL}{reverse('accounts:invitation-open')}?token={token}"
    )


def find_usable(token: str) -> Invitation:
    """The pending invitation a link names, or InvalidInvitation."""
    try:
        raw = signing.TimestampSigner(salt=_SALT).unsign(
            token, max_age=timedelta(days=INVITATION_DAYS)
        )
    except signing.BadSignature:
        raise InvalidInvitation from None
    invitation = Invitation.objects.filter(token_hash=hash_token(raw)).first()
    if invitation is None or not invitation.is_usable:
        raise InvalidInvitation
    return invitation


def _send(invitation: Invitation, token: str) -> None:
    inviter = invitation.invited_by.full_name if invitation.invited_by else "Your administrator"
    send_mail(
        subject="You are invited to Forecourt",
        message=(
            f"Hello {invitation.full_name},\n\n"
            f"{inviter} invited you to Forecourt. Open this link to choose your password:\n\n"
            f"{invitation_url(token)}\n\n"
            f"The link works once and expires in {INVITATION_DAYS} days. After choosing a "
            "password you sign in and set up a second factor (an authenticator app or a "
            "passkey).\n\nIf you did not expect this, ignore this email.\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[invitation.email],
    )


def _clean_email(email: str) -> str:
    email = User.objects.normalize_email(email.strip()).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": "Enter a valid email address."}) from None
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "A user with this email already exists."})
    if Invitation.objects.filter(email=email, status=InvitationStatus.PENDING).exists():
        raise ValidationError({"email": "This address already has a pending invitation."})
    return email


def _create(
    actor: Any, email: str, full_name: str, roles: list[Role], rooftops: list[Rooftop]
) -> tuple[Invitation, str]:
    email = _clean_email(email)
    if not full_name.strip():
        raise ValidationError({"full_name": "This field is required."})
    if not roles:
        raise ValidationError({"roles": "Choose at least one role."})
    token, token_hash = _new_secret()
    now = timezone.now()
    invitation = Invitation.objects.create(
        email=email,
        full_name=full_name.strip(),
        roles=sorted(r.value for r in roles),
        token_hash=token_hash,
        invited_by=actor if getattr(actor, "is_authenticated", False) else None,
        sent_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    invitation.rooftops.set(rooftops)
    audit.record(
        actor,
        "accounts.invite_user",
        invitation,
        {
            "email": [None, email],
            "full_name": [None, invitation.full_name],
            "roles": [None, invitation.roles],
            "rooftops": [None, sorted(r.pk for r in rooftops)],
        },
        rooftop_id=rooftops[0].pk if rooftops else None,
    )
    return invitation, token


@transaction.atomic
def invite_user(
    actor: Any,
    *,
    email: str,
    full_name: str,
    roles: Iterable[Role],
    rooftops: Iterable[Rooftop],
) -> Invitation:
    """Invite someone by email; they choose their own password from the link."""
    require_permission(actor, "accounts.add_user")
    rooftops, roles = list(rooftops), list(roles)
    check_rooftops_reachable(actor, rooftops)
    if Role.OWNER in roles and not actor.has_perm("accounts.access_all_rooftops"):
        raise PermissionDenied("Only an owner can invite an owner.")
    invitation, token = _create(actor, email, full_name, roles, rooftops)
    transaction.on_commit(lambda: _send(invitation, token))
    return invitation


def _lock_pending(actor: Any, invitation: Invitation | int) -> Invitation:
    require_permission(actor, "accounts.add_user")
    pk = invitation.pk if isinstance(invitation, Invitation) else invitation
    if not Invitation.objects.for_user(actor, "view").filter(pk=pk).exists():
        raise PermissionDenied("You can only manage invitations to your rooftops.")
    locked = Invitation.objects.select_for_update().get(pk=pk)
    if locked.status != InvitationStatus.PENDING:
        raise ValidationError({"__all__": f"This invitation is {locked.get_status_display()}."})
    return locked


@transaction.atomic
def resend_invitation(actor: Any, invitation: Invitation | int) -> Invitation:
    """Send a fresh link with a fresh expiry; the earlier link stops working."""
    locked = _lock_pending(actor, invitation)
    token, locked.token_hash = _new_secret()
    locked.sent_at = timezone.now()
    old_expiry = locked.expires_at
    locked.expires_at = locked.sent_at + timedelta(days=INVITATION_DAYS)
    locked.save(update_fields=["token_hash", "sent_at", "expires_at"])
    audit.record(
        actor,
        "accounts.resend_invitation",
        locked,
        {"expires_at": [str(old_expiry), str(locked.expires_at)]},
    )
    transaction.on_commit(lambda: _send(locked, token))
    return locked


def _close(actor: Any, invitation: Invitation, status: InvitationStatus, action: str) -> None:
    invitation.status = status
    invitation.closed_at = timezone.now()
    invitation.save(update_fields=["status", "closed_at"])
    audit.record(actor, action, invitation, {"status": [InvitationStatus.PENDING, status]})


@transaction.atomic
def revoke_invitation(actor: Any, invitation: Invitation | int) -> Invitation:
    locked = _lock_pending(actor, invitation)
    _close(actor, locked, InvitationStatus.REVOKED, "accounts.revoke_invitation")
    return locked


@transaction.atomic
def expire_invitations(now: Any = None) -> int:
    """Mark pending invitations past their date as expired (the scheduler runs this; a
    late link is refused by its date anyway). Returns how many were expired."""
    due = Invitation.objects.select_for_update().filter(
        status=InvitationStatus.PENDING, expires_at__lte=now or timezone.now()
    )
    count = 0
    for invitation in due:
        _close("scheduler", invitation, InvitationStatus.EXPIRED, "accounts.expire_invitation")
        count += 1
    return count


@transaction.atomic
def accept_invitation(token: str, password: str) -> User:
    """The invitee sets their password: the account is created with the invited roles and
    rooftops, and the link is used up. The new user is the actor of the audit entry."""
    found = find_usable(token)
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    if not invitation.is_usable:  # used or revoked between the lookup and the lock
        raise InvalidInvitation
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError({"__all__": "A user with this email already exists."})
    user = User(email=invitation.email, full_name=invitation.full_name)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.save()
    user.groups.set(Group.objects.filter(name__in=invitation.roles))
    rooftops = list(invitation.rooftops.all())
    user.rooftops.set(rooftops)
    invitation.user = user
    invitation.status = InvitationStatus.ACCEPTED
    invitation.closed_at = timezone.now()
    invitation.save(update_fields=["user", "status", "closed_at"])
    audit.record(
        user,
        "accounts.accept_invitation",
        user,
        {
            "email": [None, user.email],
            "roles": [None, sorted(invitation.roles)],
            "rooftops": [None, sorted(r.pk for r in rooftops)],
        },
        rooftop_id=rooftops[0].pk if rooftops else None,
    )
    return user


def owner_exists() -> bool:
    if User.objects.filter(groups__name=Role.OWNER.value, is_active=True).exists():
        return True
    # In Python: SQLite (the zero-setup database) has no JSON `contains` lookup.
    pending = Invitation.objects.filter(
        status=InvitationStatus.PENDING, expires_at__gt=timezone.now()
    )
    return any(Role.OWNER.value in roles for roles in pending.values_list("roles", flat=True))


@transaction.atomic
def set_up_first_owner(
    *, email: str, full_name: str, fields: dict[str, Any]
) -> tuple[Rooftop, Invitation, str]:
    """First run: the first rooftop and an owner invitation, refused once an owner exists
    (or is invited). Returns the invitation's link token for the operator's terminal only."""
    if owner_exists():
        raise PermissionDenied("An owner already exists; invite people from the Users page.")
    rooftop = Rooftop(**rooftop_fields(fields))
    check_rooftop(rooftop)
    rooftop.save()
    audit.record(
        SETUP_ACTOR, "accounts.create_rooftop", rooftop, audit.diff({}, audit.snapshot(rooftop))
    )
    invitation, token = _create(SETUP_ACTOR, email, full_name, [Role.OWNER], [rooftop])
    return rooftop, invitation, token

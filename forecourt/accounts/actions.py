"""Every write to accounts: one function per business operation.

Each runs in one transaction, checks the actor's permission and writes its audit entry.
"""

from __future__ import annotations

import secrets
import zoneinfo
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from forecourt.accounts.models import ApiToken, ApiTokenScope, Rooftop, User, hash_token
from forecourt.core import audit
from forecourt.core.concurrency import VersionConflict
from forecourt.core.permissions import require_permission, sees_all_rooftops

TOKEN_PREFIX = "fc_"  # noqa: S105 - a marker, not a secret
MAX_TOKEN_DAYS = 365


# What owners set on a rooftop (UI form, API and `forecourt setup` share this list).
ROOFTOP_FIELDS = (
    "code",
    "name",
    "country",
    "currency",
    "locale",
    "time_zone",
    "address",
    "phone",
    "is_active",
)


class RooftopVersionConflict(VersionConflict):
    record_name = "rooftop"


def check_rooftop(rooftop: Rooftop) -> None:
    errors: dict[str, list[str]] = {}
    try:
        rooftop.full_clean(exclude=["version"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if rooftop.time_zone not in zoneinfo.available_timezones():
        errors.setdefault("time_zone", []).append(
            "Enter an IANA time zone, e.g. America/New_York or Europe/London."
        )
    if errors:
        raise ValidationError(errors)


def rooftop_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(ROOFTOP_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be set."))
    return dict(fields)


@transaction.atomic
def create_rooftop(actor: Any, **fields: Any) -> Rooftop:
    require_permission(actor, "accounts.add_rooftop")
    rooftop = Rooftop(**rooftop_fields(fields))
    check_rooftop(rooftop)
    rooftop.save()
    audit.record(actor, "accounts.create_rooftop", rooftop, audit.diff({}, audit.snapshot(rooftop)))
    return rooftop


@transaction.atomic
def update_rooftop(
    actor: Any,
    rooftop: Rooftop | int,
    fields: Mapping[str, Any],
    *,
    expected_version: int | None = None,
) -> Rooftop:
    """Change a rooftop's settings. A stale `expected_version` raises RooftopVersionConflict."""
    require_permission(actor, "accounts.change_rooftop")
    pk = rooftop.pk if isinstance(rooftop, Rooftop) else rooftop
    locked = Rooftop.objects.for_user(actor, "change").select_for_update().get(pk=pk)
    if expected_version is not None and expected_version != locked.version:
        raise RooftopVersionConflict(locked.version)
    before = audit.snapshot(locked)
    for name, value in rooftop_fields(fields).items():
        setattr(locked, name, value)
    check_rooftop(locked)
    changes = audit.diff(before, audit.snapshot(locked))
    changes.pop("version", None)
    if not changes:
        return locked
    locked.version += 1
    locked.save()
    audit.record(actor, "accounts.update_rooftop", locked, changes)
    return locked


def check_rooftops_reachable(actor: Any, rooftops: Iterable[Rooftop]) -> None:
    if sees_all_rooftops(actor):
        return
    own = set(actor.rooftops.values_list("pk", flat=True))
    if any(r.pk not in own for r in rooftops):
        raise PermissionDenied("You can only assign rooftops you belong to.")


@transaction.atomic
def create_api_token(
    actor: Any,
    *,
    user: User,
    name: str,
    scopes: Iterable[str],
    expires_in_days: int = 90,
    created_by_token: ApiToken | None = None,
) -> tuple[ApiToken, str]:
    """Create a token for `user`; the raw secret is returned once and never stored.

    A token created by a token (`created_by_token`, the `tokens:create` scope) gets no scope
    its parent lacks and no later expiry, and is revoked with it."""
    require_permission(actor, "accounts.add_apitoken")
    check_rooftops_reachable(actor, user.rooftops.all())
    scopes = sorted(set(scopes))
    unknown = set(scopes) - set(ApiTokenScope.values)
    if unknown or not scopes:
        raise ValidationError({"scopes": f"Choose from {', '.join(ApiTokenScope.values)}."})
    if not 1 <= expires_in_days <= MAX_TOKEN_DAYS:
        raise ValidationError({"expires_in_days": f"Must be between 1 and {MAX_TOKEN_DAYS} days."})
    expires_at = timezone.now() + timedelta(days=expires_in_days)
    if created_by_token is not None:
        beyond = set(scopes) - set(created_by_token.scopes)
        if beyond:
            raise ValidationError(
                {"scopes": f"The creating token does not hold {', '.join(sorted(beyond))}."}
            )
        expires_at = min(expires_at, created_by_token.expires_at)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[:10],
        token_hash=hash_token(raw),
        scopes=scopes,
        created_by=actor,
        created_by_token=created_by_token,
        expires_at=expires_at,
    )
    parent = {"created_by_token": [None, created_by_token.pk]} if created_by_token else {}
    audit.record(
        actor,
        "accounts.create_api_token",
        token,
        {"user": [None, user.email], "name": [None, name], "scopes": [None, scopes], **parent},
    )
    return token, raw


@transaction.atomic
def revoke_api_token(actor: Any, token: ApiToken) -> ApiToken:
    """Revoke `token` and every token it created, theirs too (a leaked token's offspring
    would otherwise outlive it); each revocation is audited."""
    require_permission(actor, "accounts.change_apitoken")
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    now = timezone.now()
    generation = [token]
    while generation:
        for each in generation:
            if each.revoked_at is None:
                each.revoked_at = now
                each.save(update_fields=["revoked_at"])
                via = {} if each is token else {"revoked_with": [None, token.pk]}
                audit.record(
                    actor,
                    "accounts.revoke_api_token",
                    each,
                    {"revoked_at": [None, str(each.revoked_at)], **via},
                )
        generation = list(
            ApiToken.objects.select_for_update().filter(
                created_by_token__in=[each.pk for each in generation]
            )
        )
    return token


@transaction.atomic
def change_email(actor: Any, user: User, new_email: str) -> User:
    """Change a sign-in email: the user themselves, or an admin over users they manage.

    The user's other sessions end (a session opened with the old identity should not
    outlive the change), and the OLD address is told, so a hijacked account's real owner
    learns of the takeover even though mail now goes elsewhere.
    """
    from django.conf import settings
    from django.core.mail import send_mail
    from django.core.validators import validate_email

    from forecourt.core.security.sessions import end_sessions
    from forecourt.core.security.signals import kept_session_key

    if actor.pk != user.pk:
        require_permission(actor, "accounts.change_user")
        if not User.objects.for_user(actor, "change").filter(pk=user.pk).exists():
            raise PermissionDenied("You can only change users of your rooftops.")
    user = User.objects.select_for_update().get(pk=user.pk)
    new_email = User.objects.normalize_email(new_email.strip()).lower()
    try:
        validate_email(new_email)
    except ValidationError:
        raise ValidationError({"email": "Enter a valid email address."}) from None
    old_email = user.email
    if new_email == old_email.lower():
        raise ValidationError({"email": "That is already the address on this account."})
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        raise ValidationError({"email": "A user with this email already exists."})
    user.email = new_email
    user.save(update_fields=["email"])
    audit.record(actor, "accounts.change_email", user, {"email": [old_email, new_email]})
    end_sessions(user, keep_session_key=kept_session_key(user), reason="email_changed")
    send_mail(
        subject="Your Forecourt sign-in email was changed",
        message=(
            f"The sign-in email of your Forecourt account was changed from {old_email} "
            f"to {new_email}, and your other sessions were signed out.\n\n"
            "If you did not do this, contact your administrator at once: someone may "
            "have taken over your account.\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[old_email],
    )
    return user

"""Access review: who can do what, with MFA and last sign-in; idle accounts deactivated.

FTC Safeguards 314.4(c)(1) asks for access limited to those who need it and reviewed
periodically. The review page and CSV list every user the reviewer may see; users idle
for IDLE_DAYS are deactivated daily by the `deactivate_idle_users` task.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from forecourt.core.permissions import require_permission
from forecourt.core.security.lockout import throttled_usernames

logger = logging.getLogger("forecourt.security")

IDLE_DAYS = 90
CSV_COLUMNS = ["email", "full_name", "active", "roles", "rooftops", "mfa", "last_login", "locked"]


def _users() -> Any:
    """The user model's manager (accounts' scoped one), without core importing accounts."""
    return get_user_model().objects


@dataclass(frozen=True)
class AccessRow:
    user: Any  # the user model (settings.AUTH_USER_MODEL)
    roles: list[str]
    rooftops: list[str]
    mfa: str
    last_login: datetime | None
    locked: bool


def _mfa_status(user_id: int, totp_users: set[int], recovery_left: dict[int, int]) -> str:
    if user_id not in totp_users:
        return "not enrolled"
    return f"authenticator app, {recovery_left.get(user_id, 0)} recovery codes left"


def review_rows(actor: Any) -> list[AccessRow]:
    require_permission(actor, "security.review_access")
    users = list(
        _users().for_user(actor, "view").prefetch_related("groups", "rooftops").order_by("email")
    )
    ids = [u.pk for u in users]
    totp_users = set(
        TOTPDevice.objects.filter(user_id__in=ids, confirmed=True).values_list("user_id", flat=True)
    )
    recovery_left: dict[int, int] = {}
    for user_id in StaticToken.objects.filter(device__user_id__in=ids).values_list(
        "device__user_id", flat=True
    ):
        recovery_left[user_id] = recovery_left.get(user_id, 0) + 1
    locked = throttled_usernames()
    return [
        AccessRow(
            user=u,
            roles=sorted(g.name for g in u.groups.all()),
            rooftops=sorted(r.code for r in u.rooftops.all()),
            mfa=_mfa_status(u.pk, totp_users, recovery_left),
            last_login=u.last_login,
            locked=u.email.lower() in locked,
        )
        for u in users
    ]


def _cell(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet: quote it.
    return "'" + value if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


def review_csv(rows: list[AccessRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        values = [
            row.user.email,
            row.user.full_name,
            "yes" if row.user.is_active else "no",
            "; ".join(row.roles),
            "; ".join(row.rooftops),
            row.mfa,
            row.last_login.isoformat() if row.last_login else "never",
            "yes" if row.locked else "no",
        ]
        writer.writerow([_cell(v) for v in values])
    return out.getvalue()


def idle_users(now: datetime | None = None, days: int = IDLE_DAYS) -> Any:
    """Active users with no sign-in for `days` (or none since being created that long ago)."""
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return (
        _users()
        .filter(is_active=True)
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
    )

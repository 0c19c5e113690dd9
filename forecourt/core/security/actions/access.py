"""Administrators' account-security writes: unlock a sign-in, deactivate idle users, and
the audited export of the access review."""

from __future__ import annotations

import logging
from typing import Any

from axes.utils import reset as axes_reset
from django.db import transaction

from forecourt.core import audit
from forecourt.core.permissions import require_permission
from forecourt.core.security.access_review import IDLE_DAYS, idle_users, review_csv, review_rows
from forecourt.core.security.models import AccountLockout

logger = logging.getLogger("forecourt.security")


@transaction.atomic
def unlock_account(actor: Any, user: Any) -> int:
    """Clear every limit on `user`'s sign-in (the account's slow-down and every (account,
    address) cool-off); returns rows cleared. `actor` None is an operator at the command
    line (`forecourt unlock-user`); a person needs the permission."""
    if actor is not None:
        require_permission(actor, "security.unlock_account")
    username = user.get_username().lower()
    cleared, _ = AccountLockout.objects.filter(username=username).delete()
    cleared += axes_reset(username=username)
    audit.record(actor, "security.unlock_account", user, {"locked": [True, False]})
    logger.info("account unlocked", extra={"event": "account_unlocked", "user_id": user.pk})
    return cleared


@transaction.atomic
def deactivate_idle_users(actor: Any = None, *, days: int = IDLE_DAYS) -> list[str]:
    """Deactivate idle users (their sessions end with them); returns their emails.

    `actor` None is the scheduled run ("system"); a person needs the permission.
    """
    if actor is not None:
        require_permission(actor, "security.deactivate_idle_users")
    deactivated = []
    for user in idle_users(days=days).select_for_update():
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit.record(
            actor,
            "security.deactivate_idle_user",
            user,
            {"is_active": [True, False], "idle_days": [None, days]},
        )
        deactivated.append(user.email)
    if deactivated:
        logger.info(
            "idle users deactivated",
            extra={"event": "idle_users_deactivated", "count": len(deactivated)},
        )
    return deactivated


@transaction.atomic
def export_access_review(actor: Any) -> str:
    """The access review as CSV; who exported it (and how many rows) is audited."""
    rows = review_rows(actor)
    audit.record(actor, "security.export_access_review", actor, {"rows": [None, len(rows)]})
    return review_csv(rows)

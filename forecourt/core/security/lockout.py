"""Sign-in lockout: django-axes for (account, IP), plus an IP limit and an account ceiling.

Three limits, checked before a password is even compared:
- 5 failures of one account from one client IP -> that pair waits out a 15-minute
  cool-off (axes' own combination lockout). Other addresses can still sign in to the
  account, so guessing with a victim's email cannot lock the victim out everywhere.
- LOGIN_IP_FAILURE_LIMIT failures from one IP within the cool-off, whatever the accounts
  -> that IP is refused (password spraying).
- LOGIN_ACCOUNT_FAILURE_CEILING consecutive failures of one account from anywhere ->
  the account stays locked until an admin unlocks it (a distributed attack).
The client IP is forecourt.core.net.client_ip (trusted-proxy aware), so a forged
X-Forwarded-For does not give an attacker fresh addresses.
"""

from __future__ import annotations

import logging
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import F, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from forecourt.core.security.models import AccountLockout

logger = logging.getLogger("forecourt.security")


def submitted_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """AXES_USERNAME_CALLABLE: the email as the user model stores it (trimmed, lower case)."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("username")
    return str(value or "").strip().lower()


def alert(event: str, message: str, level: str = "warning", **details: Any) -> None:
    """Log a security event and, when the alerting module is installed, alert on it."""
    logger.warning(message, extra={"event": event, **details})
    try:
        from forecourt.core.observability.alerts import send_alert
    except ImportError:  # the alerting module is optional; the log line is the record
        return
    try:
        send_alert(level, message, {"event": event, **details})
    except Exception:  # an alert channel failing must not break sign-in
        logger.exception("alert failed", extra={"event": "alert_failed"})


def ip_failures(request: HttpRequest, ip_address: str | None) -> int:
    if not ip_address:
        return 0
    total = AccessAttempt.objects.filter(
        ip_address=ip_address, attempt_time__gte=get_cool_off_threshold(request)
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return int(total or 0)


def account_is_locked(username: str) -> bool:
    return (
        bool(username)
        and AccountLockout.objects.filter(username=username, locked_at__isnull=False).exists()
    )


def _count_account_failure(username: str, ip_address: str | None) -> bool:
    """Add one consecutive failure; True when this failure reached the ceiling."""
    row, _ = AccountLockout.objects.get_or_create(username=username)
    AccountLockout.objects.filter(pk=row.pk).update(
        consecutive_failures=F("consecutive_failures") + 1,
        last_failure_at=timezone.now(),
        last_failure_ip=ip_address,
    )
    # Only the one process whose update sets locked_at reports the lock.
    return (
        AccountLockout.objects.filter(
            pk=row.pk,
            locked_at__isnull=True,
            consecutive_failures__gte=settings.FORECOURT_LOGIN_ACCOUNT_FAILURE_CEILING,
        ).update(locked_at=timezone.now())
        == 1
    )


class ForecourtAxesHandler(AxesDatabaseHandler):
    """AXES_HANDLER: axes' database handler with the IP limit and the account ceiling added."""

    def is_locked(self, request: Any, credentials: dict[str, Any] | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        if account_is_locked(get_client_username(request, credentials)):
            return True
        limit = settings.FORECOURT_LOGIN_IP_FAILURE_LIMIT
        return ip_failures(request, request.axes_ip_address) >= limit

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        # Refused by a lockout before the password was checked: axes records nothing
        # (so the cool-off is not extended) and it is no new consecutive failure either.
        refused_unchecked = bool(getattr(request, "axes_locked_out", False))
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or refused_unchecked:
            return
        username = get_client_username(request, credentials)
        ip_address = request.axes_ip_address
        details = {"username": username, "client_ip": ip_address}
        if username and _count_account_failure(username, ip_address):
            request.axes_locked_out = True
            alert(
                "login_account_locked",
                "Account locked until an admin unlocks it: too many consecutive failed sign-ins",
                level="error",
                **details,
            )
        elif getattr(request, "axes_locked_out", False):
            alert(
                "login_locked_out",
                "Sign-in locked for this account and address for the cool-off period",
                **details,
            )
        elif ip_failures(request, ip_address) == settings.FORECOURT_LOGIN_IP_FAILURE_LIMIT:
            request.axes_locked_out = True
            alert("login_ip_locked_out", "Sign-ins refused from this address", **details)

    def user_logged_in(self, sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
        super().user_logged_in(sender, request, user, **kwargs)
        AccountLockout.objects.filter(
            username=user.get_username().lower(), locked_at__isnull=True
        ).update(consecutive_failures=0)


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: one page for every lock, so it reveals nothing about the account."""
    context = {"cool_off_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)}
    return render(request, "security/locked_out.html", context, status=429)


def locked_usernames() -> set[str]:
    return set(
        AccountLockout.objects.filter(locked_at__isnull=False).values_list("username", flat=True)
    )

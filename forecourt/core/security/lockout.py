"""Sign-in limits: django-axes for (account, IP), an IP limit, and a per-account slow-down.

Checked before a password is even compared:
- 5 failures of one account from one client IP -> that pair waits out a 15-minute
  cool-off (axes' own combination lockout). Other addresses can still sign in.
- LOGIN_IP_FAILURE_LIMIT failures from one IP within the cool-off, whatever the accounts
  -> that IP is refused (password spraying).
- LOGIN_ACCOUNT_THROTTLE_AFTER consecutive failures of one account from anywhere -> each
  further attempt from a device the account has not signed in from must wait, doubling
  from one second to LOGIN_ACCOUNT_THROTTLE_MAX_SECONDS (a distributed attack). Nothing
  locks an account: a stranger can slow sign-ins from new devices, never stop the owner.
  The right password still works from a *known device* (a signed cookie set at a
  successful sign-in) and, from any device, together with a valid second-factor code on
  the sign-in form (so the password is never confirmed to someone without the code).
The client IP is forecourt.core.net.client_ip (trusted-proxy aware), so a forged
X-Forwarded-For does not give an attacker fresh addresses. docs/authentication.md explains
the trade-off against OWASP ASVS 2.2 and NIST SP 800-63B 5.2.2.
"""

from __future__ import annotations

import hashlib
import logging
import math
from datetime import timedelta
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db.models import F, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from forecourt.core.security import mfa
from forecourt.core.security.models import AccountLockout

logger = logging.getLogger("forecourt.security")

KNOWN_DEVICE_COOKIE = "forecourt_device"
KNOWN_DEVICE_SALT = "forecourt.security.known-device"
KNOWN_DEVICE_MAX_AGE = timedelta(days=180)
# Set on the request by the re-authentication page: a signed-in session is not a device proof.
NO_DEVICE_BYPASS = "forecourt_no_device_bypass"


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


# --- the per-account slow-down -------------------------------------------------------------


def throttle_delay(consecutive_failures: int) -> timedelta:
    """How long after the last failure the next attempt must wait (zero below the limit)."""
    over = consecutive_failures - settings.FORECOURT_LOGIN_ACCOUNT_THROTTLE_AFTER
    if over < 0:
        return timedelta(0)
    cap = settings.FORECOURT_LOGIN_ACCOUNT_THROTTLE_MAX_SECONDS
    return timedelta(seconds=cap if over >= math.log2(cap) else min(cap, 2**over))


def throttle_wait(username: str) -> timedelta:
    """What is left of the account's wait now (zero when it may try)."""
    if not username:
        return timedelta(0)
    row = (
        AccountLockout.objects.filter(username=username)
        .values("consecutive_failures", "last_failure_at")
        .first()
    )
    if row is None or row["last_failure_at"] is None:
        return timedelta(0)
    ends = row["last_failure_at"] + throttle_delay(row["consecutive_failures"])
    return max(timedelta(0), ends - timezone.now())


def _count_account_failure(username: str, ip_address: str | None) -> int:
    """Add one consecutive failure; the count after it."""
    row, _ = AccountLockout.objects.get_or_create(username=username)
    AccountLockout.objects.filter(pk=row.pk).update(
        consecutive_failures=F("consecutive_failures") + 1,
        last_failure_at=timezone.now(),
        last_failure_ip=ip_address,
    )
    return int(
        AccountLockout.objects.filter(pk=row.pk).values_list("consecutive_failures", flat=True)[0]
    )


def throttled_usernames() -> set[str]:
    """Accounts whose sign-ins from unknown devices are being slowed down now."""
    limit = settings.FORECOURT_LOGIN_ACCOUNT_THROTTLE_AFTER
    return set(
        AccountLockout.objects.filter(consecutive_failures__gte=limit).values_list(
            "username", flat=True
        )
    )


# --- known devices -------------------------------------------------------------------------


def _device_claim(username: str) -> str:
    # A digest, not the address: the cookie should not tell a reader whose device it is.
    return hashlib.sha256(username.encode()).hexdigest()[:32]


def remember_device(response: HttpResponse, username: str) -> None:
    """Mark this browser as a known device of `username` (after a successful sign-in)."""
    response.set_signed_cookie(
        KNOWN_DEVICE_COOKIE,
        _device_claim(username.strip().lower()),
        salt=KNOWN_DEVICE_SALT,
        max_age=int(KNOWN_DEVICE_MAX_AGE.total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def is_known_device(request: HttpRequest, username: str) -> bool:
    try:
        claim = request.get_signed_cookie(
            KNOWN_DEVICE_COOKIE,
            salt=KNOWN_DEVICE_SALT,
            max_age=KNOWN_DEVICE_MAX_AGE,
        )
    except (KeyError, signing.BadSignature):
        return False
    return bool(username) and claim == _device_claim(username)


def prove_with_second_factor(request: HttpRequest, username: str, password: str, code: str) -> None:
    """The sign-in form's optional code: while the account is slowed down, the right password
    *and* a valid second-factor code pass from any device. The code is tried only after the
    password matched, and either failing answers exactly like the slow-down itself, so this
    never tells anyone without the code whether a password was right."""
    username = username.strip().lower()
    if not code.strip() or not throttle_wait(username):
        return
    user = get_user_model()._default_manager.filter(email__iexact=username, is_active=True).first()
    if user is None or not user.check_password(password):
        return
    device = mfa.match_second_factor(user, code)
    if device is not None:
        request.forecourt_mfa_proven = device  # type: ignore[attr-defined]


def may_bypass_throttle(request: HttpRequest, username: str) -> bool:
    if getattr(request, NO_DEVICE_BYPASS, False):
        return False
    proven = getattr(request, "forecourt_mfa_proven", None) is not None
    return proven or is_known_device(request, username)


class ForecourtAxesHandler(AxesDatabaseHandler):
    """AXES_HANDLER: axes' database handler with the IP limit and the account slow-down."""

    def is_locked(self, request: Any, credentials: dict[str, Any] | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        username = get_client_username(request, credentials)
        wait = throttle_wait(username)
        if wait and not may_bypass_throttle(request, username):
            request.forecourt_retry_after = wait
            return True
        limit = settings.FORECOURT_LOGIN_IP_FAILURE_LIMIT
        return ip_failures(request, request.axes_ip_address) >= limit

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        # Refused by a limit before the password was checked: axes records nothing
        # (so the cool-off is not extended) and it is no new consecutive failure either.
        refused_unchecked = bool(getattr(request, "axes_locked_out", False))
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or refused_unchecked:
            return
        username = get_client_username(request, credentials)
        ip_address = request.axes_ip_address
        details = {"username": username, "client_ip": ip_address}
        failures = _count_account_failure(username, ip_address) if username else 0
        if failures == settings.FORECOURT_LOGIN_ACCOUNT_THROTTLE_AFTER:
            alert(
                "login_account_throttled",
                "Sign-ins to this account from unknown devices are being slowed down:"
                " too many consecutive failures",
                level="error",
                **details,
            )
        if getattr(request, "axes_locked_out", False):
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
        AccountLockout.objects.filter(username=user.get_username().lower()).update(
            consecutive_failures=0
        )
        proven = getattr(request, "forecourt_mfa_proven", None)
        if proven is not None:
            mfa.step_up(request, proven)  # the code on the sign-in form was the second factor


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: one page for every limit, so it reveals nothing about the account."""
    wait = getattr(request, "forecourt_retry_after", None)
    cool_off = settings.AXES_COOLOFF_TIME
    seconds = int((wait or cool_off).total_seconds()) + (1 if wait else 0)
    context = {"wait_minutes": max(1, math.ceil(seconds / 60))}
    response = render(request, "security/locked_out.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response

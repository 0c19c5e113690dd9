"""Security records: user-bound sessions, the account-level lockout ceiling, rate-limit counters."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession, BaseSessionManager
from django.db import models

from forecourt.core.permissions import RooftopScopedQuerySet


class UserSessionQuerySet(RooftopScopedQuerySet):
    rooftop_lookup = "user__rooftops"


class UserSessionManager(BaseSessionManager.from_queryset(UserSessionQuerySet)):  # type: ignore[misc]
    pass


class UserSession(AbstractBaseSession):
    """A database session bound to the user it signs in, so sessions can be listed and ended.

    The extra columns are copied from the session data on every save
    (forecourt.core.security.sessions.SessionStore); the data itself stays signed and opaque.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sessions",
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)
    last_activity = models.DateTimeField(null=True, blank=True, db_index=True)

    objects: ClassVar[Any] = UserSessionManager()

    class Meta:
        ordering = ["-last_activity"]

    @classmethod
    def get_session_store_class(cls) -> Any:
        from forecourt.core.security.sessions import SessionStore

        return SessionStore


class AccountLockout(models.Model):
    """Consecutive failed sign-ins of one account, from any address.

    django-axes locks an (account, IP) pair for a cool-off; this row slows down the account
    across addresses: from LOGIN_ACCOUNT_THROTTLE_AFTER consecutive failures on, an unknown
    device waits a doubling delay after each failure (lockout.py). Keyed by the submitted
    email, so unknown addresses behave exactly like real ones.
    """

    username = models.CharField(max_length=254, unique=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    last_failure_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["username"]
        permissions = [
            ("unlock_account", "Can unlock an account locked after repeated failed sign-ins"),
            ("review_access", "Can see the access review and export it"),
            ("deactivate_idle_users", "Can deactivate users idle beyond the limit"),
        ]

    def __str__(self) -> str:
        return f"{self.username} ({self.consecutive_failures} failures)"


class RateLimitCounter(models.Model):
    """One fixed-window hit counter of the database rate-limit store (used when REDIS_URL is unset).

    Written only by forecourt.core.security.ratelimit with an atomic upsert; expired rows
    are purged.
    """

    key = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}={self.count}"

"""Database sessions bound to their user, with idle and absolute timeouts.

SESSION_ENGINE points here. Each session row carries the user, client IP, user agent,
sign-in time and last activity (copied from the session data on save), so a user can
list and end their sessions and an admin can end anyone's. Timestamps live in the
session data too, which is what the timeout check reads: no extra query per request.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

logger = logging.getLogger("forecourt.security")

# Keys this module keeps in the session data (Django's own start with "_auth").
LOGIN_AT = "_forecourt_login_at"
LAST_ACTIVITY = "_forecourt_last_activity"
RECENT_AUTH_AT = "_forecourt_recent_auth_at"
CLIENT_IP = "_forecourt_ip"
USER_AGENT = "_forecourt_user_agent"
# Writing the session on every request would turn each read into a write; a minute's
# precision is plenty for a 30-minute idle timeout.
ACTIVITY_PRECISION_SECONDS = 60
USER_AGENT_MAX = 300


def _as_datetime(timestamp: Any) -> datetime | None:
    if not isinstance(timestamp, int | float):
        return None
    return datetime.fromtimestamp(timestamp, tz=UTC)


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls) -> Any:
        from forecourt.core.security.models import UserSession

        return UserSession

    def create_model_instance(self, data: dict[str, Any]) -> Any:
        instance: Any = super().create_model_instance(data)
        try:
            instance.user_id = int(data[SESSION_KEY])
        except (KeyError, TypeError, ValueError):
            instance.user_id = None
        instance.ip_address = data.get(CLIENT_IP)
        instance.user_agent = str(data.get(USER_AGENT, ""))[:USER_AGENT_MAX]
        instance.created_at = _as_datetime(data.get(LOGIN_AT))
        instance.last_activity = _as_datetime(data.get(LAST_ACTIVITY))
        return instance


def stamp_login(request: HttpRequest) -> None:
    """Record who/where/when on a fresh login (called from the user_logged_in signal)."""
    now = time.time()
    session = request.session
    session[LOGIN_AT] = now
    session[LAST_ACTIVITY] = now
    session[RECENT_AUTH_AT] = now  # the password was just entered
    session[CLIENT_IP] = getattr(request, "client_ip", None)
    session[USER_AGENT] = request.headers.get("User-Agent", "")[:USER_AGENT_MAX]


def idle_limit_seconds() -> int:
    return int(settings.FORECOURT_SESSION_IDLE_TIMEOUT_MINUTES) * 60


def max_age_seconds() -> int:
    return int(settings.SESSION_COOKIE_AGE)


def expired_reason(session: Any, now: float) -> str | None:
    """'idle' or 'absolute' when a signed-in session has outlived a limit, else None."""
    login_at = session.get(LOGIN_AT)
    last_activity = session.get(LAST_ACTIVITY, login_at)
    if not isinstance(login_at, int | float) or not isinstance(last_activity, int | float):
        return "absolute"  # a signed-in session without our stamps predates them: end it
    if now - login_at > max_age_seconds():
        return "absolute"
    if now - last_activity > idle_limit_seconds():
        return "idle"
    return None


def record_activity(session: Any, now: float) -> None:
    last = session.get(LAST_ACTIVITY)
    if not isinstance(last, int | float) or now - last >= ACTIVITY_PRECISION_SECONDS:
        session[LAST_ACTIVITY] = now


def active_sessions_of(user: Any) -> Any:
    """The user's sessions that can still be used (not expired, not idle)."""
    from forecourt.core.security.models import UserSession

    now = timezone.now()
    idle_cutoff = now - timedelta(seconds=idle_limit_seconds())
    return UserSession.objects.filter(
        user=user, expire_date__gt=now, last_activity__gt=idle_cutoff
    ).order_by("-last_activity")


def end_sessions(user: Any, *, keep_session_key: str | None = None, reason: str) -> int:
    """Delete the user's sessions (all but `keep_session_key`); returns how many ended."""
    from forecourt.core.security.models import UserSession

    sessions = UserSession.objects.filter(user_id=user.pk)
    if keep_session_key:
        sessions = sessions.exclude(session_key=keep_session_key)
    count, _ = sessions.delete()
    if count:
        logger.info(
            "sessions ended",
            extra={"event": "sessions_ended", "user_id": user.pk, "count": count, "reason": reason},
        )
    return count


def session_ref(session_key: str) -> str:
    """An opaque handle for a session: the key itself is a credential and never shown."""
    ref = salted_hmac("forecourt.security.session-ref", session_key, algorithm="sha256")
    return ref.hexdigest()[:32]

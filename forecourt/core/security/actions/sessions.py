"""Session and password writes: change a password, end one's own or a user's sessions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import PasswordChangeForm
from django.db import transaction

from forecourt.core import audit
from forecourt.core.permissions import require_permission
from forecourt.core.security.models import UserSession
from forecourt.core.security.sessions import end_sessions, session_ref


@transaction.atomic
def change_password(form: PasswordChangeForm) -> Any:
    """Save a validated password change; the user's other sessions end (signals.py)."""
    user = form.save()
    audit.record(user, "security.change_password", user, {"password": ["***", "***"]})
    return user


@transaction.atomic
def end_own_session(user: Any, ref: str, *, current_session_key: str | None) -> bool:
    """End one of the user's other sessions, named by its public reference."""
    for session in UserSession.objects.filter(user=user).exclude(session_key=current_session_key):
        if session_ref(session.session_key) == ref:
            session.delete()
            audit.record(user, "security.end_session", user, {"sessions": [ref, None]})
            return True
    return False


@transaction.atomic
def end_user_sessions(actor: Any, user: Any, *, keep_session_key: str | None) -> int:
    """An administrator signs a user out everywhere (the actor's own session is kept)."""
    require_permission(actor, "security.delete_usersession")
    count = end_sessions(user, keep_session_key=keep_session_key, reason="admin_request")
    audit.record(actor, "security.end_user_sessions", user, {"sessions": [count, 0]})
    return count

"""Session bookkeeping on account events: stamp at login, end other sessions on changes.

Connected in SecurityConfig.ready(). Signals (not the views) so that every path that
changes a password or deactivates a user -- reset link, command line, a later admin
page -- ends the sessions too.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.http import HttpRequest

from forecourt.core.security.sessions import end_sessions, stamp_login

# (user id, session key) of the request being served, so a user changing their own
# password keeps the session they are using while their other sessions end.
current_session: ContextVar[tuple[int, str] | None] = ContextVar("current_session", default=None)


def kept_session_key(user: Any) -> str | None:
    """The key of the session serving this request, when it belongs to `user`."""
    current = current_session.get()
    return current[1] if current and current[0] == user.pk else None


def on_logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if getattr(request, "session", None) is not None:
        stamp_login(request)


def on_logged_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        # Signing out is the moment to sign out everywhere: a forgotten browser elsewhere
        # should not outlive the user's decision to leave.
        end_sessions(user, reason="logout")


def remember_previous_state(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.pk is None:
        return
    previous = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    instance._security_previous = previous


def end_sessions_on_account_change(
    sender: Any, instance: Any, created: bool, **kwargs: Any
) -> None:
    previous = getattr(instance, "_security_previous", None)
    instance._security_previous = None
    if created or not previous:
        return
    if previous["is_active"] and not instance.is_active:
        end_sessions(instance, reason="deactivated")
    elif previous["password"] != instance.password:
        end_sessions(
            instance, keep_session_key=kept_session_key(instance), reason="password_changed"
        )


def end_sessions_on_role_change(
    sender: Any, instance: Any, action: str, reverse: bool, **kwargs: Any
) -> None:
    if reverse or action not in {"post_add", "post_remove", "post_clear"}:
        return
    if instance.pk is not None:
        end_sessions(instance, keep_session_key=kept_session_key(instance), reason="roles_changed")


def connect() -> None:
    user_model = get_user_model()
    user_logged_in.connect(on_logged_in, dispatch_uid="forecourt-security-login")
    user_logged_out.connect(on_logged_out, dispatch_uid="forecourt-security-logout")
    pre_save.connect(remember_previous_state, sender=user_model, dispatch_uid="fc-sec-pre")
    post_save.connect(end_sessions_on_account_change, sender=user_model, dispatch_uid="fc-sec-post")
    m2m_changed.connect(
        end_sessions_on_role_change, sender=user_model.groups.through, dispatch_uid="fc-sec-roles"
    )

"""Session timeouts and MFA enforcement, applied to every page and endpoint by default.

SessionTimeoutMiddleware (after MessageMiddleware) ends a signed-in session that has been
idle too long or has passed its absolute lifetime. MfaRequiredMiddleware (last of the
view-time checks) sends a signed-in user without a verified second factor to enrolment
or verification, and lets the API treat such a session as not signed in at all.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from forecourt.core.security import mfa
from forecourt.core.security.sessions import expired_reason, record_activity
from forecourt.core.security.signals import current_session

logger = logging.getLogger("forecourt.security")


def mfa_not_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view reachable by a signed-in user who has not completed MFA yet."""
    view.mfa_not_required = True  # type: ignore[attr-defined]
    return view


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        token = None
        if SESSION_KEY in session:
            now = time.time()
            reason = expired_reason(session, now)
            if reason:
                logger.info(
                    "session timed out", extra={"event": "session_timeout", "reason": reason}
                )
                session.flush()
                request.user = AnonymousUser()
                if reason == "idle":
                    messages.info(request, "You were signed out after a period of inactivity.")
                else:
                    messages.info(request, "Your session reached its time limit; sign in again.")
            else:
                record_activity(session, now)
                user_id = int(session[SESSION_KEY])
                token = current_session.set((user_id, session.session_key or ""))
        try:
            return self.get_response(request)
        finally:
            if token is not None:
                current_session.reset(token)


class MfaRequiredMiddleware:
    """After LoginRequiredMiddleware and django-otp's OTPMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or mfa.is_verified(user) or mfa.is_demo_exempt(user):
            return None
        match = request.resolver_match
        if match is not None and "api" in match.namespaces:
            # Token auth sets its own user; a password-only session is no API credential.
            request.user = AnonymousUser()
            return None
        if getattr(view_func, "mfa_not_required", False):
            return None
        if not getattr(view_func, "login_required", True):
            return None  # public pages (sign-in, health, password reset)
        target = "security:mfa-verify" if mfa.has_confirmed_device(user) else "security:mfa-setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")

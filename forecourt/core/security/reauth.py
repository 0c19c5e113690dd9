"""Re-authentication ("sudo mode") before sensitive changes.

Changing an email, password, MFA devices, roles or API tokens needs a password or MFA
check within REAUTH_WINDOW. A stolen, already signed-in session therefore cannot take
the account over or mint credentials without knowing a factor.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from forecourt.core.security.sessions import RECENT_AUTH_AT

REAUTH_WINDOW_SECONDS = 10 * 60


class ReauthenticationRequired(PermissionDenied):
    """Raised by actions when the session has not re-authenticated recently."""


def mark_recent_auth(request: HttpRequest) -> None:
    request.session[RECENT_AUTH_AT] = time.time()


def has_recent_auth(request: HttpRequest) -> bool:
    session = getattr(request, "session", None)
    at = session.get(RECENT_AUTH_AT) if session is not None else None
    return isinstance(at, int | float) and time.time() - at <= REAUTH_WINDOW_SECONDS


_TOKEN_CREDENTIALS: list[type] = []


def register_token_credential(credential: type) -> None:
    """Declare a class whose instances, as `request.auth`, mean "authenticated by a token"
    (accounts registers ApiToken in AccountsConfig.ready; core imports no accounts model)."""
    if credential not in _TOKEN_CREDENTIALS:
        _TOKEN_CREDENTIALS.append(credential)


def is_session_authenticated(request: HttpRequest) -> bool:
    """True unless the request authenticated with an API token (request.auth is the token)."""
    return not isinstance(getattr(request, "auth", None), tuple(_TOKEN_CREDENTIALS))


def require(request: HttpRequest) -> None:
    """Raise ReauthenticationRequired for a session without a recent password or MFA check.

    Requests authenticated with an API token are exempt: the token is its own credential,
    created by an admin after re-authenticating, with an explicit scope for the operation
    (creating tokens needs `tokens:create`, not just `write`), and an integration has no
    person at hand to type a password.
    """
    if is_session_authenticated(request) and not has_recent_auth(request):
        raise ReauthenticationRequired("Confirm your password or a code to continue.")


def reauth_url(next_url: str) -> str:
    return f"{reverse('security:reauth')}?{urlencode({'next': next_url})}"


def _return_to(request: HttpRequest) -> str:
    if request.method == "GET":
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return "/"


def require_recent_auth(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """View decorator: without a recent check, send the user to confirm, then come back.

    A POST is not replayed after confirming (its form must be filled again), so the user
    returns to the page the form lives on.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_recent_auth(request):
            return redirect(reauth_url(_return_to(request)))
        return view(request, *args, **kwargs)

    return wrapper

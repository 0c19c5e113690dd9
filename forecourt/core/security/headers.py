"""Response headers Django does not set itself: Permissions-Policy and no-store for signed-in users;
and a baseline for the answers that never reach the inner middleware (static files, the 400
bad-Host page).

The rest of the header set comes from Django's own settings (forecourt/settings.py):
CSP with per-request nonces, HSTS (production), X-Content-Type-Options, Referrer-Policy,
Cross-Origin-Opener-Policy and X-Frame-Options.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# A response may keep its own caching only if it is already private to one browser.
_PRIVATE_DIRECTIVES = ("no-store", "private")


# For a response that no view rendered (a static file, Django's 400 page for a bad Host):
# nothing may load, run, frame it or be framed. Pages keep the CSP of their nonce middleware.
BASELINE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


class BaselineHeadersMiddleware:
    """First in MIDDLEWARE, so it sees every response, also those answered before the inner
    middleware ran: WhiteNoise's static files and the 400 a disallowed Host gets (raised
    where the host is first read, in an outer middleware). Sets only what is missing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", BASELINE_CSP)
        response.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        response.setdefault("X-Content-Type-Options", "nosniff")
        response.setdefault("Referrer-Policy", settings.SECURE_REFERRER_POLICY)
        response.setdefault("Permissions-Policy", permissions_policy())
        return response


def permissions_policy() -> str:
    return ", ".join(f"{feature}={allow}" for feature, allow in settings.PERMISSIONS_POLICY.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", permissions_policy())
        if _signed_in(request):
            # Pages and API answers for a signed-in user may show customer data: no copy
            # stays in a shared proxy or the browser's disk cache.
            cache_control = response.get("Cache-Control", "")
            if not any(d in cache_control for d in _PRIVATE_DIRECTIVES):
                response["Cache-Control"] = "no-store"
        return response


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)

"""Response headers Django does not set itself: Permissions-Policy and no-store for signed-in users.

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

"""Two middleware lanes: browser requests get the full list; API-token requests a lean one.

An /api/ request that carries `Authorization: Bearer ...` and no Cookie header cannot have a
session, a CSRF cookie, an MFA state or a sign-in lockout, so the middleware for those only
cost it time. `LaneDispatcher` (forecourt/wsgi.py) sends such requests to a second Django
handler built from `settings.API_TOKEN_MIDDLEWARE` (derived from MIDDLEWARE in settings.py:
the same order, minus BROWSER_ONLY_MIDDLEWARE) and every other request to the normal one.
The API authenticates the token itself either way, so both lanes answer alike: a bad token
is a 401, rate limits, logging, metrics and security headers apply to both.

The token lane also resolves URLs with TOKEN_LANE_URLCONF: the hot reads' lean views (plain
Django views over the same functions as their ninja operations; inventory/api.py) come
before every route of forecourt/urls.py. A lean view answers only its plain case and hands
everything else to `documented_operation`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import resolve

API_PREFIX = "/api/"
TOKEN_LANE_URLCONF = "forecourt.token_lane_urls"  # noqa: S105 - a module, not a secret


def takes_token_lane(environ: dict[str, Any]) -> bool:
    """An API request with a bearer token and no cookie at all (so no session)."""
    return (
        environ.get("PATH_INFO", "").startswith(API_PREFIX)
        and "HTTP_COOKIE" not in environ
        and environ.get("HTTP_AUTHORIZATION", "")[:7].lower() == "bearer "
    )


class AnonymousUntilTokenMiddleware:
    """In AuthenticationMiddleware's place on the token lane: there is no session to read a
    user from, so the request is anonymous until the API's token auth sets request.user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.user = AnonymousUser()
        return self.get_response(request)


class TokenLaneHandler(WSGIHandler):
    """Django's WSGI handler, loading `settings.API_TOKEN_MIDDLEWARE` instead of MIDDLEWARE,
    and resolving URLs with TOKEN_LANE_URLCONF (the hot reads' lean views first)."""

    def get_response(self, request: HttpRequest) -> HttpResponseBase:
        request.urlconf = TOKEN_LANE_URLCONF
        return super().get_response(request)

    def load_middleware(self, is_async: bool = False) -> None:
        # BaseHandler.load_middleware reads settings.MIDDLEWARE; lend it the lean list while
        # it builds the chain (once, at start-up, before any request).
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = settings.API_TOKEN_MIDDLEWARE
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


def documented_operation(request: HttpRequest) -> HttpResponse:
    """Answer as forecourt/urls.py would (the ninja operation): what a lean view of the token
    lane does with every request but the plain case it is built for."""
    match = resolve(request.path_info, urlconf=settings.ROOT_URLCONF)
    request.resolver_match = match
    response: HttpResponse = match.func(request, *match.args, **match.kwargs)
    return response


class LaneDispatcher:
    """The WSGI application: token-lane requests to the lean handler, the rest to `full`."""

    def __init__(self, full: Callable[..., Iterable[bytes]]):
        self.full = full
        self.token_lane = TokenLaneHandler()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        handler = self.token_lane if takes_token_lane(environ) else self.full
        return handler(environ, start_response)

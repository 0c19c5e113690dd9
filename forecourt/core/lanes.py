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
from django.core.exceptions import ImproperlyConfigured, MiddlewareNotUsed
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import resolve
from django.utils.module_loading import import_string

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
        # Imported here: the auth models load only once Django is set up, and forecourt/wsgi.py
        # imports this module before setting Django up (middleware is built after).
        from django.contrib.auth.models import AnonymousUser

        self.get_response = get_response
        self.anonymous = AnonymousUser

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.user = self.anonymous()
        return self.get_response(request)


class TokenLaneHandler(WSGIHandler):
    """Django's WSGI handler with its own middleware chain, built from
    `settings.API_TOKEN_MIDDLEWARE`, resolving URLs with TOKEN_LANE_URLCONF (the hot reads'
    lean views first)."""

    def get_response(self, request: HttpRequest) -> HttpResponseBase:
        request.urlconf = TOKEN_LANE_URLCONF
        return super().get_response(request)

    def load_middleware(self, is_async: bool = False) -> None:
        """BaseHandler.load_middleware for a given list (it reads settings.MIDDLEWARE): the
        same chain, hooks and order, built once at start-up. WSGI only, so synchronous."""
        if is_async:
            raise ImproperlyConfigured("The token lane is a WSGI (synchronous) handler.")
        self._view_middleware: list[Any] = []
        self._template_response_middleware: list[Any] = []
        self._exception_middleware: list[Any] = []
        handler = convert_exception_to_response(self._get_response)  # type: ignore[attr-defined]
        for path in reversed(settings.API_TOKEN_MIDDLEWARE):
            middleware = import_string(path)
            if not getattr(middleware, "sync_capable", True):
                raise ImproperlyConfigured(f"{path} cannot run synchronously (token lane).")
            try:
                instance = middleware(handler)
            except MiddlewareNotUsed:
                continue
            if instance is None:
                raise ImproperlyConfigured(f"Middleware factory {path} returned None.")
            if hasattr(instance, "process_view"):
                self._view_middleware.insert(0, instance.process_view)
            if hasattr(instance, "process_template_response"):
                self._template_response_middleware.append(instance.process_template_response)
            if hasattr(instance, "process_exception"):
                self._exception_middleware.append(instance.process_exception)
            handler = convert_exception_to_response(instance)
        self._middleware_chain = handler


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

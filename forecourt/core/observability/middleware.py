"""The access log: one structured line per request, written when the response is ready.

Sits right after RequestIdMiddleware (so the request id and client IP are known, and
requests refused by later middleware, such as 429s, are logged too). It also times every
database query of the request, warns about slow requests and queries, feeds the request
metrics, and runs the per-request detectors (scanning, injection payloads, hours).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

import structlog
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.functional import SimpleLazyObject, empty

from forecourt.core.observability import metrics, resources
from forecourt.core.observability.conf import monitoring
from forecourt.core.observability.detectors import inspect_request

logger = structlog.get_logger("forecourt.request")
query_logger = structlog.get_logger("forecourt.db")


def route_name(request: HttpRequest) -> str:
    """The URL pattern's name ("accounts:user-list"), never the raw path (bounded labels)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        # Not resolved (yet): a query in an outer middleware, or a request refused
        # before the view (429, 403). Resolve it the way Django will.
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404:
            return "<unmatched>"
    return match.view_name or match.route or "<unnamed>"


def known_user(request: HttpRequest) -> Any | None:
    """The signed-in user if the request already looked it up (never adds a query)."""
    user = request.__dict__.get("user")
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        return None
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None


class QueryTimer:
    """connection.execute_wrapper: counts and times the request's queries."""

    def __init__(self, request: HttpRequest, slow_query_ms: int):
        self.request = request
        self.slow_query_ms = slow_query_ms
        self.count = 0
        self.seconds = 0.0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            self.count += 1
            self.seconds += elapsed
            if elapsed * 1000 >= self.slow_query_ms:
                route = route_name(self.request)
                metrics.SLOW_QUERIES.labels(route=route).inc()
                # The statement without its parameters: values may be personal data.
                query_logger.warning(
                    "slow query",
                    route=route,
                    duration_ms=round(elapsed * 1000, 2),
                    sql=sql[:500],
                )


def _response_size(response: HttpResponse) -> int | None:
    if getattr(response, "streaming", False):
        length = response.get("Content-Length")
        return int(length) if length and length.isdigit() else None
    return len(response.content)


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        conf = monitoring()
        timer = QueryTimer(request, conf.slow_query_ms)
        started = time.perf_counter()
        response: HttpResponse | None = None
        try:
            with ExitStack() as stack:
                for connection in connections.all():
                    stack.enter_context(connection.execute_wrapper(timer))
                response = self.get_response(request)
            return response
        finally:
            self._finish(request, response, timer, time.perf_counter() - started)

    def _finish(
        self,
        request: HttpRequest,
        response: HttpResponse | None,
        timer: QueryTimer,
        seconds: float,
    ) -> None:
        try:
            conf = monitoring()
            status = response.status_code if response is not None else 500
            route = route_name(request)
            user = known_user(request)
            duration_ms = round(seconds * 1000, 2)
            slow = duration_ms >= conf.slow_request_ms
            match = getattr(request, "resolver_match", None)
            rooftop = getattr(request, "rooftop_id", None) or (
                match.kwargs.get("rooftop_id") if match else None
            )
            fields = {
                "method": request.method,
                "route": route,
                "path": request.path,
                "status": status,
                "duration_ms": duration_ms,
                "user_id": user.pk if user else None,
                "rooftop": rooftop,
                "client_ip": getattr(request, "client_ip", None),
                "response_bytes": _response_size(response) if response is not None else None,
                "db_queries": timer.count,
                "db_time_ms": round(timer.seconds * 1000, 2),
            }
            if slow:
                metrics.SLOW_REQUESTS.labels(route=route).inc()
                logger.warning("slow request", slow=True, **fields)
            else:
                logger.info("request", **fields)
            metrics.request_observed(
                request.method or "-", route, status, seconds, timer.count, timer.seconds
            )
            resources.maybe_sample_self()
            inspect_request(request, status, user)
        except Exception:
            # Monitoring must never turn a good response into an error.
            logger.exception("request logging failed")

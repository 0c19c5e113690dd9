"""Multi-tier rate limiting, exact across every app process and machine.

Public API (stable: other apps use only these names)
----------------------------------------------------
``@rate_limited("expensive")``
    Decorate a Django view function or a django-ninja operation (put it *under* the
    ``@router.get/post`` line). Over the limit, the view is not called: the caller gets
    429 with ``Retry-After`` (the API's error shape under /api/, a plain page elsewhere).
    Class-based views: ``@method_decorator(rate_limited("expensive"), name="dispatch")``.
    Document the 429 in ninja operations with ``error_responses(..., 429)``.
``check_rate_limit(request, tier) -> Decision``
    Count one hit and say whether it is allowed, for code that is not a view.
``too_many_requests(request, decision) -> HttpResponse``
    The 429 (or 503) response for a refused decision.

Tiers (limits from the RATE_LIMIT_* environment variables, see forecourt/core/config/)
    global     every request per client IP, except /health/* (middleware)
    auth       unsafe requests to sign-in, password reset, MFA and re-authentication routes,
               per client IP (middleware); fails closed when the store is down
    api        every /api/ request per token (else signed-in user, else IP), per minute and
               per day (middleware)
    expensive  exports, PDF generation, imports, per user (decorator)

Counting is a fixed window per (tier, identity): one atomic increment in Redis
(INCR + EXPIRE NX) when REDIS_URL is set, else one atomic upsert
(INSERT ... ON CONFLICT DO UPDATE ... RETURNING) in the database. No process keeps
counts of its own, so N processes behind a load balancer enforce one limit. Every window a
request counts against (the global tier, and for a bearer-token API request the api tier's
minute and day) is counted in ONE Redis round trip: a Lua script increments them in order
and stops at the first over its limit, exactly as separate increments would.
"""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import logging
import math
import secrets
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, TypeVar

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

from forecourt.core.api_errors import error_body
from forecourt.core.config import Rate
from forecourt.core.net import client_ip

logger = logging.getLogger("forecourt.security")

FAIL_CLOSED_TIERS = frozenset({"auth"})
STORE_DOWN_RETRY_SECONDS = 30
ALERT_INTERVAL_SECONDS = 60
API_PATH_PREFIX = "/api/"
EXEMPT_PATH_PREFIXES = ("/health/",)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

View = TypeVar("View", bound=Callable[..., Any])


class RateLimitStoreError(Exception):
    """The shared counter store could not be reached or answered wrongly."""


@dataclass(frozen=True)
class Decision:
    tier: str
    allowed: bool
    limit: int = 0
    count: int = 0
    retry_after: int = 0
    store_down: bool = False


ALLOW = Decision(tier="", allowed=True)


# --- stores -------------------------------------------------------------------------------


class CounterStore(Protocol):
    def hit(self, key: str, ttl_seconds: int) -> int:
        """Add one to `key` (created with a lifetime of `ttl_seconds`); return the new count."""

    def hit_many(self, windows: list[Window]) -> tuple[int, int]:
        """Count one hit on each window in order, stopping at the first that goes over its
        limit: (its index, its count), or (-1, 0) when every window allowed the hit."""


@dataclass(frozen=True)
class Window:
    key: str
    ttl_seconds: int
    limit: int


# Atomic per key like INCR + EXPIRE NX, and all of a request's windows in one round trip.
_HIT_MANY_LUA = """
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  redis.call('EXPIRE', key, ARGV[2 * i - 1], 'NX')
  if count > tonumber(ARGV[2 * i]) then return {i - 1, count} end
end
return {-1, 0}
"""


class RedisStore:
    def __init__(self, url: str):
        import redis

        # Short timeouts: a slow store must not hold every request hostage.
        self.client = redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)

    def hit(self, key: str, ttl_seconds: int) -> int:
        import redis

        try:
            pipe = self.client.pipeline(transaction=True)
            pipe.incr(key)
            pipe.expire(key, ttl_seconds, nx=True)
            count, _ = pipe.execute()
        except redis.RedisError as error:
            raise RateLimitStoreError(f"redis: {error}") from error
        return int(count)

    def hit_many(self, windows: list[Window]) -> tuple[int, int]:
        import redis

        args: list[int] = []
        for window in windows:
            args += [window.ttl_seconds, window.limit]
        try:
            index, count = self._hit_many(keys=[w.key for w in windows], args=args)
        except redis.RedisError as error:
            raise RateLimitStoreError(f"redis: {error}") from error
        return int(index), int(count)

    @functools.cached_property
    def _hit_many(self) -> Any:
        return self.client.register_script(_HIT_MANY_LUA)  # EVALSHA, loading it when needed


# The table and columns are fixed names of RateLimitCounter; values are always parameters.
_UPSERT = (
    'INSERT INTO security_ratelimitcounter ("key", "count", "expires_at") VALUES (%s, 1, %s) '
    'ON CONFLICT ("key") DO UPDATE SET "count" = security_ratelimitcounter."count" + 1 '
    'RETURNING "count"'
)
_PURGE = 'DELETE FROM security_ratelimitcounter WHERE "expires_at" < %s'
PURGE_ONE_IN = 200  # new windows that also purge expired counters


class DatabaseStore:
    def hit(self, key: str, ttl_seconds: int) -> int:
        now = datetime.now(tz=UTC)
        try:
            # Inside a caller's transaction a failure must not poison it: use a savepoint.
            savepoint = transaction.atomic() if connection.in_atomic_block else nullcontext()
            with savepoint, connection.cursor() as cursor:
                cursor.execute(_UPSERT, [key, now + timedelta(seconds=ttl_seconds)])
                row = cursor.fetchone()
                if row and row[0] == 1 and secrets.randbelow(PURGE_ONE_IN) == 0:
                    cursor.execute(_PURGE, [now])
        except DatabaseError as error:
            raise RateLimitStoreError(f"database: {error}") from error
        if not row:
            raise RateLimitStoreError("database: the upsert returned no count")
        return int(row[0])

    def hit_many(self, windows: list[Window]) -> tuple[int, int]:
        for index, window in enumerate(windows):
            count = self.hit(window.key, window.ttl_seconds)
            if count > window.limit:
                return index, count
        return -1, 0


@functools.cache
def _redis_store(url: str) -> RedisStore:
    return RedisStore(url)


def get_store() -> CounterStore:
    url = getattr(settings, "RATE_LIMIT_REDIS_URL", None)
    return _redis_store(url) if url else DatabaseStore()


# --- counting -----------------------------------------------------------------------------


def _fingerprint(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def identity(request: HttpRequest, tier: str) -> str:
    """Who a hit is counted against: token, else signed-in user, else client IP."""
    ip = getattr(request, "client_ip", None) or client_ip(request) or "unknown"
    if tier in {"global", "auth"}:
        return f"ip:{ip}"
    authorization = request.headers.get("Authorization", "")
    if tier == "api" and authorization.lower().startswith("bearer "):
        # Counted by the token presented, valid or not: its hash, never the secret.
        return f"token:{_fingerprint(authorization[7:].strip())}"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{ip}"


def _rates(tier: str) -> list[Rate]:
    rates = settings.RATE_LIMITS.get(tier)
    if rates is None:
        raise KeyError(f"Unknown rate-limit tier {tier!r}; add it to settings.RATE_LIMITS")
    return list(rates)


def hit(tier: str, ident: str, *, now: float | None = None) -> Decision:
    """Count one hit of `ident` against every rate of `tier`; the first refusal wins."""
    return hit_tiers([(tier, ident)], now=now)


def hit_tiers(hits: list[tuple[str, str]], *, now: float | None = None) -> Decision:
    """Count one hit of each (tier, identity) against every rate of the tier, in order and
    in one store round trip; the first refusal wins (the windows after it are not counted)."""
    if not settings.RATE_LIMITS_ENABLED:
        return ALLOW
    now = time.time() if now is None else now
    prefix = settings.RATE_LIMIT_KEY_PREFIX
    counted: list[tuple[str, Rate, int]] = []
    windows: list[Window] = []
    for tier, ident in hits:
        for rate in _rates(tier):
            window_start = int(now // rate.seconds) * rate.seconds
            key = f"{prefix}:{tier}:{rate.seconds}:{ident}:{window_start}"
            counted.append((tier, rate, window_start))
            windows.append(Window(key, rate.seconds + 1, rate.limit))
    try:
        refused, count = get_store().hit_many(windows)
    except RateLimitStoreError as error:
        # Each tier fails open or closed as it would alone (and alerts as it would alone).
        decisions = [_store_down(tier, error) for tier, _ in hits]
        return next((d for d in decisions if not d.allowed), decisions[-1])
    if refused < 0:
        return Decision(hits[-1][0], True)
    tier, rate, window_start = counted[refused]
    retry_after = max(1, math.ceil(window_start + rate.seconds - now))
    return Decision(tier, False, rate.limit, count, retry_after)


def check_rate_limit(request: HttpRequest, tier: str) -> Decision:
    return hit(tier, identity(request, tier))


def check_rate_limits(request: HttpRequest, tiers: list[str]) -> Decision:
    """`check_rate_limit` for several tiers at once (one store round trip)."""
    return hit_tiers([(tier, identity(request, tier)) for tier in tiers])


_last_alert: dict[str, float] = {}


def _store_down(tier: str, error: Exception) -> Decision:
    fail_closed = tier in FAIL_CLOSED_TIERS
    _alert(
        tier,
        f"Rate-limit store unavailable ({error}); tier {tier!r} "
        + ("refused (fails closed)" if fail_closed else "allowed without counting (fails open)"),
    )
    if fail_closed:
        return Decision(tier, False, retry_after=STORE_DOWN_RETRY_SECONDS, store_down=True)
    return Decision(tier, True, store_down=True)


def _alert(tier: str, message: str) -> None:
    """Log every time; raise an operator alert at most once a minute per process."""
    logger.error(message)
    if time.monotonic() - _last_alert.get(tier, -ALERT_INTERVAL_SECONDS) < ALERT_INTERVAL_SECONDS:
        return
    _last_alert[tier] = time.monotonic()
    try:
        from forecourt.core.observability.alerts import send_alert
    except ImportError:  # pragma: no cover - the monitoring app is part of the project
        return
    # send_alert never raises and de-duplicates across processes.
    send_alert(
        "critical" if tier in FAIL_CLOSED_TIERS else "error",
        "Rate-limit store unavailable",
        {"tier": tier, "message": message},
        dedup_key=f"rate-limit-store-down:{tier}",
    )


# --- responses ----------------------------------------------------------------------------


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PATH_PREFIX)


def too_many_requests(request: HttpRequest, decision: Decision) -> HttpResponse:
    """429 (or 503 when a fail-closed store is down), with Retry-After."""
    status = 503 if decision.store_down else 429
    message = (
        "Temporarily unavailable; try again shortly."
        if decision.store_down
        else f"Too many requests; try again in {decision.retry_after} seconds."
    )
    response: HttpResponse
    if is_api_request(request):
        response = JsonResponse(error_body(request, status, message), status=status)
    else:
        html = render_to_string(
            "security/429.html",
            {
                "status": status,
                "message": message,
                "request_id": getattr(request, "request_id", ""),
            },
        )
        response = HttpResponse(html, status=status)
        # This page is answered before the CSP middleware runs: give it a strict policy itself.
        response["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'"
        )
    response["Retry-After"] = str(decision.retry_after)
    response["Cache-Control"] = "no-store"
    return response


def rate_limited(tier: str = "expensive") -> Callable[[View], View]:
    """Decorator: count each call of the view against `tier`; refuse over the limit."""
    _rates(tier)  # an unknown tier fails at import time, not on the first request

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            decision = check_rate_limit(request, tier)
            if not decision.allowed:
                return too_many_requests(request, decision)
            return view(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


# --- middleware ---------------------------------------------------------------------------


def _counts_api_tier_early(request: HttpRequest) -> bool:
    """A bearer-token API request (counted per token, whatever the route or the user)."""
    return (
        is_api_request(request)
        and request.headers.get("Authorization", "")[:7].lower() == "bearer "
    )


def is_auth_route(request: HttpRequest) -> bool:
    match = request.resolver_match
    names = [match.view_name] if match and match.view_name else []
    names.append(request.path_info)
    return any(
        fnmatch.fnmatchcase(name, pattern)
        for name in names
        for pattern in settings.RATE_LIMIT_AUTH_ROUTES
    )


class RateLimitMiddleware:
    """Global and size limits before anything else; auth and API tiers once the view is known."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        too_big = self._too_big(request)
        if too_big is not None:
            return too_big
        if not request.path_info.startswith(EXEMPT_PATH_PREFIXES):
            tiers = ["global"]
            if _counts_api_tier_early(request):
                # Its identity is the token in the header, known now: count the api tier
                # in the same round trip instead of a second one in process_view.
                tiers.append("api")
                request._api_tier_counted = True  # type: ignore[attr-defined]
            decision = check_rate_limits(request, tiers)
            if not decision.allowed:
                return too_many_requests(request, decision)
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        tiers = []
        if request.method not in SAFE_METHODS and is_auth_route(request):
            tiers.append("auth")
        if is_api_request(request) and not getattr(request, "_api_tier_counted", False):
            tiers.append("api")
        for tier in tiers:
            decision = check_rate_limit(request, tier)
            if not decision.allowed:
                return too_many_requests(request, decision)
        return None

    @staticmethod
    def _too_big(request: HttpRequest) -> HttpResponse | None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        # Files stream to disk, so uploads may be larger than bodies read into memory.
        is_upload = request.content_type == "multipart/form-data"
        in_memory = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        limit = (
            settings.FORECOURT_MAX_UPLOAD_BYTES
            if is_upload or in_memory is None
            else min(in_memory, settings.FORECOURT_MAX_UPLOAD_BYTES)
        )
        if length <= limit:
            return None
        message = f"The request is larger than {limit} bytes."
        if is_api_request(request):
            body = error_body(request, 413, message)
            body["error"]["code"] = "payload_too_large"
            return JsonResponse(body, status=413)
        return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")

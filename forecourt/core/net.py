"""The one place that decides a request's client IP (used by limits, lockout, audit, logs)."""

from __future__ import annotations

import ipaddress
import logging
import threading

from django.conf import settings
from django.http import HttpRequest

from forecourt.core.observability.events import record_security_event

logger = logging.getLogger("forecourt.security")

PROXY_FORWARDING_MISSING = "proxy_forwarding_missing"
# Probes and scrapes reach a pod or process directly, past the proxy, by design.
_DIRECT_PATHS = ("/health/", "/metrics")
_warning = threading.Lock()
_warned = False


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client address, trusting exactly TRUSTED_PROXY_HOPS proxies in front of us.

    Each trusted proxy appends the address it received the request from to
    X-Forwarded-For, so the client is the entry that many places from the right.
    Anything further left was written by the client and may be forged.
    """
    remote = _valid_ip(request.META.get("REMOTE_ADDR", ""))
    hops = settings.FORECOURT_TRUSTED_PROXY_HOPS
    if hops == 0:
        return remote
    forwarded = _forwarded_for(request)
    if len(forwarded) < hops:
        return remote
    return _valid_ip(forwarded[-hops]) or remote


def _forwarded_for(request: HttpRequest) -> list[str]:
    return [p for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]


def check_forwarding(request: HttpRequest) -> None:
    """Warn once per process when TRUSTED_PROXY_HOPS promises proxies but a request came
    without their X-Forwarded-For entries: then either the proxy is missing (and a client
    who adds the header itself chooses its own address for rate limits and lockout) or the
    setting is wrong. Logged, recorded as a security event and alerted (docs/deployment.md).
    """
    global _warned
    hops = settings.FORECOURT_TRUSTED_PROXY_HOPS
    if _warned or hops == 0 or request.path.startswith(_DIRECT_PATHS):
        return
    forwarded = len(_forwarded_for(request))
    if forwarded >= hops:
        return
    with _warning:
        if _warned:
            return
        _warned = True
    details = {
        "trusted_proxy_hops": hops,
        "forwarded_entries": forwarded,
        "remote_addr": request.META.get("REMOTE_ADDR", ""),
        "path": request.path,
    }
    logger.warning(
        "TRUSTED_PROXY_HOPS=%s but a request arrived with %s X-Forwarded-For entries: is the"
        " proxy really in front? Without it clients choose their own address for rate limits.",
        hops,
        forwarded,
        extra={"event": PROXY_FORWARDING_MISSING, **details},
    )
    record_security_event(PROXY_FORWARDING_MISSING, level="error", details=details)


def reset_forwarding_warning() -> None:
    """For tests: warn again on the next request that lacks the proxy's header."""
    global _warned
    _warned = False

"""The one place that decides a request's client IP (used by limits, lockout, audit, logs)."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


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
    forwarded = [p for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
    if len(forwarded) < hops:
        return remote
    return _valid_ip(forwarded[-hops]) or remote

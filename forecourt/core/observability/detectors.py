"""Suspicious activity detectors. Each records a security event (events.py) when its
threshold is crossed; counts live in the shared store so every process adds to the same
number, and each event fires once per window, not on every further hit.

- failed sign-ins per account and per IP (Django's user_login_failed signal)
- sign-in of a privileged role from an address it never used before (user_logged_in)
- bursts of 401/403/404 answers to one client (scanning)
- injection or path traversal payloads in the path, query or body
- bulk reads / exports of customer records: other apps call `note_bulk_read(user, kind, n)`
- access outside BUSINESS_HOURS by non-admin roles
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl, unquote

import structlog
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from forecourt.core.observability import events, metrics, store
from forecourt.core.observability.conf import monitoring
from forecourt.core.request_context import current_client_ip

logger = structlog.get_logger("forecourt.security")

# Roles whose sign-in from a new address is worth a look (plus superusers).
PRIVILEGED_ROLES = frozenset({"Owner/Admin", "General Manager"})
ADMIN_ROLES = frozenset({"Owner/Admin"})
SCANNING_STATUSES = frozenset({401, 403, 404})
MAX_INSPECTED_BODY = 64 * 1024
# One event per client and category within this window, however many payloads it sends.
PAYLOAD_EVENT_WINDOW = 300
AFTER_HOURS_EVENT_WINDOW = 4 * 3600

PAYLOAD_PATTERNS: dict[str, re.Pattern[str]] = {
    "sql_injection": re.compile(
        r"(?:'|\")\s*(?:or|and)\s+(?:'?\d+'?\s*=\s*'?\d+|'[^']*'\s*=\s*')"
        r"|\bunion\b[\s(]+(?:all\s+)?select\b"
        r"|;\s*(?:drop|delete|truncate|alter|insert|update)\s+"
        r"|\b(?:sleep|benchmark|pg_sleep)\s*\(\s*\d"
        r"|\bwaitfor\s+delay\b"
        r"|'\s*;?\s*--",
        re.IGNORECASE,
    ),
    "xss": re.compile(r"<\s*script\b|javascript\s*:|\bon(?:error|load)\s*=|<\s*iframe\b", re.I),
    "path_traversal": re.compile(
        r"(?:\.\.[/\\]){1,}|/etc/(?:passwd|shadow)|\\windows\\|\x00|c:\\\\", re.IGNORECASE
    ),
    "command_injection": re.compile(r"[;|`]\s*(?:cat|ls|id|wget|curl|bash|sh)\b|\$\([^)]*\)", re.I),
    "template_injection": re.compile(r"\{\{\s*\d+\s*\*\s*\d+\s*\}\}|\$\{jndi:", re.IGNORECASE),
}


# Matches wherever any pattern above matches (an alternation finds a match if any of its
# branches does): a text it does not match -- nearly every path and query value -- is
# clean after one scan instead of five.
_ANY_PAYLOAD = re.compile(
    "|".join(f"(?:{pattern.pattern})" for pattern in PAYLOAD_PATTERNS.values()), re.IGNORECASE
)


def _decoded(text: str) -> str:
    # Twice: scanners double-encode ("%252e%252e%252f").
    return unquote(unquote(text))


def find_payloads(request: HttpRequest) -> dict[str, str]:
    """{category: where} for each suspicious payload in the path, query string or body."""
    places: list[tuple[str, str]] = [("path", _decoded(request.path))]
    query = request.META.get("QUERY_STRING", "")
    places += [(f"query:{k}", _decoded(v)) for k, v in parse_qsl(query, keep_blank_values=True)]
    places += [("query", _decoded(query))]
    body = _body_text(request)
    if body:
        places.append(("body", body))
    found: dict[str, str] = {}
    for where, text in places:
        if not _ANY_PAYLOAD.search(text):
            continue
        for category, pattern in PAYLOAD_PATTERNS.items():
            if category not in found and pattern.search(text):
                found[category] = where
    return found


def _body_text(request: HttpRequest) -> str:
    """The form fields or small JSON body, if the view already read them (never reads)."""
    form = request.__dict__.get("_post")
    if form:
        return " ".join(value for _, values in form.lists() for value in values)[
            :MAX_INSPECTED_BODY
        ]
    body = request.__dict__.get("_body")
    content_type = request.content_type or ""
    if not isinstance(body, bytes) or len(body) > MAX_INSPECTED_BODY:
        return ""
    if content_type == "application/x-www-form-urlencoded":
        return " ".join(_decoded(v) for _, v in parse_qsl(body.decode(errors="replace")))
    if content_type == "application/json":
        try:
            return " ".join(_strings(json.loads(body)))
        except ValueError:
            return body.decode(errors="replace")
    return ""


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def role_names(user: Any) -> set[str]:
    return {group.name for group in user.groups.all()}


def is_privileged(user: Any) -> bool:
    return bool(user.is_superuser or role_names(user) & PRIVILEGED_ROLES)


def is_admin(user: Any) -> bool:
    return bool(user.is_superuser or role_names(user) & ADMIN_ROLES)


def inspect_request(request: HttpRequest, status: int, user: Any | None) -> None:
    """Per-request detectors, run by the access-log middleware after the response."""
    conf = monitoring()
    ip = getattr(request, "client_ip", None)
    if status in SCANNING_STATUSES and ip:
        count = store.increment(f"clienterr:{ip}", conf.client_error_window_seconds)
        if count == conf.client_error_burst:
            events.record_security_event(
                events.CLIENT_ERROR_BURST,
                user=user,
                ip=ip,
                details={
                    "count": count,
                    "window_seconds": conf.client_error_window_seconds,
                    "last_status": status,
                    "last_route": getattr(request.resolver_match, "view_name", None),
                },
            )
    payloads = find_payloads(request)
    for category, where in payloads.items():
        if store.add_once(f"payload:{category}:{ip}", PAYLOAD_EVENT_WINDOW):
            events.record_security_event(
                events.INJECTION_ATTEMPT,
                user=user,
                ip=ip,
                details={
                    "category": category,
                    "where": where,
                    "method": request.method,
                    "status": status,
                },
            )
    if user is not None and conf.business_hours is not None:
        now = timezone.localtime()
        if (
            not conf.business_hours.contains(now)
            and not is_admin(user)
            and store.add_once(f"afterhours:{user.pk}", AFTER_HOURS_EVENT_WINDOW)
        ):
            events.record_security_event(
                events.OUTSIDE_BUSINESS_HOURS,
                user=user,
                ip=ip,
                details={"local_time": now.strftime("%a %H:%M"), "path": request.path},
            )


def note_bulk_read(user: Any, kind: str, count: int) -> None:
    """Call when `user` reads or exports `count` customer records of `kind` (list pages,
    API lists, exports). Crossing DETECT_BULK_READ_RECORDS within the window is an event."""
    if count <= 0 or not getattr(user, "pk", None):
        return
    conf = monitoring()
    try:
        total = store.increment(f"bulk:{kind}:{user.pk}", conf.bulk_read_window_seconds, count)
    except Exception:
        logger.warning("bulk read counter unavailable", exc_info=True)
        return
    if total - count < conf.bulk_read_records <= total:
        events.record_security_event(
            events.BULK_READ,
            user=user,
            details={
                "kind": kind,
                "records": total,
                "window_seconds": conf.bulk_read_window_seconds,
            },
        )


@receiver(user_login_failed, dispatch_uid="observability.login_failed")
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **_: Any
) -> None:
    metrics.login_failed()
    conf = monitoring()
    ip = getattr(request, "client_ip", None) or current_client_ip()
    account = str(credentials.get("username") or credentials.get("email") or "").strip().lower()
    window = conf.login_failure_window_seconds
    try:
        if account:
            per_account = store.increment(f"loginfail:acct:{account}", window)
            if per_account == conf.login_failures_per_account:
                events.record_security_event(
                    events.LOGIN_FAILURES_ACCOUNT,
                    ip=ip,
                    details={"account": account, "failures": per_account, "window_seconds": window},
                )
        if ip:
            per_ip = store.increment(f"loginfail:ip:{ip}", window)
            if per_ip == conf.login_failures_per_ip:
                events.record_security_event(
                    events.LOGIN_FAILURES_IP,
                    ip=ip,
                    details={"failures": per_ip, "window_seconds": window},
                )
    except Exception:
        logger.warning("login failure detector unavailable", exc_info=True)


@receiver(user_logged_in, dispatch_uid="observability.new_address")
def on_logged_in(sender: Any, request: Any, user: Any, **_: Any) -> None:
    """Remember each address a privileged user signs in from; a new one is an event."""
    from forecourt.core.observability.models import KnownAddress

    ip = getattr(request, "client_ip", None) or current_client_ip()
    if not ip:
        return
    try:
        if not is_privileged(user):
            return
        now = timezone.now()
        updated = KnownAddress.objects.filter(user=user, ip_address=ip).update(last_seen=now)
        if updated:
            return
        has_history = KnownAddress.objects.filter(user=user).exists()
        KnownAddress.objects.get_or_create(user=user, ip_address=ip)
        if has_history:
            events.record_security_event(
                events.NEW_ADDRESS_PRIVILEGED,
                user=user,
                ip=ip,
                details={"roles": sorted(role_names(user))},
            )
    except Exception:
        logger.warning("new address detector unavailable", exc_info=True)

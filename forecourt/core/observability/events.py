"""Security events: `record_security_event(kind, user=..., ip=..., details=...)`.

Stores the event (searchable at /system/security-events/), counts it in metrics,
logs it, and raises an alert (deduplicated per kind and subject). Never raises:
a monitoring hiccup must not break a sign-in or a request.
"""

from __future__ import annotations

from typing import Any

import structlog

from forecourt.core.observability import metrics
from forecourt.core.observability.alerts import send_alert
from forecourt.core.observability.redaction import redact
from forecourt.core.request_context import current_client_ip, current_request_id

# Event kinds raised by the detectors (others may record their own kinds too).
LOGIN_FAILURES_ACCOUNT = "login_failures_account"
LOGIN_FAILURES_IP = "login_failures_ip"
NEW_ADDRESS_PRIVILEGED = "new_address_privileged_login"
CLIENT_ERROR_BURST = "client_error_burst"
INJECTION_ATTEMPT = "injection_attempt"
BULK_READ = "bulk_read"
OUTSIDE_BUSINESS_HOURS = "outside_business_hours"

KIND_LEVELS: dict[str, str] = {
    LOGIN_FAILURES_ACCOUNT: "warning",
    LOGIN_FAILURES_IP: "error",
    NEW_ADDRESS_PRIVILEGED: "warning",
    CLIENT_ERROR_BURST: "warning",
    INJECTION_ATTEMPT: "warning",
    BULK_READ: "error",
    OUTSIDE_BUSINESS_HOURS: "info",
}

logger = structlog.get_logger("forecourt.security")


def record_security_event(
    kind: str,
    *,
    user: Any = None,
    ip: str | None = None,
    details: dict[str, Any] | None = None,
    level: str | None = None,
) -> None:
    """Store, count, log and alert one security event."""
    from forecourt.core.observability.models import SecurityEvent

    level = level or KIND_LEVELS.get(kind, "warning")
    ip = ip or current_client_ip()
    is_user = bool(getattr(user, "is_authenticated", False) and getattr(user, "pk", None))
    user_label = str(getattr(user, "email", "") or "") if is_user else ""
    clean = redact(dict(details or {}))
    try:
        event = SecurityEvent.objects.create(
            kind=kind[:64],
            level=level,
            user=user if is_user else None,
            user_label=user_label,
            ip_address=ip,
            request_id=current_request_id(),
            details=clean,
        )
    except Exception:
        logger.exception("security event could not be stored", kind=kind)
        event = None
    metrics.security_event(kind)
    logger.warning(
        "security event",
        kind=kind,
        event_id=getattr(event, "pk", None),
        user_id=getattr(user, "pk", None) if is_user else None,
        client_ip=ip,
        details=clean,
    )
    subject = f"user:{user.pk}" if is_user else f"ip:{ip or '-'}"
    send_alert(
        level,
        f"Security event: {kind.replace('_', ' ')}",
        {"kind": kind, "user_id": user.pk if is_user else None, "client_ip": ip, **clean},
        dedup_key=f"security:{kind}:{subject}",
    )


def note_bulk_read(user: Any, kind: str, count: int) -> None:
    """Report that `user` read or exported `count` records of `kind` (see detectors.py)."""
    from forecourt.core.observability.detectors import note_bulk_read as count_bulk_read

    count_bulk_read(user, kind, count)

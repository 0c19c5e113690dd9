"""EMAIL_URL -> Django's MAILERS setting (read by forecourt/settings.py)."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

CONSOLE = "django.core.mail.backends.console.EmailBackend"
REDACTING_CONSOLE = "forecourt.core.security.mail_backends.LinkRedactingConsoleBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def mailers(email_url: str | None, *, redact_links: bool = False) -> dict[str, dict[str, Any]]:
    """console:// (default) prints mail; smtp:// uses STARTTLS, smtps:// implicit TLS.

    `redact_links` (production's console opt-out) prints mail without one-time link tokens."""
    parts = urlsplit(email_url or "console://")
    if parts.scheme == "console":
        return {"default": {"BACKEND": REDACTING_CONSOLE if redact_links else CONSOLE}}
    secure = parts.scheme == "smtps"
    options = {
        "host": parts.hostname or "localhost",
        "port": parts.port or (465 if secure else 587),
        "username": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "use_ssl": secure,
        "use_tls": not secure,
        "timeout": 10,
    }
    return {"default": {"BACKEND": SMTP, "OPTIONS": options}}

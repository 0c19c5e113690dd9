"""The console mail backend a production install without a mail transport uses.

Production refuses to start without EMAIL_URL unless UNSAFE_CONSOLE_EMAIL_IN_PRODUCTION is set
(core/config/site.py). With that opt-out, mail is printed to the server log like Django's
console backend, but with the token of every one-time link (password reset, invitation)
removed: a log line must never be a working credential.
"""

from __future__ import annotations

from typing import Any

from django.core.mail.backends.console import EmailBackend as ConsoleBackend

from forecourt.core.observability.redaction import redact_links


class LinkRedactingConsoleBackend(ConsoleBackend):
    def write_message(self, message: Any) -> None:
        parts = [
            f"Subject: {message.subject}",
            f"From: {message.from_email}",
            f"To: {', '.join(message.to)}",
            "",
            redact_links(str(message.body)),
        ]
        for content, _mimetype in getattr(message, "alternatives", []):
            parts += ["", redact_links(str(content))]
        self.stream.write("\n".join(parts) + "\n" + "-" * 79 + "\n")

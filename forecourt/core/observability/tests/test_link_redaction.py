"""No log line carries a password-reset or invitation token (issue 19, finding 2)."""

from __future__ import annotations

import io
import logging
import re

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.test import Client

from forecourt.core.observability.redaction import REDACTED, redact_text
from forecourt.core.security.mail_backends import LinkRedactingConsoleBackend

pytestmark = pytest.mark.django_db

RESET_LINK = "https://dms.example.com/security/password-reset/MQ/cz7k1a-4f2c9e0b1d7a6c5e3b2a/"


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        (f"Reset it at {RESET_LINK} within an hour", "cz7k1a-4f2c9e0b1d7a6c5e3b2a"),
        ("GET /security/password-reset/MQ/cz7k1a-4f2c9e0b1d7a6c5e3b2a/", "cz7k1a-4f2c9e0b"),
        ("/accounts/invitations/q8Zx-Invite_Token.9/", "q8Zx-Invite_Token.9"),
        ("https://x.test/invite/q8Zx-Invite_Token.9?next=/", "q8Zx-Invite_Token.9"),
        ("/invitations/accept/q8Zx-Invite_Token.9/", "q8Zx-Invite_Token.9"),
    ],
)
def test_one_time_link_tokens_are_redacted(text, secret):
    redacted = redact_text(text)
    assert secret not in redacted
    assert REDACTED in redacted


def test_links_without_tokens_stay_readable():
    for path in (
        "/security/password-reset/",
        "/security/password-reset/sent/",
        "/security/password-reset/MQ/set-password/",
    ):
        assert redact_text(path) == path


def test_a_reset_request_and_the_link_click_log_no_token(owner, log_output, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    client = Client()
    client.post("/security/password-reset/", {"email": owner.email})
    [message] = mail.outbox
    link = re.search(r"https?://\S+/password-reset/\S+/\S+/", message.body)
    assert link is not None
    token = link.group(0).rstrip("/").rsplit("/", 1)[1]
    logging.getLogger("forecourt.test").info("user followed %s", link.group(0))
    client.get(link.group(0).split("testserver", 1)[1])  # the access log line of the click
    output = log_output.text
    assert "password-reset" in output
    assert token not in output


def test_console_mail_in_production_prints_no_working_link():
    stream = io.StringIO()
    backend = LinkRedactingConsoleBackend(stream=stream)
    message = EmailMessage("Reset your password", f"Open {RESET_LINK}\n", "a@x.test", ["b@x.test"])
    backend.send_messages([message])
    printed = stream.getvalue()
    assert "Reset your password" in printed
    assert "/security/password-reset/MQ/" + REDACTED in printed
    assert "cz7k1a" not in printed

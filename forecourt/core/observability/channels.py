"""Alert channels: Slack-compatible webhook, signed JSON webhook, email.

Each sender raises on failure (the task retries it) and returns nothing on success.
Plain urllib with a timeout: one POST needs no HTTP library.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import orjson
from django.conf import settings
from django.core.mail import send_mail

from forecourt import __version__
from forecourt.core.observability.conf import MonitoringSettings

SIGNATURE_HEADER = "X-Forecourt-Signature"
TIMESTAMP_HEADER = "X-Forecourt-Timestamp"
LEVEL_EMOJI = {"info": ":information_source:", "warning": ":warning:", "error": ":x:"}


class DeliveryError(Exception):
    """A channel did not accept the alert."""


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over "<timestamp>.<body>", hex, prefixed "sha256=" (as receivers expect)."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def _post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> None:
    if not url.startswith(("https://", "http://")):
        raise DeliveryError("webhook URL must be http(s)")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above  # nosec B310
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": f"Forecourt/{__version__}",
            **headers,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310  # nosec B310
            status = response.status
    except urllib.error.HTTPError as error:
        raise DeliveryError(f"HTTP {error.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise DeliveryError(f"{type(error).__name__}: {reason}") from None
    if not 200 <= status < 300:
        raise DeliveryError(f"HTTP {status}")


def alert_payload(alert: dict[str, Any]) -> dict[str, Any]:
    return {
        "source": "forecourt",
        "version": __version__,
        "id": alert["id"],
        "level": alert["level"],
        "title": alert["title"],
        "details": alert["details"],
        "request_id": alert["request_id"],
        "created_at": alert["created_at"],
        "dedup_key": alert["dedup_key"],
    }


def send_slack(alert: dict[str, Any], conf: MonitoringSettings) -> None:
    lines = [f"{LEVEL_EMOJI.get(alert['level'], ':rotating_light:')} *{alert['title']}*"]
    lines += [f"• {key}: {value}" for key, value in alert["details"].items()]
    if alert["request_id"]:
        lines.append(f"request id: `{alert['request_id']}`")
    body = orjson.dumps({"text": "\n".join(lines)})
    _post(conf.alert_slack_webhook_url, body, {}, conf.alert_timeout_seconds)


def send_webhook(alert: dict[str, Any], conf: MonitoringSettings) -> None:
    body = orjson.dumps(alert_payload(alert), option=orjson.OPT_SORT_KEYS)
    timestamp = str(int(time.time()))
    headers = {TIMESTAMP_HEADER: timestamp}
    if conf.alert_webhook_secret:
        headers[SIGNATURE_HEADER] = sign(conf.alert_webhook_secret, timestamp, body)
    _post(conf.alert_webhook_url, body, headers, conf.alert_timeout_seconds)


def send_email(alert: dict[str, Any], conf: MonitoringSettings) -> None:
    details = "\n".join(f"{key}: {value}" for key, value in alert["details"].items())
    body = (
        f"{alert['title']}\n\nLevel: {alert['level']}\nRequest id: {alert['request_id'] or '-'}\n"
        f"Time: {alert['created_at']}\n\n{details}\n"
    )
    sent = send_mail(
        subject=f"[Forecourt {alert['level']}] {alert['title']}"[:200],
        message=body,
        from_email=getattr(settings, "DEFAULT_FROM_EMAIL", None),
        recipient_list=list(conf.alert_email_to),
        fail_silently=False,
    )
    if not sent:
        raise DeliveryError("the mail backend accepted no message")


Sender = Callable[[dict[str, Any], MonitoringSettings], None]
SENDERS: dict[str, Sender] = {"slack": send_slack, "webhook": send_webhook, "email": send_email}


def configured_channels(conf: MonitoringSettings) -> list[str]:
    enabled = {
        "slack": bool(conf.alert_slack_webhook_url),
        "webhook": bool(conf.alert_webhook_url),
        "email": bool(conf.alert_email_to),
    }
    return [name for name, on in enabled.items() if on]

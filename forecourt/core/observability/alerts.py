"""The alert service: `send_alert(level, title, details, dedup_key=...)`.

Callable from anywhere (requests, tasks, commands): it never blocks and never raises.
It drops repeats of the same alert within ALERT_DEDUP_SECONDS (counted in the shared
store, so across every process), then enqueues a task on the "alerts" queue. The task
stores the alert and sends it through each configured channel independently, retrying
each with backoff, so one failing channel never loses the alert for the others.
"""

from __future__ import annotations

import hashlib
import time
from datetime import timedelta
from typing import Any

import orjson
import structlog
from django.db import transaction
from django.tasks import task, task_backends
from django.utils import timezone

from forecourt.core.observability import metrics, store
from forecourt.core.observability.channels import SENDERS, configured_channels
from forecourt.core.observability.conf import MonitoringSettings, monitoring
from forecourt.core.observability.redaction import redact
from forecourt.core.request_context import current_request_id

LEVELS = ("info", "warning", "error", "critical")
# After the in-task retries, a failed delivery is tried again later this many times.
DEFERRED_ROUNDS = 3
DEFERRED_DELAY = timedelta(minutes=2)

logger = structlog.get_logger("forecourt.alerts")


def _jsonable(details: dict[str, object]) -> dict[str, Any]:
    return dict(orjson.loads(orjson.dumps(details, default=str)))


def fingerprint(level: str, title: str, details: dict[str, Any]) -> str:
    canonical = orjson.dumps([level, title, details], option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(canonical).hexdigest()[:40]


def send_alert(
    level: str,
    title: str,
    details: dict[str, object] | None = None,
    *,
    dedup_key: str | None = None,
) -> None:
    """Raise an alert (info, warning, error, critical); delivery happens in a task."""
    if level not in LEVELS:
        raise ValueError(f"alert level must be one of {', '.join(LEVELS)} (got {level!r})")
    try:
        clean = redact(_jsonable(details or {}))
        key = (dedup_key or fingerprint(level, title, clean))[:128]
        conf = monitoring()
        try:
            first = store.add_once(f"alert:{key}", conf.alert_dedup_seconds)
        except Exception:
            logger.warning("alert dedup store unavailable; sending anyway", exc_info=True)
            first = True
        if not first:
            metrics.alert_deduplicated(level)
            logger.info("alert deduplicated", alert_level=level, title=title, dedup_key=key)
            return
        deliver_alert.enqueue(
            level=level,
            title=title[:200],
            details=clean,
            dedup_key=key,
            request_id=current_request_id(),
        )
    except Exception:
        # The alert service must never break the caller; the log line is the fallback.
        logger.exception("alert could not be enqueued", alert_level=level, title=title)


def _should_send(level: str, conf: MonitoringSettings) -> bool:
    return LEVELS.index(level) >= LEVELS.index(conf.alert_min_level)


@task(queue_name="alerts")
def deliver_alert(
    level: str, title: str, details: dict[str, Any], dedup_key: str, request_id: str = ""
) -> int:
    """Store the alert and send it through every configured channel; returns the alert id."""
    from forecourt.core.observability.models import Alert, AlertDelivery

    conf = monitoring()
    alert = Alert.objects.create(
        level=level, title=title, details=details, dedup_key=dedup_key, request_id=request_id
    )
    metrics.alert_raised(level)
    logger.warning("alert raised", alert_id=alert.pk, alert_level=level, title=title)
    if not _should_send(level, conf):
        return alert.pk
    for channel in configured_channels(conf):
        delivery = AlertDelivery.objects.create(alert=alert, channel=channel)
        _deliver(delivery, conf)
    return alert.pk


@task(queue_name="alerts")
def retry_alert_delivery(delivery_id: int, round_number: int) -> str:
    """A later round of retries for a delivery that failed all of its in-task attempts."""
    from forecourt.core.observability.models import AlertDelivery

    delivery = AlertDelivery.objects.select_related("alert").get(pk=delivery_id)
    if delivery.status == AlertDelivery.Status.SENT:
        return delivery.status
    return _deliver(delivery, monitoring(), round_number=round_number)


def alert_as_dict(alert: Any) -> dict[str, Any]:
    return {
        "id": alert.pk,
        "level": alert.level,
        "title": alert.title,
        "details": alert.details,
        "request_id": alert.request_id,
        "created_at": alert.created_at.isoformat(),
        "dedup_key": alert.dedup_key,
    }


def _deliver(delivery: Any, conf: MonitoringSettings, *, round_number: int = 0) -> str:
    """Try one channel up to ALERT_RETRY_ATTEMPTS times; never raises."""
    from forecourt.core.observability.models import AlertDelivery

    payload = alert_as_dict(delivery.alert)
    sender = SENDERS[delivery.channel]
    for attempt in range(conf.alert_retry_attempts):
        if attempt:
            time.sleep(conf.alert_retry_backoff_seconds * 2 ** (attempt - 1))
        delivery.attempts += 1
        try:
            sender(payload, conf)
        except Exception as error:
            delivery.last_error = f"{type(error).__name__}: {error}"[:500]
            logger.warning(
                "alert delivery failed",
                alert_id=delivery.alert_id,
                channel=delivery.channel,
                attempt=delivery.attempts,
                error=delivery.last_error,
            )
        else:
            delivery.status = AlertDelivery.Status.SENT
            delivery.last_error = ""
            break
    else:
        delivery.status = AlertDelivery.Status.FAILED
    delivery.updated_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "last_error", "updated_at"])
    metrics.alert_delivered(delivery.channel, delivery.status)
    if delivery.status == AlertDelivery.Status.FAILED:
        _schedule_later_round(delivery, round_number)
    return str(delivery.status)


def _schedule_later_round(delivery: Any, round_number: int) -> None:
    backend = task_backends[retry_alert_delivery.backend]
    if not backend.supports_defer or round_number >= DEFERRED_ROUNDS:
        logger.error(
            "alert delivery gave up",
            alert_id=delivery.alert_id,
            channel=delivery.channel,
            attempts=delivery.attempts,
        )
        return
    run_after = timezone.now() + DEFERRED_DELAY * 2**round_number

    def enqueue() -> None:
        retry_alert_delivery.using(run_after=run_after).enqueue(
            delivery_id=delivery.pk, round_number=round_number + 1
        )

    transaction.on_commit(enqueue)


def alert_unhealthy(results: dict[str, dict[str, object]]) -> None:
    """A readiness probe failed: one alert per set of failing checks (deduplicated)."""
    failing = sorted(name for name, result in results.items() if result["status"] != "ok")
    send_alert(
        "critical" if {"database", "migrations"} & set(failing) else "error",
        f"Readiness check failed: {', '.join(failing)}",
        {name: results[name].get("error", "") for name in failing},
        dedup_key=f"health:{','.join(failing)}",
    )

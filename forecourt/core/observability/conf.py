"""Monitoring settings in one typed object: `settings.MONITORING`, built from the config.

Tests replace single values with `dataclasses.replace(settings.MONITORING, ...)`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from forecourt.core.config import ForecourtConfig

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class BusinessHours:
    opens: dt.time
    closes: dt.time
    days: frozenset[int]  # 0 = Monday

    def contains(self, moment: dt.datetime) -> bool:
        return moment.weekday() in self.days and self.opens <= moment.time() < self.closes


def parse_business_hours(hours: str, days: str) -> BusinessHours | None:
    """'07:00-21:00' and 'mon,tue,...' -> BusinessHours; '' -> None (detector off)."""
    if not hours.strip():
        return None
    try:
        opens_text, closes_text = hours.split("-")
        opens = dt.time.fromisoformat(opens_text.strip())
        closes = dt.time.fromisoformat(closes_text.strip())
    except ValueError:
        raise ValueError(f"{hours!r} is not a range like 07:00-21:00") from None
    if opens >= closes:
        raise ValueError(f"{hours!r}: opening must be before closing")
    names = [d.strip().lower()[:3] for d in days.split(",") if d.strip()]
    unknown = [n for n in names if n not in WEEKDAYS]
    if unknown or not names:
        raise ValueError(f"{days!r} must list days like mon,tue,wed,thu,fri,sat")
    return BusinessHours(opens, closes, frozenset(WEEKDAYS.index(n) for n in names))


@dataclass(frozen=True)
class MonitoringSettings:
    slow_request_ms: int = 1000
    slow_query_ms: int = 200
    metrics_token: str = ""
    metrics_allowed_ips: tuple[str, ...] = ()
    alert_min_level: str = "warning"
    alert_slack_webhook_url: str = ""
    alert_webhook_url: str = ""
    alert_webhook_secret: str = ""
    alert_email_to: tuple[str, ...] = ()
    alert_dedup_seconds: int = 900
    alert_timeout_seconds: float = 5.0
    alert_retry_attempts: int = 3
    alert_retry_backoff_seconds: float = 2.0
    login_failures_per_account: int = 5
    login_failures_per_ip: int = 20
    login_failure_window_seconds: int = 900
    client_error_burst: int = 30
    client_error_window_seconds: int = 60
    bulk_read_records: int = 500
    bulk_read_window_seconds: int = 600
    business_hours: BusinessHours | None = None
    worker_heartbeat_max_age_seconds: int = 120
    backup_max_age_hours: int = 26
    disk_free_min_percent: float = 10.0
    rss_warn_mb: int = 1024
    cpu_warn_percent: float = 90.0
    open_fds_warn: int = 800
    db_connections_warn: int = 80


def monitoring_from_config(config: ForecourtConfig) -> MonitoringSettings:
    return MonitoringSettings(
        slow_request_ms=config.slow_request_ms,
        slow_query_ms=config.slow_query_ms,
        metrics_token=config.metrics_token.get_secret_value() if config.metrics_token else "",
        metrics_allowed_ips=tuple(config.metrics_allowed_ips),
        alert_min_level=config.alert_min_level,
        alert_slack_webhook_url=(
            config.alert_slack_webhook_url.get_secret_value()
            if config.alert_slack_webhook_url
            else ""
        ),
        alert_webhook_url=config.alert_webhook_url or "",
        alert_webhook_secret=(
            config.alert_webhook_secret.get_secret_value() if config.alert_webhook_secret else ""
        ),
        alert_email_to=tuple(config.alert_email_to),
        alert_dedup_seconds=config.alert_dedup_seconds,
        alert_timeout_seconds=config.alert_timeout_seconds,
        alert_retry_attempts=config.alert_retry_attempts,
        alert_retry_backoff_seconds=config.alert_retry_backoff_seconds,
        login_failures_per_account=config.detect_login_failures_per_account,
        login_failures_per_ip=config.detect_login_failures_per_ip,
        login_failure_window_seconds=config.detect_login_failure_window_seconds,
        client_error_burst=config.detect_client_error_burst,
        client_error_window_seconds=config.detect_client_error_window_seconds,
        bulk_read_records=config.detect_bulk_read_records,
        bulk_read_window_seconds=config.detect_bulk_read_window_seconds,
        business_hours=parse_business_hours(config.business_hours, config.business_days),
        worker_heartbeat_max_age_seconds=config.worker_heartbeat_max_age_seconds,
        backup_max_age_hours=config.backup_max_age_hours,
        disk_free_min_percent=config.disk_free_min_percent,
        rss_warn_mb=config.resource_rss_warn_mb,
        cpu_warn_percent=config.resource_cpu_warn_percent,
        open_fds_warn=config.resource_open_fds_warn,
        db_connections_warn=config.resource_db_connections_warn,
    )


def monitoring() -> MonitoringSettings:
    from django.conf import settings

    value = getattr(settings, "MONITORING", None)
    return value if isinstance(value, MonitoringSettings) else MonitoringSettings()

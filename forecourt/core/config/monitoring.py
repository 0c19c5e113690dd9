"""Monitoring and alerting (docs/monitoring.md)."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationInfo, field_validator

from forecourt.core.config.base import CommaList, EnvironmentSettings, split_commas
from forecourt.core.observability.conf import parse_business_hours


class MonitoringSettings(EnvironmentSettings):
    slow_request_ms: int = Field(
        default=1000,
        ge=1,
        description="A request slower than this (ms) logs a warning.",
        examples=["1000"],
    )

    slow_query_ms: int = Field(
        default=200,
        ge=1,
        description="A database query slower than this (ms) logs a warning.",
        examples=["200"],
    )

    metrics_token: SecretStr | None = Field(
        default=None,
        description="Bearer token Prometheus sends to scrape /metrics (or METRICS_ALLOWED_IPS).",
        examples=["<output of: python -c 'import secrets; print(secrets.token_urlsafe(32))'>"],
    )

    metrics_allowed_ips: CommaList = Field(
        default_factory=list,
        description="Comma-separated IPs or networks that may read /metrics without a token.",
        examples=["10.0.0.5,192.168.1.0/24"],
    )

    prometheus_multiproc_dir: Path | None = Field(
        default=None,
        validation_alias="PROMETHEUS_MULTIPROC_DIR",
        description="Empty folder shared by every app worker for metrics (multiprocess mode);"
        " `forecourt serve` empties it at start.",
        examples=["/run/forecourt/metrics"],
    )

    alert_min_level: Literal["info", "warning", "error", "critical"] = Field(
        default="warning",
        description="Alerts below this level are recorded but not sent to any channel.",
        examples=["warning"],
    )

    alert_slack_webhook_url: SecretStr | None = Field(
        default=None,
        description="Slack-compatible incoming webhook URL for alerts.",
        examples=["https://hooks.slack.com/services/T000/B000/XXXX"],
    )

    alert_webhook_url: str | None = Field(
        default=None,
        description="Generic JSON webhook for alerts (body signed with ALERT_WEBHOOK_SECRET).",
        examples=["https://ops.example-motors.com/hooks/forecourt"],
    )

    alert_webhook_secret: SecretStr | None = Field(
        default=None,
        description="HMAC-SHA256 key; the signature goes in the X-Forecourt-Signature header.",
        examples=["<output of: python -c 'import secrets; print(secrets.token_urlsafe(32))'>"],
    )

    alert_email_to: CommaList = Field(
        default_factory=list,
        description="Comma-separated addresses that receive alerts by email.",
        examples=["ops@example-motors.com"],
    )

    alert_dedup_seconds: int = Field(
        default=900,
        ge=0,
        description="Identical alerts within this many seconds are sent once.",
        examples=["900"],
    )

    alert_timeout_seconds: float = Field(
        default=5.0,
        gt=0,
        le=60,
        description="Seconds to wait for an alert channel to answer.",
        examples=["5"],
    )

    alert_retry_attempts: int = Field(
        default=3,
        ge=1,
        le=10,
        description="Tries per alert channel before it counts as failed.",
        examples=["3"],
    )

    alert_retry_backoff_seconds: float = Field(
        default=2.0,
        ge=0,
        le=60,
        description="Wait before the first retry of a channel; doubles on each further retry.",
        examples=["2"],
    )

    detect_login_failures_per_account: int = Field(
        default=5,
        ge=1,
        description="Failed sign-ins on one account within the window: event.",
        examples=["5"],
    )

    detect_login_failures_per_ip: int = Field(
        default=20,
        ge=1,
        description="Failed sign-ins from one IP within the window: event.",
        examples=["20"],
    )

    detect_login_failure_window_seconds: int = Field(
        default=900, ge=1, description="Window for counting failed sign-ins.", examples=["900"]
    )

    detect_client_error_burst: int = Field(
        default=30,
        ge=1,
        description="403/404 answers to one client within the window: event.",
        examples=["30"],
    )

    detect_client_error_window_seconds: int = Field(
        default=60, ge=1, description="Window for counting 403/404 answers.", examples=["60"]
    )

    detect_bulk_read_records: int = Field(
        default=500,
        ge=1,
        description="Customer records one user reads or exports in the window"
        " before it is an event.",
        examples=["500"],
    )

    detect_bulk_read_window_seconds: int = Field(
        default=600,
        ge=1,
        description="Window for counting customer records read.",
        examples=["600"],
    )

    business_hours: str = Field(
        default="",
        description="Opening hours (TIME_ZONE) like 07:00-21:00; non-admin access outside them is"
        " an event. Empty: off.",
        examples=["07:00-21:00"],
    )

    business_days: str = Field(
        default="mon,tue,wed,thu,fri,sat",
        description="Days BUSINESS_HOURS apply to; other days are outside business hours.",
        examples=["mon,tue,wed,thu,fri,sat"],
    )

    worker_heartbeat_max_age_seconds: int = Field(
        default=120,
        ge=5,
        description="Readiness fails when no task worker beat more recently.",
        examples=["120"],
    )

    backup_max_age_hours: int = Field(
        default=26,
        ge=1,
        description="Readiness fails when the last good backup is older.",
        examples=["26"],
    )

    disk_free_min_percent: float = Field(
        default=10.0,
        ge=0,
        le=100,
        description="Readiness fails (and an alert goes out) below this free space on data dirs.",
        examples=["10"],
    )

    resource_rss_warn_mb: int = Field(
        default=1024,
        ge=1,
        description="Alert when one process's memory (RSS) exceeds this.",
        examples=["1024"],
    )

    resource_cpu_warn_percent: float = Field(
        default=90.0,
        gt=0,
        description="Alert when one process's CPU use exceeds this percent.",
        examples=["90"],
    )

    resource_open_fds_warn: int = Field(
        default=800,
        ge=1,
        description="Alert when one process has more open files than this.",
        examples=["800"],
    )

    resource_db_connections_warn: int = Field(
        default=80,
        ge=1,
        description="Alert when the database has more connections than this.",
        examples=["80"],
    )

    @field_validator("metrics_allowed_ips", "alert_email_to", mode="before")
    @classmethod
    def _monitoring_lists(cls, value: Any) -> Any:
        return split_commas(value)

    @field_validator("metrics_allowed_ips")
    @classmethod
    def _metrics_networks(cls, value: list[str]) -> list[str]:
        for item in value:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"{item!r} is not an IP address or network") from None
        return value

    @field_validator("business_hours")
    @classmethod
    def _business_hours(cls, value: str) -> str:
        parse_business_hours(value, "mon")
        return value

    @field_validator("business_days")
    @classmethod
    def _business_days(cls, value: str, info: ValidationInfo) -> str:
        parse_business_hours(info.data.get("business_hours") or "00:00-23:59", value)
        return value

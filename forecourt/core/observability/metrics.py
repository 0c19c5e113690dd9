"""Prometheus metrics. Other apps call these functions; they never raise and cost microseconds:

    from forecourt.core.observability import metrics
    metrics.login_failed()                 # a failed sign-in (any reason)
    metrics.rate_limit_rejected("auth")    # a request refused by the rate limiter, per tier
    metrics.security_event("lockout")      # counted by record_security_event already
    metrics.business_event("deal_closed")  # any countable business happening

Gauges read from the database (queue depth, vehicles by status, deals today, worker
heartbeat age, disk free, last backup age) are computed when /metrics is scraped.

Multiprocess mode: with several app workers set PROMETHEUS_MULTIPROC_DIR to an empty
folder (wiped at every service start: `forecourt serve` does it) in the environment of every
process — app and task workers. Each process then writes its counters to files there and a
scrape sums them. Under gunicorn, call `mark_process_dead(pid)` from its `child_exit` hook
(forecourt/gunicorn_conf.py; see docs/monitoring.md).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from forecourt import __version__

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

HTTP_REQUESTS = Counter(
    "forecourt_http_requests_total", "HTTP requests answered.", ["method", "route", "status"]
)
HTTP_LATENCY = Histogram(
    "forecourt_http_request_duration_seconds",
    "Time to answer an HTTP request.",
    ["route", "status"],
    buckets=LATENCY_BUCKETS,
)
DB_QUERIES = Counter("forecourt_db_queries_total", "Database queries run by requests.", ["route"])
DB_TIME = Counter(
    "forecourt_db_query_seconds_total", "Time spent in database queries by requests.", ["route"]
)
SLOW_REQUESTS = Counter(
    "forecourt_slow_requests_total", "Requests slower than SLOW_REQUEST_MS.", ["route"]
)
SLOW_QUERIES = Counter(
    "forecourt_slow_queries_total", "Database queries slower than SLOW_QUERY_MS.", ["route"]
)
EXCEPTIONS = Counter(
    "forecourt_unhandled_exceptions_total",
    "Requests that raised an unhandled exception.",
    ["route"],
)
TASKS = Counter("forecourt_tasks_total", "Background tasks finished.", ["task", "status"])
TASK_LATENCY = Histogram(
    "forecourt_task_duration_seconds",
    "Time a background task ran.",
    ["task"],
    buckets=LATENCY_BUCKETS,
)
LOGIN_FAILURES = Counter("forecourt_login_failures_total", "Failed sign-in attempts.")
RATE_LIMITED = Counter(
    "forecourt_rate_limit_rejections_total", "Requests refused by the rate limiter.", ["tier"]
)
SECURITY_EVENTS = Counter("forecourt_security_events_total", "Security events recorded.", ["kind"])
ALERTS = Counter("forecourt_alerts_total", "Alerts raised (after deduplication).", ["level"])
ALERTS_DEDUPLICATED = Counter(
    "forecourt_alerts_deduplicated_total", "Alerts dropped as repeats within the window.", ["level"]
)
ALERT_DELIVERIES = Counter(
    "forecourt_alert_deliveries_total",
    "Alert deliveries per channel and outcome.",
    ["channel", "status"],
)
BUSINESS_EVENTS = Counter("forecourt_business_events_total", "Business happenings.", ["event"])
# Per process; "liveall" keeps one series per live process and drops dead ones.
PROCESS_RSS = Gauge(
    "forecourt_process_resident_memory_bytes",
    "Resident memory of the process.",
    multiprocess_mode="liveall",
)
PROCESS_CPU = Gauge(
    "forecourt_process_cpu_percent",
    "CPU use of the process since its last sample.",
    multiprocess_mode="liveall",
)
PROCESS_FDS = Gauge(
    "forecourt_process_open_fds",
    "Open file descriptors of the process.",
    multiprocess_mode="liveall",
)
PROCESS_CPU_SECONDS = Gauge(
    "forecourt_process_cpu_seconds",
    "CPU seconds used by the process (user + system).",
    multiprocess_mode="liveall",
)


def _safe(fn: Any, *args: Any) -> None:
    # A metric must never break the caller.
    with contextlib.suppress(Exception):
        fn(*args)


def login_failed() -> None:
    _safe(LOGIN_FAILURES.inc)


def rate_limit_rejected(tier: str) -> None:
    _safe(lambda: RATE_LIMITED.labels(tier=tier).inc())


def security_event(kind: str) -> None:
    _safe(lambda: SECURITY_EVENTS.labels(kind=kind).inc())


def business_event(event: str) -> None:
    _safe(lambda: BUSINESS_EVENTS.labels(event=event).inc())


def alert_raised(level: str) -> None:
    _safe(lambda: ALERTS.labels(level=level).inc())


def alert_deduplicated(level: str) -> None:
    _safe(lambda: ALERTS_DEDUPLICATED.labels(level=level).inc())


def alert_delivered(channel: str, status: str) -> None:
    _safe(lambda: ALERT_DELIVERIES.labels(channel=channel, status=status).inc())


def task_finished(task_path: str, status: str, seconds: float | None) -> None:
    def observe() -> None:
        TASKS.labels(task=task_path, status=status).inc()
        if seconds is not None:
            TASK_LATENCY.labels(task=task_path).observe(seconds)

    _safe(observe)


def request_observed(
    method: str, route: str, status: int, seconds: float, queries: int, query_seconds: float
) -> None:
    def observe() -> None:
        HTTP_REQUESTS.labels(method=method, route=route, status=str(status)).inc()
        HTTP_LATENCY.labels(route=route, status=str(status)).observe(seconds)
        if queries:
            DB_QUERIES.labels(route=route).inc(queries)
            DB_TIME.labels(route=route).inc(query_seconds)

    _safe(observe)


def process_sampled(rss_bytes: int, cpu_percent: float, open_fds: int, cpu_seconds: float) -> None:
    def observe() -> None:
        PROCESS_RSS.set(rss_bytes)
        PROCESS_CPU.set(cpu_percent)
        PROCESS_FDS.set(open_fds)
        PROCESS_CPU_SECONDS.set(cpu_seconds)

    _safe(observe)


class ScrapeTimeCollector(Collector):
    """Gauges that come from the database and the disks, computed at scrape time."""

    def collect(self) -> Iterator[Metric]:
        from forecourt.core.observability import status

        info = GaugeMetricFamily("forecourt_build_info", "Forecourt version.", labels=["version"])
        info.add_metric([__version__], 1)
        yield info
        yield from _families(status.scrape_gauges())


def _families(gauges: Iterable[tuple[str, str, dict[str, str], float]]) -> Iterator[Metric]:
    families: dict[str, GaugeMetricFamily] = {}
    for name, help_text, labels, value in gauges:
        family = families.get(name)
        if family is None:
            family = families[name] = GaugeMetricFamily(name, help_text, labels=sorted(labels))
        family.add_metric([labels[k] for k in sorted(labels)], value)
    yield from families.values()


def exposition(multiproc_dir: str | None = None) -> tuple[bytes, str]:
    """The text Prometheus scrapes: every process's metrics when in multiprocess mode."""
    from prometheus_client import REGISTRY

    path = multiproc_dir or os.environ.get(MULTIPROC_ENV)
    if path:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=path)
        process_text = generate_latest(registry)
    else:
        process_text = generate_latest(REGISTRY)
    scraped = CollectorRegistry()
    scraped.register(ScrapeTimeCollector())
    return process_text + generate_latest(scraped), CONTENT_TYPE_LATEST


def mark_process_dead(pid: int) -> None:
    """gunicorn `child_exit` hook: drop the dead worker's live gauges."""
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.mark_process_dead(pid)


def wipe_multiproc_dir() -> None:
    """At server start (`forecourt serve`, gunicorn's `on_starting`): start from empty files
    (an earlier run's pids would linger and add up)."""
    path = os.environ.get(MULTIPROC_ENV)
    if path:
        Path(path).mkdir(parents=True, exist_ok=True)
        for stale in Path(path).glob("*.db"):
            stale.unlink(missing_ok=True)


def started_at() -> float:
    return _STARTED


_STARTED = time.time()

"""Resource monitoring: process memory, CPU, open files, database connections, disk free.

Web processes sample themselves at most every SELF_SAMPLE_SECONDS from the request
middleware (for the per-process metrics); the periodic `sample_resources` task (run by the
worker, triggered by its heartbeat) also checks thresholds, stores the sample for the status
page and raises alerts.
"""

from __future__ import annotations

import os
import shutil
import socket
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import psutil
import structlog
from django.conf import settings
from django.db import connection
from django.tasks import task
from django.utils import timezone

from forecourt.core.observability import metrics
from forecourt.core.observability.conf import MonitoringSettings, monitoring

SELF_SAMPLE_SECONDS = 15.0
logger = structlog.get_logger("forecourt.resources")

_process = psutil.Process()
_last_self_sample = 0.0


def process_sample() -> dict[str, Any]:
    """This process's RSS, CPU % since the previous call, open fds and CPU seconds."""
    with _process.oneshot():
        times = _process.cpu_times()
        return {
            "pid": _process.pid,
            "rss_bytes": _process.memory_info().rss,
            "cpu_percent": _process.cpu_percent(interval=None),
            "open_fds": _process.num_fds() if hasattr(_process, "num_fds") else 0,
            "cpu_seconds": times.user + times.system,
        }


def maybe_sample_self() -> None:
    """Refresh this process's gauges if the last sample is old (called per request)."""
    global _last_self_sample
    now = time.monotonic()
    if now - _last_self_sample < SELF_SAMPLE_SECONDS:
        return
    _last_self_sample = now
    try:
        sample = process_sample()
    except (psutil.Error, OSError):
        return
    metrics.process_sampled(
        sample["rss_bytes"], sample["cpu_percent"], sample["open_fds"], sample["cpu_seconds"]
    )


def data_folders() -> dict[str, Path]:
    """The folders whose disks must not fill up: media and backups."""
    from forecourt.core.config import get_config

    backup_dir = getattr(get_config(), "backup_dir", None) or Path(settings.DATA_DIR) / "backups"
    return {"media": Path(settings.MEDIA_ROOT), "backups": Path(backup_dir)}


def disk_free(path: Path) -> dict[str, Any]:
    """Free space of the disk holding `path` (or its nearest existing parent)."""
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    usage = shutil.disk_usage(probe)
    return {
        "path": str(path),
        "free_bytes": usage.free,
        "total_bytes": usage.total,
        "free_percent": round(usage.free * 100 / usage.total, 2) if usage.total else 0.0,
    }


def database_connections() -> int | None:
    """Connections open on the database server (PostgreSQL); None where not measurable."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        row = cursor.fetchone()
    return int(row[0]) if row else None


def threshold_breaches(sample: dict[str, Any], conf: MonitoringSettings) -> list[str]:
    breaches = []
    process = sample["process"]
    if process["rss_bytes"] > conf.rss_warn_mb * 1024 * 1024:
        breaches.append(f"memory {process['rss_bytes'] // (1024 * 1024)} MB > {conf.rss_warn_mb}")
    if process["cpu_percent"] > conf.cpu_warn_percent:
        breaches.append(f"cpu {process['cpu_percent']}% > {conf.cpu_warn_percent}%")
    if process["open_fds"] > conf.open_fds_warn:
        breaches.append(f"open files {process['open_fds']} > {conf.open_fds_warn}")
    connections = sample.get("db_connections")
    if connections is not None and connections > conf.db_connections_warn:
        breaches.append(f"database connections {connections} > {conf.db_connections_warn}")
    for name, disk in sample["disks"].items():
        if disk["free_percent"] < conf.disk_free_min_percent:
            breaches.append(
                f"disk of {name} {disk['free_percent']}% free < {conf.disk_free_min_percent}%"
            )
    return breaches


def collect_sample() -> dict[str, Any]:
    sample: dict[str, Any] = {"process": process_sample(), "disks": {}}
    for name, path in data_folders().items():
        sample["disks"][name] = disk_free(path)
    try:
        sample["db_connections"] = database_connections()
    except Exception as error:
        sample["db_connections"] = None
        sample["db_error"] = type(error).__name__
    return sample


@task(queue_name="maintenance")
def sample_resources() -> list[str]:
    """Sample, store for the status page, alert on thresholds; returns the breaches."""
    from forecourt.core.observability import store
    from forecourt.core.observability.alerts import send_alert
    from forecourt.core.observability.models import ResourceSample

    conf = monitoring()
    sample = collect_sample()
    process = sample["process"]
    metrics.process_sampled(
        process["rss_bytes"], process["cpu_percent"], process["open_fds"], process["cpu_seconds"]
    )
    ResourceSample.objects.update_or_create(
        source=f"{socket.gethostname()}:{os.getpid()}"[:200],
        defaults={"sampled_at": timezone.now(), "values": sample},
    )
    ResourceSample.objects.filter(sampled_at__lt=timezone.now() - timedelta(days=1)).delete()
    store.purge_expired()
    breaches = threshold_breaches(sample, conf)
    if breaches:
        kinds = ",".join(sorted(breach.split(" ")[0] for breach in breaches))
        logger.warning("resource thresholds exceeded", breaches=breaches)
        send_alert(
            "warning",
            "Resource thresholds exceeded",
            {"host": socket.gethostname(), "breaches": breaches},
            dedup_key=f"resources:{socket.gethostname()}:{kinds}",
        )
    return breaches

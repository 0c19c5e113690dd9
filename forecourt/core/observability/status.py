"""What the readiness probe, the status page and the metrics scrape read about the system:
task queue, worker heartbeat, disks, last backup, business gauges."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Min
from django.utils import timezone

from forecourt.core.observability.conf import monitoring
from forecourt.core.observability.heartbeat import last_worker_heartbeat
from forecourt.core.observability.resources import data_folders, disk_free

# The backups app may offer `last_successful_backup() -> datetime | None` in one of these.
BACKUP_HOOK_MODULES = ("forecourt.core.backups.status", "forecourt.core.backups.services")
Gauge = tuple[str, str, dict[str, str], float]


class CheckSkipped(Exception):
    """A check that does not apply here (reported as ok with the reason)."""


def uses_task_database() -> bool:
    return "DatabaseBackend" in settings.TASKS["default"]["BACKEND"]


def queue_depth() -> dict[str, dict[str, Any]]:
    """Ready tasks per queue and the age of the oldest (seconds)."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    rows = (
        DBTaskResult.objects.filter(status="READY")
        .values("queue_name")
        .annotate(count=Count("id"), oldest=Min("enqueued_at"))
    )
    return {
        row["queue_name"]: {
            "ready": row["count"],
            "oldest_age_seconds": (now - row["oldest"]).total_seconds() if row["oldest"] else 0.0,
        }
        for row in rows
    }


def task_outcomes_last_hour() -> dict[str, int]:
    from django_tasks_db.models import DBTaskResult

    since = timezone.now() - timedelta(hours=1)
    rows = (
        DBTaskResult.objects.filter(finished_at__gte=since)
        .values("status")
        .annotate(count=Count("id"))
    )
    return {row["status"]: row["count"] for row in rows}


def last_successful_backup() -> datetime | None:
    """From the backups app's hook when it offers one, else from its BackupRecord model.

    Raises CheckSkipped when backups are not part of this installation.
    """
    for module_name in BACKUP_HOOK_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        hook: Callable[[], datetime | None] | None = getattr(module, "last_successful_backup", None)
        if hook is not None:
            return hook()
    try:
        record = apps.get_model("backups", "BackupRecord")
    except LookupError:
        raise CheckSkipped("backups not configured") from None
    return (
        record.objects.filter(status="succeeded", finished_at__isnull=False)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )


# Readiness checks: raise on failure; a returned string is a note shown with "ok".
def check_task_queue() -> str | None:
    if not uses_task_database():
        return "tasks run in-process (no worker needed)"
    beat = last_worker_heartbeat()
    max_age = monitoring().worker_heartbeat_max_age_seconds
    if beat is None:
        if settings.FORECOURT_ENV != "production":
            return "no task worker seen yet (start one with `forecourt worker`)"
        raise RuntimeError("no task worker has ever reported a heartbeat")
    age = (timezone.now() - beat).total_seconds()
    if age > max_age:
        raise RuntimeError(f"last worker heartbeat {age:.0f}s ago (limit {max_age}s)")
    return f"worker heartbeat {age:.0f}s ago"


def check_disk_space() -> str | None:
    minimum = monitoring().disk_free_min_percent
    notes, low = [], []
    for name, path in data_folders().items():
        disk = disk_free(path)
        notes.append(f"{name} {disk['free_percent']}% free")
        if disk["free_percent"] < minimum:
            low.append(f"{name} ({disk['path']}) {disk['free_percent']}% free < {minimum}%")
    if low:
        raise RuntimeError("low disk space: " + "; ".join(low))
    return ", ".join(notes)


def check_backup_age() -> str | None:
    try:
        last = last_successful_backup()
    except CheckSkipped as skipped:
        return f"not configured ({skipped})"
    max_age = timedelta(hours=monitoring().backup_max_age_hours)
    if last is None:
        if settings.FORECOURT_ENV != "production":
            return "no successful backup yet"
        raise RuntimeError("no successful backup yet")
    age = timezone.now() - last
    if age > max_age:
        hours = age.total_seconds() / 3600
        raise RuntimeError(f"last successful backup {hours:.1f}h ago (limit {max_age})")
    return f"last successful backup {age.total_seconds() / 3600:.1f}h ago"


def readiness_checks() -> dict[str, Callable[[], str | None]]:
    return {
        "task_queue": check_task_queue,
        "disk_space": check_disk_space,
        "backup_age": check_backup_age,
    }


def _optional_model(label: str) -> Any:
    """A model of an app that may not be built yet (None until it is)."""
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def business_gauges() -> Iterator[Gauge]:
    """Vehicles by status and deals today, once those apps exist."""
    vehicle = _optional_model("inventory.Vehicle")
    if vehicle is not None and any(f.name == "status" for f in vehicle._meta.get_fields()):
        rows = vehicle._default_manager.values("status").annotate(count=Count("pk"))
        for row in rows:
            yield (
                "forecourt_vehicles",
                "Vehicles in inventory by status.",
                {"status": str(row["status"])},
                float(row["count"]),
            )
    deal = _optional_model("sales.Deal")
    if deal is not None:
        field_names = {f.name for f in deal._meta.get_fields()}
        when = next((n for n in ("closed_at", "created_at") if n in field_names), None)
        if when:
            start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
            count = deal._default_manager.filter(**{f"{when}__gte": start}).count()
            yield ("forecourt_deals_today", "Deals since local midnight.", {}, float(count))


def scrape_gauges() -> Iterator[Gauge]:
    """Everything /metrics computes from the database and disks at scrape time."""
    if uses_task_database():
        for queue, values in queue_depth().items():
            yield (
                "forecourt_task_queue_depth",
                "Tasks ready to run.",
                {"queue": queue},
                float(values["ready"]),
            )
            yield (
                "forecourt_task_queue_oldest_seconds",
                "Age of the oldest ready task.",
                {"queue": queue},
                values["oldest_age_seconds"],
            )
        for state, count in task_outcomes_last_hour().items():
            yield (
                "forecourt_tasks_finished_last_hour",
                "Tasks finished in the last hour, by outcome (from the queue table).",
                {"status": state},
                float(count),
            )
    beat = last_worker_heartbeat()
    if beat is not None:
        yield (
            "forecourt_worker_heartbeat_age_seconds",
            "Seconds since a worker reported.",
            {},
            (timezone.now() - beat).total_seconds(),
        )
    for name, path in data_folders().items():
        disk = disk_free(path)
        yield (
            "forecourt_disk_free_bytes",
            "Free bytes on the disk of a data folder.",
            {"folder": name},
            float(disk["free_bytes"]),
        )
        yield (
            "forecourt_disk_free_percent",
            "Free percent on the disk of a data folder.",
            {"folder": name},
            float(disk["free_percent"]),
        )
    try:
        last = last_successful_backup()
    except CheckSkipped:
        last = None
    if last is not None:
        yield (
            "forecourt_last_backup_age_seconds",
            "Seconds since the last good backup.",
            {},
            (timezone.now() - last).total_seconds(),
        )
    yield from business_gauges()

"""Scheduled jobs run by `forecourt worker`: a small registry any app adds entries to.

An app registers its jobs in its AppConfig.ready():

    from forecourt.core.scheduler import register_job
    register_job("inventory.feeds", "every 1h", publish_feeds)

Every worker on every machine evaluates the same schedules; a job runs once per *slot* (the
scheduled instant it is due for) because the worker that runs it must first insert the unique
(job, slot) row of backups.ScheduledJobRun. The database refuses the second insert, whichever
worker, process or machine attempts it, so no lock service is needed.
"""

from __future__ import annotations

import logging
import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

logger = logging.getLogger("forecourt.scheduler")

_DAILY = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")
_EVERY = re.compile(r"^\s*every\s+(\d+)\s*([mhd])\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400}
_EPOCH = datetime(2000, 1, 1, tzinfo=zoneinfo.ZoneInfo("UTC"))


@dataclass(frozen=True)
class Schedule:
    """Either daily at a wall-clock time (server TIME_ZONE) or every fixed interval."""

    text: str
    daily_at: time | None = None
    every: timedelta | None = None

    def latest_due(self, now: datetime) -> datetime:
        """The most recent scheduled instant at or before `now`: the slot a run belongs to."""
        if self.every is not None:
            periods = (now - _EPOCH) // self.every
            return _EPOCH + periods * self.every
        assert self.daily_at is not None  # noqa: S101 - parse_schedule sets exactly one
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        local_now = now.astimezone(zone)
        today = datetime.combine(local_now.date(), self.daily_at, tzinfo=zone)
        return today if today <= local_now else today - timedelta(days=1)


def parse_schedule(text: str) -> Schedule:
    """'02:00' (daily) or 'every 15m' / 'every 6h' / 'every 1d'; ValueError otherwise."""
    if match := _DAILY.match(text):
        hour, minute = int(match[1]), int(match[2])
        if hour > 23 or minute > 59:
            raise ValueError(f"{text!r} is not a time of day HH:MM")
        return Schedule(text=text.strip(), daily_at=time(hour, minute))
    if match := _EVERY.match(text):
        amount = int(match[1])
        if amount < 1:
            raise ValueError(f"{text!r}: the interval must be at least 1")
        return Schedule(
            text=text.strip(), every=timedelta(seconds=amount * _UNIT_SECONDS[match[2].lower()])
        )
    raise ValueError(f"{text!r} is not a schedule like 02:00 (daily) or every 6h")


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    schedule: Schedule
    run: Callable[[], object]


_REGISTRY: dict[str, ScheduledJob] = {}


def register_job(name: str, schedule: str | Schedule, run: Callable[[], object]) -> ScheduledJob:
    """Add (or replace, for reloads and tests) the job `name`."""
    parsed = parse_schedule(schedule) if isinstance(schedule, str) else schedule
    job = ScheduledJob(name=name, schedule=parsed, run=run)
    _REGISTRY[name] = job
    return job


def unregister_job(name: str) -> None:
    _REGISTRY.pop(name, None)


def registered_jobs() -> list[ScheduledJob]:
    return sorted(_REGISTRY.values(), key=lambda job: job.name)


def claim(job_name: str, slot: datetime, worker_id: str) -> bool:
    """True for exactly one caller per (job, slot), across every process and machine."""
    from forecourt.core.backups.models import ScheduledJobRun

    try:
        # Its own savepoint: a lost race must not poison a surrounding transaction.
        with transaction.atomic():
            ScheduledJobRun.objects.create(job=job_name, slot=slot, worker=worker_id)
    except IntegrityError:
        return False
    return True


def run_job(job: ScheduledJob, slot: datetime, worker_id: str) -> bool:
    """Claim the slot and run the job; False when another worker had it already.

    A failure is recorded on the run and logged, never raised: one failing job must not stop
    the worker or the other jobs.
    """
    from forecourt.core.backups.models import ScheduledJobRun

    if not claim(job.name, slot, worker_id):
        return False
    logger.info("scheduled job %s started (slot %s)", job.name, slot.isoformat())
    status, error = ScheduledJobRun.Status.SUCCEEDED, ""
    try:
        job.run()
    except Exception as exc:
        logger.exception("scheduled job %s failed", job.name)
        status, error = ScheduledJobRun.Status.FAILED, f"{type(exc).__name__}: {exc}"
    ScheduledJobRun.objects.filter(job=job.name, slot=slot).update(
        status=status, error=error[:2000], finished_at=timezone.now()
    )
    return True


def run_due_jobs(worker_id: str, now: datetime | None = None) -> list[str]:
    """Run every job whose current slot nobody has claimed yet; the names this worker claimed."""
    from forecourt.core.backups.models import ScheduledJobRun

    now = now or timezone.now()
    ran = []
    for job in registered_jobs():
        slot = job.schedule.latest_due(now)
        if ScheduledJobRun.objects.filter(job=job.name, slot=slot).exists():
            continue  # cheap pre-check; claim() is what guarantees once
        if run_job(job, slot, worker_id):
            ran.append(job.name)
    return ran


def prune_job_runs(older_than: timedelta = timedelta(days=90)) -> int:
    from forecourt.core.backups.models import ScheduledJobRun

    deleted, _ = ScheduledJobRun.objects.filter(slot__lt=timezone.now() - older_than).delete()
    return deleted

"""Scheduled jobs run by `forecourt worker`: a small registry any app adds entries to.

An app registers its jobs in its AppConfig.ready():

    from forecourt.core.scheduler import register_job
    register_job("inventory.feeds", "every 1h", publish_feeds)

Every worker on every machine evaluates the same schedules; a job runs once per *slot* (the
scheduled instant it is due for) because the worker that runs it must first insert the unique
(job, slot) row of core.ScheduledJobRun. The database refuses the second insert, whichever
worker, process or machine attempts it, so no lock service is needed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from forecourt.core.models import ScheduledJobRun
from forecourt.core.schedules import Schedule, parse_schedule

logger = logging.getLogger("forecourt.scheduler")


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
    deleted, _ = ScheduledJobRun.objects.filter(slot__lt=timezone.now() - older_than).delete()
    return deleted

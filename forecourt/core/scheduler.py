"""Scheduled jobs run by `forecourt worker`: a small registry any app adds entries to.

An app registers its jobs in its AppConfig.ready():

    from forecourt.core.scheduler import register_job
    register_job("inventory.feeds", "every 1h", publish_feeds)

Every worker on every machine evaluates the same schedules; a job runs once per *slot* (the
scheduled instant it is due for) because the worker that enqueues it must first insert the
unique (job, slot) row of core.ScheduledJobRun. The database refuses the second insert,
whichever worker, process or machine attempts it, so no lock service is needed. The claim and
the job's task (`run_scheduled_job`) commit together; a worker then runs the task like any
other, and a task whose worker is lost runs again (forecourt/core/worker.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.tasks import task
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


@task(queue_name="maintenance")
def run_scheduled_job(job_name: str, slot: str) -> str:
    """The task a claimed slot becomes: run the job, record its outcome on its run row.

    A failure is recorded and raised again, so the task's own status says FAILED too.
    """
    slot_at = datetime.fromisoformat(slot)
    job = _REGISTRY.get(job_name)
    logger.info("scheduled job %s started (slot %s)", job_name, slot)
    try:
        if job is None:
            raise LookupError(f"no scheduled job {job_name!r} is registered in this worker")
        job.run()
    except Exception as exc:
        logger.exception("scheduled job %s failed", job_name)
        _finish(job_name, slot_at, ScheduledJobRun.Status.FAILED, f"{type(exc).__name__}: {exc}")
        raise
    _finish(job_name, slot_at, ScheduledJobRun.Status.SUCCEEDED, "")
    return ScheduledJobRun.Status.SUCCEEDED.value


def _finish(job_name: str, slot: datetime, status: str, error: str) -> None:
    ScheduledJobRun.objects.filter(job=job_name, slot=slot).update(
        status=status, error=error[:2000], finished_at=timezone.now()
    )


def enqueue_job(job: ScheduledJob, slot: datetime, worker_id: str) -> bool:
    """Claim the slot and enqueue its task in one transaction; False when already claimed.

    Both commit or neither does, so a claimed slot always has its task, and the task (not this
    worker) runs the job: its status, and its re-run after a lost worker, are the task queue's.
    """
    with transaction.atomic():
        if not claim(job.name, slot, worker_id):
            return False
        result = run_scheduled_job.enqueue(job.name, slot.isoformat())
        ScheduledJobRun.objects.filter(job=job.name, slot=slot).update(task_id=str(result.id))
    return True


def task_lost(task_id: str) -> None:
    """The worker recovery gave up on `task_id`: its job run (if it is one) failed too."""
    ScheduledJobRun.objects.filter(task_id=task_id, status=ScheduledJobRun.Status.RUNNING).update(
        status=ScheduledJobRun.Status.FAILED,
        error="WorkerLost: every worker that claimed it stopped",
        finished_at=timezone.now(),
    )


def run_due_jobs(worker_id: str, now: datetime | None = None) -> list[str]:
    """Enqueue every job whose current slot nobody has claimed yet; the names this worker did."""
    now = now or timezone.now()
    enqueued = []
    for job in registered_jobs():
        slot = job.schedule.latest_due(now)
        if ScheduledJobRun.objects.filter(job=job.name, slot=slot).exists():
            continue  # cheap pre-check; claim() is what guarantees once
        if enqueue_job(job, slot, worker_id):
            enqueued.append(job.name)
    return enqueued


def prune_job_runs(older_than: timedelta = timedelta(days=90)) -> int:
    """Forget job runs older than `older_than` (registered as a daily job in CoreConfig)."""
    deleted, _ = ScheduledJobRun.objects.filter(slot__lt=timezone.now() - older_than).delete()
    return deleted

"""The background worker: django-tasks-db's own worker, the scheduler and a heartbeat beside it.

The library's `Worker` claims and runs queued tasks (SELECT ... FOR UPDATE SKIP LOCKED) in the
main thread and handles SIGTERM/SIGINT: the task in hand runs to completion, nothing new is
started, then the process exits 0. A second thread ("beat") does three things on its own clock:

- beats this worker's heartbeat, so a long task never looks like a dead worker;
- claims each due scheduled slot and enqueues the job as an ordinary task, in one transaction
  (forecourt/core/scheduler.py), so jobs get task status like any other task;
- puts back tasks claimed by a worker that stopped beating (killed, machine lost): they run
  again, up to MAX_CLAIMS claims in all, then fail as `WorkerLost`.
"""

from __future__ import annotations

import logging
import socket
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import OperationalError, close_old_connections, connections, transaction
from django.tasks import TaskResultStatus, task_backends
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from forecourt.core import scheduler
from forecourt.core.observability.heartbeat import record_worker_heartbeat
from forecourt.core.observability.models import WorkerHeartbeat

logger = logging.getLogger("forecourt.worker")

HEARTBEAT_EVERY_SECONDS = 15.0
MAX_CLAIMS = 3  # the first run and two more after lost workers


class WorkerLost(Exception):
    """The workers that claimed a task all stopped beating before it finished."""


def _heartbeat(worker_id: str) -> None:
    try:
        record_worker_heartbeat(worker_id)
    except Exception:
        # A monitoring hiccup must not stop the queue from draining.
        logger.warning("worker heartbeat failed", exc_info=True)


def stale_after() -> timedelta:
    """A worker silent this long is gone: the readiness check's own limit."""
    return timedelta(seconds=settings.CONFIG.worker_heartbeat_max_age_seconds)


def requeue_abandoned_tasks(now: datetime | None = None) -> list[str]:
    """Put back (or, after MAX_CLAIMS, fail) running tasks whose worker stopped beating.

    A task counts as abandoned when it started longer ago than `stale_after()` and the worker
    that claimed it last has not beaten since then. Returns the ids it touched.
    """
    now = now or timezone.now()
    cutoff = now - stale_after()
    touched = []
    with transaction.atomic():
        # SKIP LOCKED: two workers recovering at once each take different rows.
        running = DBTaskResult.objects.running().filter(started_at__lt=cutoff)
        candidates = list(running.select_for_update(skip_locked=True))
        claimers = {result.worker_ids[-1] for result in candidates if result.worker_ids}
        alive = set(
            WorkerHeartbeat.objects.filter(name__in=claimers, last_seen__gte=cutoff).values_list(
                "name", flat=True
            )
        )
        for result in candidates:
            if result.worker_ids and result.worker_ids[-1] in alive:
                continue
            if len(result.worker_ids) >= MAX_CLAIMS:
                result.set_failed(WorkerLost(f"claimed by {', '.join(result.worker_ids)}"))
                scheduler.task_lost(str(result.id))
                logger.error("task %s failed: its workers were lost", result.id)
            else:
                result.status = TaskResultStatus.READY
                result.save(update_fields=["status"])
                logger.warning("task %s put back: worker %s was lost", result.id, result.worker_ids)
            touched.append(str(result.id))
    return touched


class CountingWorker(Worker):
    """The library's worker, counting the tasks it ran (one pass of `forecourt worker`)."""

    tasks_run = 0

    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)
        self.tasks_run += 1


class BeatThread(threading.Thread):
    """Heartbeat, scheduled slots and lost-worker recovery, beside the task loop."""

    def __init__(
        self,
        worker: ForecourtWorker,
        every: float,
        heartbeat_every: float = HEARTBEAT_EVERY_SECONDS,
    ):
        super().__init__(name="forecourt-beat", daemon=True)
        self.worker = worker
        self.every = every
        self.heartbeat_every = heartbeat_every
        self.stopped = threading.Event()

    def run(self) -> None:
        next_heartbeat = 0.0
        clock = 0.0
        try:
            while not self.stopped.is_set():
                if clock >= next_heartbeat:
                    _heartbeat(self.worker.worker_id)
                    next_heartbeat = clock + self.heartbeat_every
                self.worker.tick()
                if self.stopped.wait(self.every):
                    break
                clock += self.every
        finally:
            connections.close_all()  # this thread's own database connection


class ForecourtWorker:
    def __init__(
        self,
        *,
        worker_id: str | None = None,
        queues: list[str] | None = None,
        interval: float = 1.0,
        backend_name: str = "default",
        scheduled_jobs: bool = True,
    ):
        # The library keeps worker ids to 64 characters; the heartbeat row uses the same id.
        default_id = f"{socket.gethostname()}-{threading.get_native_id()}"
        self.worker_id = (worker_id or default_id)[:64]
        self.queues = queues or ["*"]
        self.interval = interval
        self.backend_name = backend_name
        self.scheduled_jobs = scheduled_jobs
        self.has_queue = isinstance(task_backends[backend_name], DatabaseBackend)

    def _library_worker(self, *, batch: bool, max_tasks: int | None) -> CountingWorker:
        return CountingWorker(
            queue_names=self.queues,
            interval=self.interval,
            batch=batch,
            backend_name=self.backend_name,
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id=self.worker_id,
            excluded_queue_names=[],
        )

    def tick(self) -> bool:
        """Enqueue due scheduled jobs and put back lost tasks; True when it did either.

        A failure is logged and waits for the next tick.
        """
        enqueued: list[str] = []
        requeued: list[str] = []
        try:
            if self.scheduled_jobs:
                enqueued = scheduler.run_due_jobs(self.worker_id)
            if self.has_queue:
                requeued = requeue_abandoned_tasks()
        except OperationalError:
            # SQLite busy with the task in hand, or the database briefly away.
            logger.warning("scheduler tick failed; trying again", exc_info=True)
        finally:
            close_old_connections()
        return bool(enqueued or requeued)

    def run_once(self) -> bool:
        """One pass: a scheduler tick, then at most one queued task; True when it did work."""
        _heartbeat(self.worker_id)
        ticked = self.tick()
        if not self.has_queue:
            return ticked
        tasks = self._library_worker(batch=True, max_tasks=1)
        tasks.run()
        return ticked or tasks.tasks_run > 0

    def run(self, install_signal_handlers: bool = True) -> None:
        """Run until a signal stops the library's loop (it finishes the task in hand)."""
        logger.info("worker %s started (queues %s)", self.worker_id, ",".join(self.queues))
        if not self.has_queue:
            raise RuntimeError(f"task backend {self.backend_name!r} is not the database queue")
        _heartbeat(self.worker_id)  # at once, however short the worker's life
        beat = BeatThread(self, every=max(self.interval, 0.1))
        beat.start()
        tasks = self._library_worker(batch=False, max_tasks=None)
        if install_signal_handlers:
            tasks.configure_signals()
        try:
            tasks.run()
        finally:
            beat.stopped.set()
            beat.join()
            logger.info("worker %s stopped", self.worker_id)

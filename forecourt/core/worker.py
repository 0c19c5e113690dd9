"""The background worker: Django Tasks from the database queue, plus scheduled jobs.

One loop: run any scheduled job whose slot is due (claimed so that only one worker anywhere
runs it), run one queued task, sleep when idle; a thread beside it beats the heartbeat.
SIGTERM/SIGINT ask it to stop: the task or job in hand runs to completion, nothing new is
started, then it exits 0.
"""

from __future__ import annotations

import logging
import signal
import socket
import threading
from types import FrameType

from django.db import close_old_connections, connection, connections
from django.db.utils import OperationalError
from django.tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker as TaskRunner
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from forecourt.core import scheduler

logger = logging.getLogger("forecourt.worker")


def _heartbeat(worker_id: str) -> None:
    try:
        from forecourt.core.observability.heartbeat import record_worker_heartbeat
    except ImportError:  # monitoring not installed
        return
    try:
        record_worker_heartbeat(worker_id)
    except Exception:
        # A monitoring hiccup must not stop the queue from draining.
        logger.warning("worker heartbeat failed", exc_info=True)


HEARTBEAT_EVERY_SECONDS = 15.0


class HeartbeatThread(threading.Thread):
    """Beats on its own clock, so a long backup or task never looks like a dead worker."""

    def __init__(self, worker_id: str, every: float = HEARTBEAT_EVERY_SECONDS):
        super().__init__(name="forecourt-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.every = every
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            _heartbeat(self.worker_id)  # at once, however short the worker's life
            while not self.stopped.wait(self.every):
                _heartbeat(self.worker_id)
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
        self.worker_id = worker_id or f"{socket.gethostname()}-{threading.get_native_id()}"
        self.queues = queues or ["*"]
        self.interval = interval
        self.backend_name = backend_name
        self.scheduled_jobs = scheduled_jobs
        self.stop_requested = threading.Event()
        backend = task_backends[backend_name]
        self.has_queue = isinstance(backend, DatabaseBackend)
        # SQLite (one server, trying Forecourt out) locks out a second writing thread; there
        # the loop beats between jobs instead.
        self.heartbeat_in_thread = connection.vendor != "sqlite"
        self._runner = TaskRunner(
            queue_names=self.queues,
            interval=interval,
            batch=False,
            backend_name=backend_name,
            startup_delay=False,
            max_tasks=None,
            worker_id=self.worker_id[:64],
            excluded_queue_names=[],
        )

    def request_stop(self, signum: int, frame: FrameType | None = None) -> None:
        logger.warning(
            "%s received: finishing the current task, then stopping", signal.strsignal(signum)
        )
        self.stop_requested.set()

    def install_signal_handlers(self) -> None:
        for name in ("SIGTERM", "SIGINT", "SIGQUIT"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), self.request_stop)

    def run_one_task(self) -> bool:
        """Claim and run one ready task; False when the queue had none for us."""
        if not self.has_queue:
            return False
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if "*" not in self.queues:
            tasks = tasks.filter(queue_name__in=self.queues)
        try:
            with exclusive_transaction(tasks.db):
                claimed = tasks.get_locked()  # SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL
                if claimed is not None:
                    claimed.claim(self._runner.worker_id)
        except OperationalError as error:
            if is_locked_database_exception(error):
                return False
            raise
        if claimed is None:
            return False
        self._runner.run_task(claimed)
        return True

    def run_once(self) -> bool:
        """One pass of the loop; True when it did any work."""
        close_old_connections()
        if not self.heartbeat_in_thread:
            _heartbeat(self.worker_id)
        ran_jobs = []
        if self.scheduled_jobs and not self.stop_requested.is_set():
            ran_jobs = scheduler.run_due_jobs(self.worker_id)
        ran_task = False if self.stop_requested.is_set() else self.run_one_task()
        close_old_connections()
        return bool(ran_jobs) or ran_task

    def run(self, max_loops: int | None = None) -> None:
        logger.info("worker %s started (queues %s)", self.worker_id, ",".join(self.queues))
        heartbeat = HeartbeatThread(self.worker_id)
        if self.heartbeat_in_thread:
            heartbeat.start()
        loops = 0
        try:
            while not self.stop_requested.is_set():
                busy = self.run_once()
                loops += 1
                if max_loops is not None and loops >= max_loops:
                    break
                if not busy:
                    self.stop_requested.wait(self.interval)  # a signal wakes it at once
        finally:
            heartbeat.stopped.set()
            if heartbeat.is_alive():
                heartbeat.join()
        logger.info("worker %s stopped", self.worker_id)

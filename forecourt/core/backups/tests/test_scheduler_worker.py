"""Scheduled jobs run once per slot across workers, as ordinary tasks; the worker stops
gracefully on SIGTERM, and a job whose worker is killed runs again, to the end once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection, connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from forecourt.core import scheduler
from forecourt.core.models import ScheduledJobRun
from forecourt.core.worker import MAX_CLAIMS, ForecourtWorker, requeue_abandoned_tasks

from .worker_tasks import LAUNCH_WORKER

is_postgres = "postgresql" in connection.settings_dict["ENGINE"]
SLOT = datetime(2027, 6, 1, 2, tzinfo=UTC)
DATABASE_QUEUE = {
    "default": {
        "BACKEND": "forecourt.core.observability.tasking.TracedDatabaseBackend",
        "QUEUES": ["default", "alerts", "maintenance"],
    }
}  # as in development and production: tasks wait in the database for a worker


def worker_env(tmp_path: Path) -> dict[str, str]:
    """A worker process's environment: development settings on this test's database."""
    settings_dict = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FORECOURT_"))}
    env |= {
        "FORECOURT_ENV": "development",
        "DATA_DIR": str(tmp_path / "data"),
        "JOB_FOLDER": str(tmp_path),
        "DATABASE_URL": (
            f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:"
            f"{settings_dict['PORT']}/{settings_dict['NAME']}"
        ),
    }
    env.pop("REDIS_URL", None)
    return env


def wait_until(condition, process: subprocess.Popen) -> None:
    for _ in range(1200):  # bounded: at most about a minute
        if condition() or process.poll() is not None:
            break
        time.sleep(0.05)
    assert condition(), process.communicate(timeout=10)[0]


@pytest.fixture
def empty_registry(monkeypatch):
    """Only the jobs a test registers (not the real daily backup)."""
    monkeypatch.setattr(scheduler, "_REGISTRY", {})


@pytest.mark.django_db
def test_a_slot_is_claimed_once():
    assert scheduler.claim("reports.daily", SLOT, "worker-a") is True
    assert scheduler.claim("reports.daily", SLOT, "worker-b") is False
    assert scheduler.claim("reports.daily", SLOT.replace(day=2), "worker-b") is True
    assert list(ScheduledJobRun.objects.values_list("worker", flat=True).order_by("slot")) == [
        "worker-a",
        "worker-b",
    ]


@pytest.mark.django_db(transaction=True)  # the worker manages its own connections
def test_worker_runs_due_jobs_once_per_slot_and_survives_a_failing_job(empty_registry, settings):
    settings.TASKS = DATABASE_QUEUE
    calls = []
    scheduler.register_job("test.counting", "every 1d", lambda: calls.append("ran"))

    def broken() -> None:
        raise RuntimeError("feed server down")

    scheduler.register_job("test.broken", "every 1d", broken)
    first = ForecourtWorker(worker_id="w1", interval=0)
    second = ForecourtWorker(worker_id="w2", interval=0)

    # w1 enqueues both slots and runs their tasks (and any the heartbeat queued) until idle.
    passes = 0
    while first.run_once() and passes < 10:
        passes += 1
    assert passes >= 2  # two job tasks at least
    second.run_once()
    second.run_once()

    assert calls == ["ran"]
    from forecourt.core.observability.heartbeat import last_worker_heartbeat

    assert last_worker_heartbeat() is not None
    runs = {run.job: run for run in ScheduledJobRun.objects.all()}
    assert runs["test.counting"].status == ScheduledJobRun.Status.SUCCEEDED
    assert runs["test.counting"].worker == "w1"
    assert runs["test.broken"].status == ScheduledJobRun.Status.FAILED
    assert runs["test.broken"].error == "RuntimeError: feed server down"
    tasks = {str(task.id): task for task in DBTaskResult.objects.all()}
    assert tasks[runs["test.counting"].task_id].status == "SUCCESSFUL"
    assert tasks[runs["test.broken"].task_id].status == "FAILED"
    assert tasks[runs["test.broken"].task_id].worker_ids == ["w1"]


@pytest.mark.skipif(not is_postgres, reason="concurrent connections need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_never_run_the_same_slot_twice(empty_registry):
    calls = []
    lock = threading.Lock()

    def job() -> None:
        with lock:
            calls.append(threading.get_ident())

    scheduler.register_job("test.once", "every 1h", job)
    claimers = 8
    start = threading.Barrier(claimers)
    claimed: list[bool] = []

    def race(n: int) -> None:
        try:
            start.wait()
            claimed.append(scheduler.claim("test.direct", SLOT, f"machine-{n}"))
            scheduler.run_due_jobs(f"machine-{n}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(n,)) for n in range(claimers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(claimed) == [False] * (claimers - 1) + [True]
    assert len(calls) == 1
    assert ScheduledJobRun.objects.filter(job="test.once").count() == 1


@pytest.mark.skipif(not is_postgres, reason="the worker process needs a shared database")
@pytest.mark.django_db(transaction=True)
def test_sigterm_lets_the_running_task_finish(tmp_path):
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    from .worker_tasks import wait_for_release

    queue = DatabaseBackend("default", {"QUEUES": ["default"]})
    result = queue.enqueue(wait_for_release, [str(tmp_path)], {})
    worker = subprocess.Popen(
        [sys.executable, "-m", "forecourt", "worker", "--no-scheduler", "--interval", "0.1"],
        env=worker_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for _ in range(1200):  # wait (bounded) until the worker has picked the task up
            if (tmp_path / "started").exists() or worker.poll() is not None:
                break
            time.sleep(0.05)
        assert (tmp_path / "started").exists(), worker.communicate(timeout=10)[0]

        worker.send_signal(signal.SIGTERM)
        (tmp_path / "release").touch()
        output, _ = worker.communicate(timeout=120)
    finally:
        if worker.poll() is None:
            worker.kill()

    assert worker.returncode == 0, output
    assert (tmp_path / "finished").exists()
    stored = DBTaskResult.objects.get(id=result.id)
    assert stored.status == "SUCCESSFUL"
    assert stored.return_value == "finished"


@pytest.mark.skipif(not is_postgres, reason="the worker processes need a shared database")
@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_is_killed_runs_again_and_finishes_once(tmp_path):
    def launch(worker_id: str) -> subprocess.Popen:
        return subprocess.Popen(  # noqa: S603 - our own interpreter and launcher text
            [sys.executable, "-c", LAUNCH_WORKER, "--worker-id", worker_id, "--interval", "0.1"],
            env=worker_env(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def marks(name: str) -> int:
        path = tmp_path / name
        return len(path.read_text().splitlines()) if path.exists() else 0

    doomed = launch("doomed")
    try:
        wait_until(lambda: marks("started") == 1, doomed)
        doomed.kill()  # SIGKILL: no handler runs, the task row stays RUNNING
        doomed.wait(timeout=30)
    finally:
        if doomed.poll() is None:
            doomed.kill()
    (run,) = ScheduledJobRun.objects.filter(job="test.blocking")
    assert run.status == ScheduledJobRun.Status.RUNNING
    assert DBTaskResult.objects.get(id=run.task_id).status == "RUNNING"

    # Any live worker does this on its beat once the dead one has been silent long enough;
    # here the clock is moved instead of waited for.
    assert requeue_abandoned_tasks(now=timezone.now() + timedelta(hours=1)) == [run.task_id]
    (tmp_path / "release").touch()
    survivor = launch("survivor")
    try:
        wait_until(lambda: marks("finished") == 1, survivor)
        run.refresh_from_db()
        for _ in range(1200):  # the run row is written just after the job returns
            if run.status != ScheduledJobRun.Status.RUNNING:
                break
            time.sleep(0.05)
            run.refresh_from_db()
        survivor.send_signal(signal.SIGTERM)
        output, _ = survivor.communicate(timeout=120)
    finally:
        if survivor.poll() is None:
            survivor.kill()

    assert survivor.returncode == 0, output
    assert (marks("started"), marks("finished")) == (2, 1)
    assert run.status == ScheduledJobRun.Status.SUCCEEDED
    assert ScheduledJobRun.objects.filter(job="test.blocking").count() == 1
    task = DBTaskResult.objects.get(id=run.task_id)
    assert (task.status, task.worker_ids) == ("SUCCESSFUL", ["doomed", "survivor"])


@pytest.mark.django_db
def test_a_task_lost_with_every_worker_fails_after_the_last_claim(settings):
    settings.TASKS = DATABASE_QUEUE
    job = scheduler.register_job("test.never", "every 1d", lambda: None)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scheduler, "_REGISTRY", {})
        assert scheduler.enqueue_job(job, SLOT, "w0") is True
    run = ScheduledJobRun.objects.get(job="test.never")
    task = DBTaskResult.objects.get(id=run.task_id)
    later = timezone.now() + timedelta(hours=1)
    for claim_number in range(1, MAX_CLAIMS + 1):
        task.claim(f"lost-{claim_number}")
        assert requeue_abandoned_tasks(now=later) == [run.task_id]
        task.refresh_from_db()
        assert task.status == ("FAILED" if claim_number == MAX_CLAIMS else "READY")

    assert task.exception_class_path == "forecourt.core.worker.WorkerLost"
    run.refresh_from_db()
    assert run.status == ScheduledJobRun.Status.FAILED
    assert run.error == "WorkerLost: every worker that claimed it stopped"


@pytest.mark.django_db
def test_old_job_runs_are_pruned_daily():
    assert "core.prune_job_runs" in {job.name for job in scheduler.registered_jobs()}
    now = timezone.now()
    ScheduledJobRun.objects.create(job="old", slot=now - timedelta(days=91), worker="w")
    ScheduledJobRun.objects.create(job="recent", slot=now - timedelta(days=89), worker="w")
    assert scheduler.prune_job_runs() == 1
    assert list(ScheduledJobRun.objects.values_list("job", flat=True)) == ["recent"]

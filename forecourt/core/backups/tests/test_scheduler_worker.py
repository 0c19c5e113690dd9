"""Scheduled jobs run once per slot across workers; the worker stops gracefully on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime

import pytest
from django.db import connection, connections

from forecourt.core import scheduler
from forecourt.core.models import ScheduledJobRun
from forecourt.core.worker import ForecourtWorker

is_postgres = "postgresql" in connection.settings_dict["ENGINE"]
SLOT = datetime(2027, 6, 1, 2, tzinfo=UTC)


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
def test_worker_runs_due_jobs_once_per_slot_and_survives_a_failing_job(empty_registry):
    calls = []
    scheduler.register_job("test.counting", "every 1d", lambda: calls.append("ran"))

    def broken() -> None:
        raise RuntimeError("feed server down")

    scheduler.register_job("test.broken", "every 1d", broken)
    worker = ForecourtWorker(worker_id="w1", interval=0)

    worker.run(max_loops=3)
    ForecourtWorker(worker_id="w2", interval=0).run(max_loops=2)

    assert calls == ["ran"]
    from forecourt.core.observability.heartbeat import last_worker_heartbeat

    assert last_worker_heartbeat() is not None
    runs = {run.job: run for run in ScheduledJobRun.objects.all()}
    assert runs["test.counting"].status == ScheduledJobRun.Status.SUCCEEDED
    assert runs["test.counting"].worker == "w1"
    assert runs["test.broken"].status == ScheduledJobRun.Status.FAILED
    assert runs["test.broken"].error == "RuntimeError: feed server down"


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
    settings_dict = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FORECOURT_"))} | {
        "FORECOURT_ENV": "development",
        "DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": (
            f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:"
            f"{settings_dict['PORT']}/{settings_dict['NAME']}"
        ),
    }
    env.pop("REDIS_URL", None)
    worker = subprocess.Popen(
        [sys.executable, "-m", "forecourt", "worker", "--no-scheduler", "--interval", "0.1"],
        env=env,
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

"""A task for the worker tests: it blocks until the test releases it (no sleeps to tune)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.tasks import task


@task()
def wait_for_release(folder: str) -> str:
    here = Path(folder)
    (here / "started").touch()
    for _ in range(6000):  # bounded: at most ~5 minutes if the test never releases it
        if (here / "release").exists():
            break
        time.sleep(0.05)
    (here / "finished").touch()
    return "finished"


def _append(path: Path) -> None:
    with path.open("a") as marks:
        marks.write("x\n")


def blocking_job() -> None:
    """A scheduled job that marks its start and end in $JOB_FOLDER and waits for `release`."""
    here = Path(os.environ["JOB_FOLDER"])
    _append(here / "started")
    for _ in range(6000):  # bounded, as above
        if (here / "release").exists():
            break
        time.sleep(0.05)
    _append(here / "finished")


# `python -c LAUNCH_WORKER <worker options>`: `forecourt worker` with only `blocking_job` scheduled.
LAUNCH_WORKER = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forecourt.settings")
import django
django.setup()
from django.core.management import call_command
from forecourt.core import scheduler
from forecourt.core.backups.tests.worker_tasks import blocking_job
scheduler._REGISTRY.clear()
scheduler.register_job("test.blocking", "every 1d", blocking_job)
call_command("worker", *sys.argv[1:])
"""

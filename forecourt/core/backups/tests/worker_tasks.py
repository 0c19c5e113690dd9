"""A task for the worker tests: it blocks until the test releases it (no sleeps to tune)."""

from __future__ import annotations

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

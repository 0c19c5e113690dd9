"""`make run` serves the app *and* runs the background worker (imports, feeds, hold expiry),
and stops the worker when the server stops."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _recipe() -> list[str]:
    # -o install: the recipe only, never the virtualenv set-up it depends on.
    out = subprocess.run(
        ["make", "-n", "-o", "install", "run"],  # noqa: S607 - make from the PATH, as users run it
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.splitlines()


def test_make_run_starts_the_worker_beside_the_server() -> None:
    lines = _recipe()
    worker = next(i for i, line in enumerate(lines) if "/forecourt worker &" in line)
    server = next(i for i, line in enumerate(lines) if "/forecourt runserver" in line)
    assert worker < server  # in the background, before the server takes the terminal
    assert any("trap" in line and "kill" in line for line in lines[worker:server])
    assert not any("seed-demo" in line for line in lines[worker:])  # set-up comes first


def test_the_worker_stops_when_the_server_stops(tmp_path: Path) -> None:
    """The recipe itself, with a stand-in `forecourt` that records what it was asked to do."""
    log = tmp_path / "calls.log"
    fake = tmp_path / "bin" / "forecourt"
    fake.parent.mkdir()
    fake.write_text(
        f"""#!/bin/bash
echo "$1 started" >> {log}
case "$1" in
  worker)
    trap 'echo "worker stopped" >> {log}; exit 0' TERM INT
    for _ in $(seq 200); do sleep 0.05; done
    echo "worker never stopped" >> {log} ;;
  runserver)
    for _ in $(seq 100); do grep -q "worker started" {log} && break; sleep 0.05; done
    echo "runserver stopped" >> {log} ;;
esac
"""
    )
    fake.chmod(0o755)
    subprocess.run(  # noqa: S603 - our own arguments
        ["make", "-s", "-o", "install", "run", f"BIN={fake.parent}"],  # noqa: S607
        cwd=ROOT,
        env={**os.environ, "MAKEFLAGS": ""},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    calls = log.read_text().splitlines()
    assert calls[:2] == ["migrate started", "seed-demo started"]
    assert "worker started" in calls
    assert calls.index("runserver stopped") < calls.index("worker stopped")
    assert "worker never stopped" not in calls

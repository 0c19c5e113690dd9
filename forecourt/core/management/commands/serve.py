"""forecourt serve: the production HTTP server, as the container runs it.

granian serves forecourt.wsgi: HTTP parsing and keep-alive in Rust, one worker process per
WEB_CONCURRENCY, one thread each. It answered the API's reads faster than gunicorn's sync
workers, which parse HTTP in Python and close every connection, and more threads per worker
overlapped database waits but not Python, lengthening the tail (the measurements are in
docs/performance.md). gunicorn stays usable: `gunicorn -c python:forecourt.gunicorn_conf
forecourt.wsgi`.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from forecourt.core.config import get_config
from forecourt.core.observability.metrics import wipe_multiproc_dir

# A worker whose memory stays above this is replaced (gunicorn's max_requests did this job:
# a slow leak cannot grow without bound). Workers run at about 130 MB.
WORKER_MAX_RSS_MB = 1024
# On SIGTERM, requests in flight get this long to finish before workers are killed.
GRACEFUL_SECONDS = 30


def granian_command(
    *, host: str, port: int, workers: int, threads: int = 1, pid_file: str = ""
) -> list[str]:
    """The granian command line serving forecourt.wsgi."""
    command = [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--http",
        "1",
        "--no-ws",
        "--respawn-failed-workers",
        "--workers-max-rss",
        str(WORKER_MAX_RSS_MB),
        "--workers-kill-timeout",
        str(GRACEFUL_SECONDS),
        # Every request is logged once, with its request id, by our own middleware.
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    if pid_file:
        command += ["--pid-file", pid_file]
    return [*command, "forecourt.wsgi:application"]


class Command(BaseCommand):
    help = "Serve the app with granian (production): WEB_CONCURRENCY workers on PORT."

    def add_arguments(self, parser: CommandParser) -> None:
        # Inside the container every interface is the container's own; the proxy connects.
        parser.add_argument("--host", default="0.0.0.0")  # noqa: S104  # nosec B104
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--threads", type=int, default=1, help="Threads per worker.")
        parser.add_argument("--pid-file", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        # Metrics files of an earlier run's workers would add up with the new ones'.
        wipe_multiproc_dir()
        command = granian_command(
            host=options["host"],
            port=options["port"],
            workers=get_config().web_concurrency,
            threads=options["threads"],
            pid_file=options["pid_file"],
        )
        sys.stdout.flush()
        os.execv(command[0], command)  # noqa: S606 - our own interpreter, fixed arguments

"""forecourt worker: run queued background tasks and scheduled jobs until SIGTERM."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from forecourt.core.worker import ForecourtWorker


class Command(BaseCommand):
    help = (
        "Run background tasks (the database task queue) and scheduled jobs (backups, retention,"
        " and every job apps register). Run as many as you like on as many machines: each task"
        " and each scheduled slot runs once. SIGTERM finishes the task in hand, then exits."
        " A task whose worker was killed runs again on a live worker."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--queues", default="*", help="Comma-separated queues to serve (default: all)."
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds to sleep when idle."
        )
        parser.add_argument("--worker-id", default=None, help="Default: hostname and thread id.")
        parser.add_argument(
            "--no-scheduler",
            action="store_false",
            dest="scheduled_jobs",
            help="Only run queued tasks, never scheduled jobs.",
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help="One pass (enqueue due jobs, run at most one task), then exit.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        worker = ForecourtWorker(
            worker_id=options["worker_id"],
            queues=[q.strip() for q in options["queues"].split(",") if q.strip()],
            interval=options["interval"],
            scheduled_jobs=options["scheduled_jobs"],
        )
        if options["once"]:
            worker.run_once()
        else:
            worker.run()  # the library's loop; it handles SIGTERM/SIGINT itself

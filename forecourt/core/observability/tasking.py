"""Request ids follow work into background tasks.

The TASKS backends in settings are these subclasses. Every task enqueued while a request
(or another task) runs carries its id in a reserved keyword argument; the task pops it
before the function runs, binds it for the task's log lines and audit entries, and logs
its own start and outcome.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

import structlog
from django.tasks.backends.immediate import ImmediateBackend
from django.tasks.base import Task
from django_tasks_db.backend import DatabaseBackend

from forecourt.core.request_context import current_request_id, request_id_var

REQUEST_ID_KWARG = "_request_id"

logger = structlog.get_logger("forecourt.tasks")


class TracedTask(Task):
    """A Task that carries the enqueuing request's id to the worker."""

    def enqueue(self, *args: Any, **kwargs: Any) -> Any:
        request_id = current_request_id()
        if request_id:
            kwargs.setdefault(REQUEST_ID_KWARG, request_id)
        return super().enqueue(*args, **kwargs)

    def call(self, *args: Any, **kwargs: Any) -> Any:
        request_id = str(kwargs.pop(REQUEST_ID_KWARG, "") or "") or f"task-{uuid.uuid4().hex}"
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        outcome = "failed"
        try:
            result = super().call(*args, **kwargs)
            outcome = "successful"
            return result
        finally:
            logger.info(
                "task finished",
                task=self.module_path,
                queue=self.queue_name,
                outcome=outcome,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
            )
            request_id_var.reset(token)


class TracedDatabaseBackend(DatabaseBackend):
    task_class = TracedTask


class TracedImmediateBackend(ImmediateBackend):
    task_class = TracedTask

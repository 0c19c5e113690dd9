"""Signal receivers: unhandled exceptions alert, finished tasks count."""

from __future__ import annotations

from typing import Any

from django.core.signals import got_request_exception
from django.dispatch import receiver
from django.tasks.signals import task_finished

from forecourt.core.observability import metrics
from forecourt.core.observability.alerts import send_alert
from forecourt.core.request_context import current_request_id


@receiver(got_request_exception, dispatch_uid="observability.unhandled_exception")
def on_unhandled_exception(sender: Any, request: Any = None, **kwargs: Any) -> None:
    """Alert with the request id and where it happened; no message, no data (may hold PII).

    The traceback itself is logged by django.request with the same request id.
    """
    import sys

    error = sys.exc_info()[1]
    from forecourt.core.observability.middleware import route_name

    route = route_name(request) if request is not None else "-"
    metrics.EXCEPTIONS.labels(route=route).inc()
    exception = type(error).__name__ if error else "unknown"
    send_alert(
        "error",
        f"Unhandled {exception} in {route}",
        {
            "exception": exception,
            "route": route,
            "method": getattr(request, "method", None),
            "request_id": getattr(request, "request_id", None) or current_request_id(),
        },
        dedup_key=f"exception:{exception}:{route}",
    )


@receiver(task_finished, dispatch_uid="observability.task_finished")
def on_task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    seconds = None
    if task_result.started_at and task_result.finished_at:
        seconds = (task_result.finished_at - task_result.started_at).total_seconds()
    metrics.task_finished(task_result.task.module_path, str(task_result.status), seconds)

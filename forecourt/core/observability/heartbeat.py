"""Task worker heartbeats: proof that something is draining the task queue.

The worker (`forecourt worker`) calls `record_worker_heartbeat(name)` from its beat thread
(forecourt/core/worker.py). Each worker keeps one row (`WorkerHeartbeat`); readiness fails
when the newest row is older than WORKER_HEARTBEAT_MAX_AGE_SECONDS, and a task claimed by a
worker that silent is put back on the queue. A heartbeat also triggers the periodic resource sample
(at most once a minute per host), so resource monitoring needs no separate scheduler.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime

from django.utils import timezone

RESOURCE_SAMPLE_EVERY_SECONDS = 60


def record_worker_heartbeat(name: str) -> None:
    """Upsert this worker's heartbeat row; cheap enough to call every loop."""
    from forecourt.core.observability import store
    from forecourt.core.observability.models import WorkerHeartbeat

    hostname = socket.gethostname()
    WorkerHeartbeat.objects.update_or_create(
        name=name[:128],
        defaults={"hostname": hostname[:255], "pid": os.getpid(), "last_seen": timezone.now()},
    )
    if store.add_once(f"resources:due:{hostname}", RESOURCE_SAMPLE_EVERY_SECONDS):
        from forecourt.core.observability.resources import sample_resources

        sample_resources.enqueue()


def last_worker_heartbeat() -> datetime | None:
    from forecourt.core.observability.models import WorkerHeartbeat

    return (
        WorkerHeartbeat.objects.order_by("-last_seen").values_list("last_seen", flat=True).first()
    )

"""Background tasks of the security app (the worker's scheduler runs them daily)."""

from __future__ import annotations

from django.tasks import task

from forecourt.core.security import access_review


@task(queue_name="maintenance")
def deactivate_idle_users() -> list[str]:
    """Deactivate users idle for 90 days; returns their emails."""
    return access_review.deactivate_idle_users(None)

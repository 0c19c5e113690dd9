"""Background tasks of the security app (the worker's scheduler runs them daily)."""

from __future__ import annotations

from django.tasks import task

from forecourt.core.security import actions


@task(queue_name="maintenance")
def deactivate_idle_users() -> list[str]:
    """Deactivate users idle for 90 days; returns their emails."""
    return actions.deactivate_idle_users(None)

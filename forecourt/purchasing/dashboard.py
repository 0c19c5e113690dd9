"""Dashboard panels: overdue incoming vehicles, and the floor plan's exposure."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from forecourt.purchasing.reads import incoming_watch_list, overdue
from forecourt.purchasing.stocking.reads import exposure


def incoming_summary(request: HttpRequest) -> dict[str, Any] | None:
    lines = incoming_watch_list(request.user)
    late = list(overdue(lines)[:5])
    return {"incoming": lines.count(), "overdue": late, "overdue_count": overdue(lines).count()}


def floor_plan_summary(request: HttpRequest) -> dict[str, Any] | None:
    rows = exposure(request.user)
    return {"facilities": rows} if rows else None

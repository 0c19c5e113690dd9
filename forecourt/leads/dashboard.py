"""The leads panel of the dashboard: the user's day at a glance and the open pipeline.

Counts only (the lists are on My day and the board); the pipeline is one GROUP BY over the
open leads of the user's rooftops.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest

from forecourt.leads.models import OPEN_LEAD_STATUSES, Lead, LeadStatus
from forecourt.leads.myday import my_day


def pipeline_counts(user: Any) -> list[dict[str, Any]]:
    """[{status, label, count}] for each open status, in pipeline order, zeros included."""
    counts = dict(
        Lead.objects.for_user(user, "view")
        .open()
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return [
        {"status": status.value, "label": LeadStatus(status).label, "count": counts.get(status, 0)}
        for status in OPEN_LEAD_STATUSES
    ]


def leads_summary(request: HttpRequest) -> dict[str, Any]:
    day = my_day(request.user)
    return {
        "overdue": len(day.overdue),
        "due_today": len(day.due_today),
        "appointments": len(day.appointments),
        "test_drives": len(day.test_drives),
        "pipeline": pipeline_counts(request.user),
    }

"""My day: the signed-in salesperson's follow-ups, appointments and vehicles out, with its
quick "log call" (myday.py holds the reads)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from forecourt.core.post_only import post_only
from forecourt.core.security.pii import masked
from forecourt.core.visibility import visible_or_404
from forecourt.leads import actions
from forecourt.leads.forms import FinishTestDriveForm, LogActivityForm
from forecourt.leads.models import ActivityKind, Lead
from forecourt.leads.myday import my_day
from forecourt.leads.views.common import LEAD_RELATED, VIEW


@permission_required(VIEW, raise_exception=True)
def my_day_view(request: HttpRequest) -> HttpResponse:
    day = my_day(request.user)
    drives = [
        {"activity": a, "licence": masked(a, "drivers_license_number")} for a in day.test_drives
    ]
    context = {
        "day": day,
        "test_drives": drives,
        "log_form": LogActivityForm(),
        "finish_form": FinishTestDriveForm(),
    }
    return render(request, "leads/my_day.html", context)


@post_only
def my_day_log_call(request: HttpRequest, pk: int) -> HttpResponse:
    """My day's quick "log call" on a lead: an outbound call, consent permitting."""
    lead = visible_or_404(Lead, request.user, pk, related=LEAD_RELATED)
    body = request.POST.get("body", "")[:2000]
    try:
        actions.log_activity(
            request.user,
            lead.customer,
            kind=ActivityKind.CALL,
            direction=request.POST.get("direction") or "outbound",
            body=body,
            lead=lead,
        )
    except (ValidationError, PermissionDenied) as refused:
        messages.error(request, " ".join(getattr(refused, "messages", [str(refused)])))
    else:
        messages.success(request, f"Call with {lead.customer} logged.")
    return redirect("leads:my-day")

"""A customer's timeline (their leads and activities, an htmx partial on the customer and
lead pages) with its forms: log contact or a note, and reveal a test driver's licence.
Booking appointments and test drives (appointments.py, drives.py) answer with it too.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from forecourt.accounts.models import User
from forecourt.core.forms import add_action_errors
from forecourt.core.htmx import is_htmx
from forecourt.core.post_only import post_only
from forecourt.core.security.actions.reveal import reveal_field
from forecourt.core.security.pii import masked
from forecourt.core.visibility import visible_or_404
from forecourt.customers.models import Customer
from forecourt.leads import actions
from forecourt.leads.forms import (
    AppointmentForm,
    AppointmentStatusForm,
    FinishTestDriveForm,
    LogActivityForm,
    TestDriveForm,
    in_stock_at,
)
from forecourt.leads.models import OPEN_LEAD_STATUSES, Activity, Lead
from forecourt.leads.views.common import limit_choices


def sellers(customer: Customer) -> QuerySet[User]:
    return actions.lead_workers([customer.rooftop_id])


def drivable(customer: Customer) -> QuerySet[Any]:
    return in_stock_at([customer.rooftop_id]).filter(status__in=actions.DRIVABLE)


def lead_choices(customer: Customer) -> list[tuple[Any, str]]:
    leads = Lead.objects.filter(customer=customer).order_by("-created_at")[:20]
    return [("", "-")] + [(lead.pk, f"#{lead.pk} {lead.get_status_display()}") for lead in leads]


def timeline_context(request: HttpRequest, customer: Customer, **forms: Any) -> dict[str, Any]:
    user: Any = request.user
    activities = list(
        Activity.objects.for_user(user, "view")
        .filter(customer=customer)
        .select_related("created_by", "salesperson", "vehicle")
        .order_by("-occurred_at", "-id")[:50]
    )
    leads = list(
        Lead.objects.for_user(user, "view")
        .filter(customer=customer)
        .select_related("owner", "vehicle")
        .order_by("-created_at")[:20]
    )
    choices = lead_choices(customer)
    log_form = forms.get("log_form") or LogActivityForm(prefix="log")
    appointment_form = forms.get("appointment_form") or AppointmentForm(
        initial={"salesperson": user.pk}, prefix="appt"
    )
    limit_choices(appointment_form, "salesperson", queryset=sellers(customer))
    drive_form = forms.get("drive_form") or TestDriveForm(prefix="drive")
    limit_choices(drive_form, "vehicle", queryset=drivable(customer))
    for form in (log_form, appointment_form, drive_form):
        limit_choices(form, "lead", choices=choices)
    return {
        "customer": customer,
        "timeline": [
            {"activity": a, "licence": masked(a, "drivers_license_number")} for a in activities
        ],
        "customer_leads": leads,
        "log_form": log_form,
        "appointment_form": appointment_form,
        "drive_form": drive_form,
        "finish_form": FinishTestDriveForm(),
        "appointment_status_form": AppointmentStatusForm(),
        "timeline_error": forms.get("error", ""),
        "open_statuses": OPEN_LEAD_STATUSES,
    }


@permission_required("leads.view_activity", raise_exception=True)
def customer_timeline(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = visible_or_404(Customer, request.user, customer_id)
    template = "leads/_timeline.html" if is_htmx(request) else "leads/timeline_page.html"
    return render(request, template, timeline_context(request, customer))


def timeline_answer(
    request: HttpRequest, customer: Customer, ok_message: str = "", **forms: Any
) -> HttpResponse:
    """After a timeline form: the fresh partial for htmx, else back to where it was used."""
    failed = bool(forms)
    if is_htmx(request):
        context = timeline_context(request, customer, **forms)
        context["timeline_message"] = "" if failed else ok_message
        return render(request, "leads/_timeline.html", context)
    if failed:
        context = timeline_context(request, customer, **forms)
        return render(request, "leads/timeline_page.html", context, status=422)
    messages.success(request, ok_message)
    lead_id = str(next((v for k, v in request.POST.items() if k.endswith("lead") and v), ""))
    if (
        lead_id
        and lead_id.isdigit()
        and Lead.objects.for_user(request.user, "view")
        .filter(pk=lead_id, customer=customer)
        .exists()
    ):
        return redirect("leads:lead-detail", pk=int(lead_id))
    return redirect("leads:customer-timeline", customer_id=customer.pk)


def lead_of(request: HttpRequest, customer: Customer, lead_id: int | None) -> Lead | None:
    if lead_id is None:
        return None
    return Lead.objects.for_user(request.user, "view").filter(pk=lead_id, customer=customer).first()


@post_only
def activity_log(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = visible_or_404(Customer, request.user, customer_id)
    form = LogActivityForm(request.POST, prefix="log")
    limit_choices(form, "lead", choices=lead_choices(customer))
    if form.is_valid():
        data = form.cleaned_data
        try:
            activity = actions.log_activity(
                request.user,
                customer,
                kind=data["kind"],
                direction=data["direction"],
                subject=data["subject"],
                body=data["body"],
                lead=lead_of(request, customer, data["lead"]),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return timeline_answer(request, customer, f"{activity.get_kind_display()} logged.")
    return timeline_answer(request, customer, log_form=form)


@post_only
@permission_required("leads.reveal_activity", raise_exception=True)
def reveal_licence(request: HttpRequest, pk: int) -> HttpResponse:
    """The full licence number in place of the mask (htmx), audited by reveal_field."""
    activity = visible_or_404(Activity, request.user, pk, related=("customer",))
    number = reveal_field(request.user, activity, "drivers_license_number")
    return render(request, "leads/_licence.html", {"number": number, "activity": activity})

"""Test drives: a customer takes a unit out (licence captured), and brings it back."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from forecourt.core.forms import add_action_errors
from forecourt.core.post_only import post_only
from forecourt.core.visibility import visible_or_404
from forecourt.customers.models import Customer
from forecourt.leads import actions
from forecourt.leads.forms import FinishTestDriveForm, TestDriveForm, in_stock_at
from forecourt.leads.models import Activity
from forecourt.leads.views.common import limit_choices
from forecourt.leads.views.timeline import lead_choices, lead_of, timeline_answer


@post_only
def test_drive_start(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = visible_or_404(Customer, request.user, customer_id)
    form = TestDriveForm(request.POST, prefix="drive")
    limit_choices(form, "vehicle", queryset=in_stock_at([customer.rooftop_id]))
    limit_choices(form, "lead", choices=lead_choices(customer))
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.start_test_drive(
                request.user,
                customer,
                vehicle=data["vehicle"],
                drivers_license_number=data["drivers_license_number"],
                drivers_license_state=data["drivers_license_state"],
                odometer_out=data["odometer_out"],
                lead=lead_of(request, customer, data["lead"]),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return timeline_answer(request, customer, "Test drive started.")
    return timeline_answer(request, customer, drive_form=form)


@post_only
def test_drive_finish(request: HttpRequest, pk: int) -> HttpResponse:
    activity = visible_or_404(Activity, request.user, pk, related=("customer",))
    form = FinishTestDriveForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            actions.finish_test_drive(
                request.user, activity, odometer_in=form.cleaned_data["odometer_in"]
            )
        except ValidationError as refused:
            error = " ".join(refused.messages)
    else:
        error = "Enter the odometer reading."
    if request.POST.get("from") == "my-day":
        if error:
            messages.error(request, error)
        else:
            messages.success(request, "Test drive finished.")
        return redirect("leads:my-day")
    if error:
        return timeline_answer(request, activity.customer, error=error)
    return timeline_answer(request, activity.customer, "Test drive finished.")

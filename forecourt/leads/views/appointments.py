"""Booking a salesperson's appointment with a customer, and what became of it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from forecourt.core.forms import add_action_errors
from forecourt.core.post_only import post_only
from forecourt.core.visibility import visible_or_404
from forecourt.customers.models import Customer
from forecourt.leads import actions
from forecourt.leads.forms import AppointmentForm, AppointmentStatusForm
from forecourt.leads.models import Activity
from forecourt.leads.views.common import limit_choices
from forecourt.leads.views.timeline import lead_choices, lead_of, sellers, timeline_answer


@post_only
def appointment_create(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = visible_or_404(Customer, request.user, customer_id)
    form = AppointmentForm(request.POST, prefix="appt")
    limit_choices(form, "salesperson", queryset=sellers(customer))
    limit_choices(form, "lead", choices=lead_choices(customer))
    # The times typed are wall-clock times at the customer's rooftop, as the timeline shows
    # them; so are the times in the action's double-booking message.
    with timezone.override(customer.rooftop.time_zone):
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.schedule_appointment(
                    request.user,
                    customer,
                    salesperson=data["salesperson"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    subject=data["subject"],
                    lead=lead_of(request, customer, data["lead"]),
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                return timeline_answer(request, customer, "Appointment booked.")
    return timeline_answer(request, customer, appointment_form=form)


@post_only
def appointment_status(request: HttpRequest, pk: int) -> HttpResponse:
    activity = visible_or_404(Activity, request.user, pk, related=("customer",))
    form = AppointmentStatusForm(request.POST)
    if not form.is_valid():
        return timeline_answer(request, activity.customer, error="Choose what happened.")
    try:
        actions.set_appointment_status(
            request.user, activity, form.cleaned_data["appointment_status"]
        )
    except ValidationError as refused:
        return timeline_answer(request, activity.customer, error=" ".join(refused.messages))
    return timeline_answer(request, activity.customer, "Appointment updated.")

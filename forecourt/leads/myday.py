""" "My day": what the signed-in salesperson has to do today. Reads only.

- follow-ups: their open leads whose next follow-up date is overdue or today;
- appointments: their scheduled appointments starting today (local time);
- test drives: vehicles out now that they sent out; a manager (who may reassign leads)
  sees every vehicle out at their rooftops.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from forecourt.customers.consent import may_contact
from forecourt.customers.contact import format_phone
from forecourt.leads.models import Activity, ActivityKind, AppointmentStatus, Lead

MAX_ROWS = 100  # a day's list; more than this is a reassignment problem, not a page


@dataclass
class MyDay:
    overdue: list[Lead]
    due_today: list[Lead]
    appointments: list[Activity]
    test_drives: list[Activity]
    sees_all_test_drives: bool


def _note_phone(lead: Lead) -> None:
    """The number to call next to "Log call" (mobile first), and whether the customer
    agreed to calls (the page says so when they did not: TCPA)."""
    customer = lead.customer
    number = customer.mobile_phone or customer.home_phone or customer.work_phone
    lead.call_number = number  # type: ignore[attr-defined]
    lead.call_phone = format_phone(number) if number else ""  # type: ignore[attr-defined]
    lead.may_call = may_contact(customer, "call")  # type: ignore[attr-defined]


def my_day(user: Any) -> MyDay:
    today = timezone.localdate()
    start = timezone.make_aware(datetime.combine(today, time.min))
    end = start + timedelta(days=1)
    leads = (
        Lead.objects.for_user(user, "view")
        .open()
        .filter(owner=user, next_follow_up_on__lte=today)
        .select_related("customer", "vehicle")
        .order_by("next_follow_up_on", "id")[:MAX_ROWS]
    )
    for lead in leads:
        _note_phone(lead)
    overdue = [lead for lead in leads if lead.next_follow_up_on and lead.next_follow_up_on < today]
    due_today = [lead for lead in leads if lead.next_follow_up_on == today]
    activities = Activity.objects.for_user(user, "view").select_related(
        "customer", "vehicle", "salesperson", "rooftop"
    )
    appointments = list(
        activities.filter(
            kind=ActivityKind.APPOINTMENT,
            salesperson=user,
            appointment_status=AppointmentStatus.SCHEDULED,
            starts_at__gte=start,
            starts_at__lt=end,
        ).order_by("starts_at")[:MAX_ROWS]
    )
    sees_all = user.has_perm("leads.reassign_lead")
    drives = activities.filter(kind=ActivityKind.TEST_DRIVE, in_at__isnull=True)
    if not sees_all:
        drives = drives.filter(created_by=user)
    return MyDay(
        overdue=overdue,
        due_today=due_today,
        appointments=appointments,
        test_drives=list(drives.order_by("out_at")[:MAX_ROWS]),
        sees_all_test_drives=sees_all,
    )

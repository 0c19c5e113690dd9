"""What keeps a customer from disposal on the leads side (reads; registered with customers in
leads/apps.py, used by forecourt/customers/compliance/retention.py).

Each returns the rows of the customer `OuterRef("pk")` that keep them, for `Exists`.
"""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet

from forecourt.leads.models import OPEN_LEAD_STATUSES, Activity, ActivityKind, Lead


def open_leads() -> QuerySet[Lead]:
    return Lead.objects.filter(customer=OuterRef("pk"), status__in=OPEN_LEAD_STATUSES)


def open_test_drives() -> QuerySet[Activity]:
    return Activity.objects.filter(
        customer=OuterRef("pk"), kind=ActivityKind.TEST_DRIVE, in_at__isnull=True
    )

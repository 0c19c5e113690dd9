"""A disposed-of customer's personal text on leads and activities, erased with their record.

Registered with customers (forecourt/customers/registry.py) in leads/apps.py; runs inside
the customers app's `anonymize_customer` transaction, which checks the permission and writes
the audit entry with these counts. The rows, ids and dates stay.
"""

from __future__ import annotations

from collections.abc import Iterable

from forecourt.leads.models import Activity, Lead


def erase_personal_text(customer_ids: Iterable[int]) -> dict[str, int]:
    ids = list(customer_ids)
    leads = Lead.objects.filter(customer_id__in=ids).update(notes="", lost_note="")
    activities = Activity.objects.filter(customer_id__in=ids).update(
        subject="", body="", drivers_license_number="", drivers_license_state=""
    )
    return {"leads": leads, "activities": activities}

"""The leads app's part of the route-driven proof tests (forecourt/core/security/tests/).

EXPECTED: who may GET each route (rules as in test_authorization.py: "public", "signed-in",
"post-only" or a permission). MODEL_BY_PARAM / MODEL_BY_SEGMENT: which model an id in a path
names. populate(owner, rooftop): create one of each object the routes name, through actions.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

PUBLIC = "public"
SIGNED_IN = "signed-in"
POST_ONLY = "post-only"
LEADS = "leads.view_lead"
ACTIVITIES = "leads.view_activity"

EXPECTED: dict[str, str] = {
    # Pages
    "leads:lead-board": LEADS,
    "leads:lead-list": LEADS,
    "leads:lead-reassign": POST_ONLY,
    "leads:lead-walk-in": "leads.add_lead",
    "leads:lead-import": "leads.import_lead",
    "leads:my-day": LEADS,
    "leads:vehicle-options": LEADS,
    "leads:lead-detail": LEADS,
    "leads:lead-update": POST_ONLY,
    "leads:lead-status": POST_ONLY,
    "leads:lead-follow-up": POST_ONLY,
    "leads:lead-log-call": POST_ONLY,
    "leads:lead-create": "leads.add_lead",
    "leads:customer-timeline": ACTIVITIES,
    "leads:activity-log": POST_ONLY,
    "leads:appointment-create": POST_ONLY,
    "leads:test-drive-start": POST_ONLY,
    "leads:test-drive-finish": POST_ONLY,
    "leads:appointment-status": POST_ONLY,
    "leads:reveal-licence": POST_ONLY,
    # API
    "api:list_leads": LEADS,
    "api:get_lead": LEADS,
    "api:change_lead_status": POST_ONLY,
    "api:reassign_leads": POST_ONLY,
    "api:web_lead": POST_ONLY,
    "api:list_activities": ACTIVITIES,
    "api:get_activity": ACTIVITIES,
    "api:finish_test_drive": POST_ONLY,
    "api:reveal_licence": POST_ONLY,
}
MODEL_BY_PARAM: dict[str, str] = {
    "lead_id": "leads.Lead",
    "activity_id": "leads.Activity",
    "customer_id": "customers.Customer",
}
MODEL_BY_SEGMENT: dict[str, str] = {"leads": "leads.Lead", "activities": "leads.Activity"}
PLAIN_VALUES: dict[str, str] = {}


def populate(owner: Any, rooftop: Any) -> None:
    """A customer with a lead, a note, an appointment and an open test drive."""
    from django.utils import timezone

    from forecourt.customers.actions import create_customer
    from forecourt.inventory.tests.factories import receive
    from forecourt.leads import actions

    customer = create_customer(
        owner,
        rooftop,
        {
            "first_name": "Route",
            "last_name": f"Tester {rooftop.pk}",
            "email": f"route{rooftop.pk}@example.com",
        },
        allow_duplicate=True,
    )
    vehicle = receive(owner, rooftop)
    lead = actions.create_lead(owner, customer, source="walk_in", vehicle=vehicle)
    actions.log_activity(owner, customer, kind="note", body="Route test note.", lead=lead)
    start = timezone.now() + timedelta(days=rooftop.pk)  # one owner books for every rooftop
    actions.schedule_appointment(
        owner, customer, salesperson=owner, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    actions.start_test_drive(
        owner,
        customer,
        vehicle=vehicle,
        drivers_license_number="D1234567",
        drivers_license_state="IL",
        odometer_out=vehicle.odometer,
        lead=lead,
    )

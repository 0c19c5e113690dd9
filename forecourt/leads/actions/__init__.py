"""Every write to leads and activities: one function per business operation (docs/leads.md).

`leads.py` (leads and the pipeline), `activities.py` (contact, appointments, test drives),
`customer_match.py` (the customer a website or imported lead is about), `disposal.py` (what
a customer's disposal erases here); `common.py` holds their shared checks. The CSV import's
write is `forecourt/leads/imports/actions.py`. Import operations from here.
"""

from forecourt.leads.actions.activities import (
    CHANNEL_OF_KIND,
    LOGGED_KINDS,
    finish_test_drive,
    log_activity,
    schedule_appointment,
    set_appointment_status,
    start_test_drive,
)
from forecourt.leads.actions.common import (
    DRIVABLE,
    IN_STOCK,
    WORKS_LEADS,
    LeadVersionConflict,
    lead_workers,
    require_rooftop,
    works_leads,
)
from forecourt.leads.actions.customer_match import find_customer, match_or_create_customer
from forecourt.leads.actions.disposal import erase_personal_text
from forecourt.leads.actions.leads import (
    EDITABLE_FIELDS,
    TRANSITIONS,
    BulkResult,
    change_lead_status,
    create_lead,
    reassign_leads,
    set_follow_up,
    take_walk_in,
    update_lead,
)

__all__ = [
    "CHANNEL_OF_KIND",
    "DRIVABLE",
    "EDITABLE_FIELDS",
    "IN_STOCK",
    "LOGGED_KINDS",
    "TRANSITIONS",
    "WORKS_LEADS",
    "BulkResult",
    "LeadVersionConflict",
    "change_lead_status",
    "create_lead",
    "erase_personal_text",
    "find_customer",
    "finish_test_drive",
    "lead_workers",
    "log_activity",
    "match_or_create_customer",
    "reassign_leads",
    "require_rooftop",
    "schedule_appointment",
    "set_appointment_status",
    "set_follow_up",
    "start_test_drive",
    "take_walk_in",
    "update_lead",
    "works_leads",
]

"""Every compliance write on customers (docs/compliance.md): the SDN list, screenings and
clearances, legal holds, disposal, and access-request exports. Import operations from here.
"""

from forecourt.customers.compliance.actions.access import EXPORT_PERMISSION, export_customer
from forecourt.customers.compliance.actions.common import ComplianceVersionConflict
from forecourt.customers.compliance.actions.disposal import (
    anonymize_customer,
    anonymized_name,
    dispose_due_customers,
    dispose_eligible_customers,
    export_retention_report,
)
from forecourt.customers.compliance.actions.legal_hold import lift_legal_hold, set_legal_hold
from forecourt.customers.compliance.actions.screening import (
    clear_ofac_match,
    screen_after_change,
    screen_customer,
)
from forecourt.customers.compliance.actions.sdn_lists import ImportResult, import_sdn_list

__all__ = [
    "EXPORT_PERMISSION",
    "ComplianceVersionConflict",
    "ImportResult",
    "anonymize_customer",
    "anonymized_name",
    "clear_ofac_match",
    "dispose_due_customers",
    "dispose_eligible_customers",
    "export_customer",
    "export_retention_report",
    "import_sdn_list",
    "lift_legal_hold",
    "screen_after_change",
    "screen_customer",
    "set_legal_hold",
]

"""Every write to customers: one function per business operation (docs/customers.md).

`customers.py` holds the record's own operations, `merge.py` folding a duplicate into its
survivor; compliance writes (OFAC, legal holds, disposal, access exports) are in
`forecourt/customers/compliance/actions/`. Import operations from here.
"""

from forecourt.customers.actions.customers import (
    EDITABLE_FIELDS,
    HIDDEN,
    PERSONAL_FIELDS,
    CustomerVersionConflict,
    DuplicateCustomerError,
    audit_changes,
    audit_snapshot,
    create_customer,
    find_duplicates,
    note_customer_activity,
    phone_country,
    record_consent,
    update_customer,
)
from forecourt.customers.actions.merge import merge_customers
from forecourt.customers.models import SENSITIVE_FIELDS, reverse_relations

__all__ = [
    "EDITABLE_FIELDS",
    "HIDDEN",
    "PERSONAL_FIELDS",
    "SENSITIVE_FIELDS",
    "CustomerVersionConflict",
    "DuplicateCustomerError",
    "audit_changes",
    "audit_snapshot",
    "create_customer",
    "find_duplicates",
    "merge_customers",
    "note_customer_activity",
    "phone_country",
    "record_consent",
    "reverse_relations",
    "update_customer",
]

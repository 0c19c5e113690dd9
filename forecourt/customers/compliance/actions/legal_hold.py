"""Legal holds: a customer kept from disposal (litigation, investigation, regulator request)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from forecourt.core import audit
from forecourt.customers.compliance.actions.common import (
    clean_reason,
    lock_customer,
    save_customer,
)
from forecourt.customers.models import Customer


@transaction.atomic
def set_legal_hold(
    actor: Any, customer: Customer | int, *, reason: str, expected_version: int | None = None
) -> Customer:
    """Keep the customer from disposal (litigation, investigation, regulator request)."""
    locked = lock_customer(actor, customer, "customers.hold_legal_customer", expected_version)
    if locked.anonymized_at is not None:
        raise ValidationError({"__all__": "This customer was already anonymized."})
    reason = clean_reason(reason)
    before = [locked.legal_hold, locked.legal_hold_reason]
    locked.legal_hold = True
    locked.legal_hold_reason = reason
    save_customer(locked, ["legal_hold", "legal_hold_reason"])
    audit.record(
        actor,
        "customers.legal_hold_set",
        locked,
        {"legal_hold": [before[0], True], "legal_hold_reason": [before[1], reason]},
    )
    return locked


@transaction.atomic
def lift_legal_hold(
    actor: Any, customer: Customer | int, *, reason: str, expected_version: int | None = None
) -> Customer:
    """End a legal hold; the customer is subject to the retention period again."""
    locked = lock_customer(actor, customer, "customers.hold_legal_customer", expected_version)
    if not locked.legal_hold:
        raise ValidationError({"__all__": "This customer has no legal hold."})
    reason = clean_reason(reason)
    before = locked.legal_hold_reason
    locked.legal_hold = False
    locked.legal_hold_reason = ""
    save_customer(locked, ["legal_hold", "legal_hold_reason"])
    audit.record(
        actor,
        "customers.legal_hold_lift",
        locked,
        {"legal_hold": [True, False], "legal_hold_reason": [before, ""], "reason": [None, reason]},
    )
    return locked

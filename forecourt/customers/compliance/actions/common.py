"""What every compliance action shares: the row lock with its checks, the save, the reason.

Like every actions module: one function per business operation, in one transaction,
permission-checked, audited. `actor=None` is the system (the `ofac-import` command run by an
operator, the nightly retention job); a person always needs the permission. Audit entries
name fields and counts, never a removed or screened value. Policy: docs/compliance.md.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from forecourt.core.concurrency import VersionConflict
from forecourt.core.permissions import require_permission, sees_all_rooftops
from forecourt.customers.models import Customer

MIN_REASON_LENGTH = 5


class ComplianceVersionConflict(VersionConflict):
    """The customer changed since the caller read it; compliance writes say "try again"."""

    record_name = "customer"

    def __init__(self, current_version: int) -> None:
        super().__init__(current_version)
        self.args = (
            f"The customer was changed by someone else (now version {current_version}). "
            "Reload it and try again.",
        )


def person_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def lock_customer(
    actor: Any, customer: Customer | int, permission: str | None, expected_version: int | None
) -> Customer:
    """Check the permission (a person only), lock the row, check the rooftop and version."""
    if actor is not None:
        require_permission(actor, permission or "")
    pk = customer.pk if isinstance(customer, Customer) else customer
    locked = Customer.objects.select_for_update().get(pk=pk)
    if actor is not None and not (
        sees_all_rooftops(actor) or actor.rooftops.filter(pk=locked.rooftop_id).exists()
    ):
        raise PermissionDenied("This customer belongs to a rooftop you do not work at.")
    if expected_version is not None and expected_version != locked.version:
        raise ComplianceVersionConflict(locked.version)
    return locked


def save_customer(customer: Customer, fields: list[str]) -> None:
    customer.version += 1
    customer.updated_at = timezone.now()
    customer.save(update_fields=[*dict.fromkeys(fields), "version", "updated_at"])


def clean_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError({field: "Say why (at least a few words); it goes in the audit log."})
    return reason[:200]

"""Disposal (Safeguards 314.4(c)(6)): anonymizing a customer, one now or every one due nightly.

Other apps' personal text about the customer (a lead's notes, an activity's body) is erased
by the erasers they register (forecourt/customers/registry.py), in the same
transaction as the customer's own fields.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from forecourt.core import audit
from forecourt.core.idempotency import forget_subjects, subject_of
from forecourt.customers import registry
from forecourt.customers.compliance import retention
from forecourt.customers.compliance.actions.common import (
    clean_reason,
    lock_customer,
    save_customer,
)
from forecourt.customers.models import Customer, CustomerConsent, CustomerKind, OfacScreening

logger = logging.getLogger("forecourt.customers.compliance")

DISPOSAL_BATCH = 200


# What anonymization empties on the customer. Kept: kind, region and country (no person is
# found from a state), preferred language, consent flags and their history (evidence of what
# was allowed), the salesperson, rooftop, dates, OFAC result and list version.
ERASED_TEXT = (
    "first_name",
    "middle_name",
    "business_name",
    "email",
    "alt_email",
    "mobile_phone",
    "home_phone",
    "work_phone",
    "address_line1",
    "address_line2",
    "city",
    "postal_code",
    "notes",
    "drivers_license_number",
    "drivers_license_state",
    "ssn",
    "employer",
)
ERASED_NULL = ("date_of_birth", "income")
BLIND_INDEXES = ("date_of_birth_index", "ssn_index", "ssn_last4_index")


def anonymized_name(customer: Customer) -> str:
    return f"Anonymized customer {customer.pk}"


def _erase(customer: Customer) -> list[str]:
    """Empty the customer's personal fields; the names of those that held something."""
    removed = [name for name in (*ERASED_TEXT, *ERASED_NULL) if getattr(customer, name)]
    removed += ["tags"] if customer.tags else []
    for name in ERASED_TEXT:
        setattr(customer, name, "")
    for name in ERASED_NULL:
        setattr(customer, name, None)
    customer.last_name = anonymized_name(customer)[:100]
    if customer.kind == CustomerKind.BUSINESS:
        customer.business_name = anonymized_name(customer)
    customer.tags = []
    customer.anonymized_at = timezone.now()
    # save() recomputes the blind indexes from the emptied sources: they become "".
    save_customer(
        customer, [*ERASED_TEXT, *ERASED_NULL, *BLIND_INDEXES, "last_name", "tags", "anonymized_at"]
    )
    return ["last_name", *removed]


def _erase_related(customer_ids: list[int], label: str) -> dict[str, int]:
    """Personal text on the customers' timeline; the rows, ids and dates stay."""
    cleared: dict[str, int] = {}
    for erase in registry.personal_text_erasers():
        cleared.update(erase(customer_ids))
    cleared["consents"] = CustomerConsent.objects.filter(customer_id__in=customer_ids).update(
        note=""
    )
    cleared["screenings"] = OfacScreening.objects.filter(customer_id__in=customer_ids).update(
        screened_name=label
    )
    return cleared


def _merged_into(customer: Customer) -> list[Customer]:
    """Every record merged (directly or through a chain) into this customer."""
    found: list[Customer] = []
    frontier = [customer.pk]
    while frontier:
        batch = list(Customer.objects.select_for_update().filter(merged_into_id__in=frontier))
        found += batch
        frontier = [c.pk for c in batch]
    return found


@transaction.atomic
def anonymize_customer(
    actor: Any, customer: Customer | int, *, reason: str, idle_before: datetime | None = None
) -> Customer:
    """Dispose of a customer's personal data for good (Safeguards 314.4(c)(6)). Irreversible.

    Refused while a legal hold or open business keeps the customer. Records merged into it
    are anonymized with it. Leads, activities, consents and screenings keep their rows (the
    business record stays consistent) with their personal text removed.
    """
    locked = lock_customer(actor, customer, "customers.dispose_customer", None)
    why_not = retention.blocker(locked)
    if not why_not and idle_before is not None and locked.last_activity_at >= idle_before:
        why_not = "This customer has had activity within the retention period."
    if why_not:
        raise ValidationError({"__all__": why_not})
    reason = clean_reason(reason)
    removed = _erase(locked)
    merged = _merged_into(locked)
    for record in merged:
        _erase(record)
    ids = [locked.pk, *(record.pk for record in merged)]
    cleared = _erase_related(ids, anonymized_name(locked))
    # Replayable API responses (customer, lead, activity creates) may still hold their data.
    cleared["idempotency_keys"] = forget_subjects(subject_of(Customer, pk) for pk in ids)
    # Field names and counts only: the audit log must not keep what was just removed.
    audit.record(
        actor,
        "customers.anonymize",
        locked,
        {
            "anonymized_at": [None, audit.snapshot(locked, ["anonymized_at"])["anonymized_at"]],
            "fields_removed": [None, sorted(removed)],
            "merged_records_anonymized": [None, len(merged)],
            **{f"{kind}_cleared": [None, count] for kind, count in cleared.items()},
            "reason": [None, reason],
        },
    )
    return locked


@transaction.atomic
def export_retention_report(actor: Any) -> str:
    """The retention report as CSV (no contact or sensitive values); the export is audited."""
    text = retention.report_csv(actor)
    rows = max(0, len(text.splitlines()) - 1)
    audit.record(actor, "customers.export_retention_report", actor, {"rows": [None, rows]})
    return text


def dispose_eligible_customers(
    *, now: datetime | None = None, days: int | None = None, batch_size: int = DISPOSAL_BATCH
) -> dict[str, int]:
    """The nightly job: anonymize every customer due, each in its own transaction.

    One failure is logged (by id) and skipped, never stops the rest; the next night retries.
    The log holds counts and ids only.
    """
    now = now or timezone.now()
    days = retention.retention_days() if days is None else days
    idle_before = now - timedelta(days=days)
    disposed = failed = 0
    last_pk = 0
    while True:
        due = list(
            retention.eligible_for_disposal(now, days)
            .filter(pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not due:
            break
        for pk in due:
            try:
                anonymize_customer(
                    None, pk, reason="Retention period ended.", idle_before=idle_before
                )
                disposed += 1
            except (ValidationError, Customer.DoesNotExist):
                pass  # something keeps it now (a lead opened since the query): not due
            except Exception:
                failed += 1
                logger.exception(
                    "retention disposal failed",
                    extra={"event": "retention_dispose_failed", "customer_id": pk},
                )
        last_pk = due[-1]
    summary = {"disposed": disposed, "failed": failed}
    logger.info("retention disposal finished", extra={"event": "retention_disposal", **summary})
    return summary


@task(queue_name="maintenance")
def dispose_due_customers() -> dict[str, int]:
    """Anonymize every customer due for disposal (scheduled daily; see customers/apps.py)."""
    return dispose_eligible_customers()

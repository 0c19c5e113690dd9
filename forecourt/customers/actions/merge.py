"""Merging a duplicate customer into the surviving record.

Every record of any app that points at the duplicate moves (found through Customer's
reverse relations, so this module knows no other app); blank fields of the survivor are
filled from the duplicate; the duplicate stays as a pointer.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from forecourt.core import audit
from forecourt.core.permissions import require_permission
from forecourt.customers.actions.customers import (
    ADDRESS_FIELDS,
    PHONE_FIELDS,
    audit_changes,
    audit_snapshot,
    require_rooftop,
    save_customer,
)
from forecourt.customers.consent import consent_field
from forecourt.customers.models import (
    SENSITIVE_FIELDS,
    Channel,
    Customer,
    CustomerConsent,
    OfacStatus,
    reverse_relations,
)

# Filled on the survivor from the duplicate when the survivor's are blank, as one block
# (an address is never assembled from two people's halves).
_FILL_SINGLE = (
    "first_name",
    "middle_name",
    "last_name",
    "business_name",
    *PHONE_FIELDS,
    *SENSITIVE_FIELDS,
    "assigned_salesperson_id",
)


def _move_related(survivor: Customer, duplicate: Customer) -> dict[str, int]:
    moved: dict[str, int] = {}
    for rel in reverse_relations():
        model: type[models.Model] = rel.related_model
        field_name = rel.field.name
        rows = model._base_manager.filter(**{field_name: duplicate})
        if model is Customer:
            rows = rows.exclude(pk=survivor.pk)
        try:
            with transaction.atomic():
                count = rows.update(**{field_name: survivor})
        except IntegrityError:
            raise ValidationError(
                {
                    "__all__": (
                        f"Both customers have a {model._meta.verbose_name} that can exist only "
                        "once per customer; resolve it before merging."
                    )
                }
            ) from None
        if count:
            moved[f"{model._meta.label_lower}.{field_name}"] = count
    return moved


def _fill_blanks(survivor: Customer, duplicate: Customer) -> None:
    for name in _FILL_SINGLE:
        if getattr(survivor, name) in (None, "") and getattr(duplicate, name) not in (None, ""):
            setattr(survivor, name, getattr(duplicate, name))
    if not survivor.email and duplicate.email:
        survivor.email = duplicate.email
    elif not survivor.alt_email:
        spare = [e for e in (duplicate.email, duplicate.alt_email) if e and e != survivor.email]
        survivor.alt_email = spare[0] if spare else ""
    if not any(getattr(survivor, name) for name in ADDRESS_FIELDS[:-1]):
        for name in ADDRESS_FIELDS:
            setattr(survivor, name, getattr(duplicate, name))
    if duplicate.notes and duplicate.notes not in survivor.notes:
        survivor.notes = "\n\n".join(n for n in (survivor.notes, duplicate.notes) if n)
    survivor.tags = [*survivor.tags, *(t for t in duplicate.tags if t not in survivor.tags)]
    survivor.last_activity_at = max(survivor.last_activity_at, duplicate.last_activity_at)
    # Safety states are never lost by merging: a hold or a possible OFAC match carries over.
    if duplicate.legal_hold and not survivor.legal_hold:
        survivor.legal_hold = True
        survivor.legal_hold_reason = duplicate.legal_hold_reason
    if duplicate.ofac_status == OfacStatus.POSSIBLE_MATCH:
        survivor.ofac_status = OfacStatus.POSSIBLE_MATCH


def _latest_consents(survivor: Customer) -> None:
    """After the histories join, each channel's most recent decision is the current one
    (so an opt-out given on the duplicate after the survivor's consent is honoured)."""
    for channel in Channel.values:
        latest = (
            CustomerConsent.objects.filter(customer=survivor, channel=channel)
            .order_by("-recorded_at", "-id")
            .first()
        )
        if latest is not None:
            setattr(survivor, consent_field(channel), latest.granted)


@transaction.atomic
def merge_customers(actor: Any, survivor: Customer | int, duplicate: Customer | int) -> Customer:
    """Fold `duplicate` into `survivor`: every record pointing at the duplicate (from any
    app, found through Customer's reverse relations) moves to the survivor, blank survivor
    fields are filled from the duplicate, and the duplicate stays as a pointer."""
    require_permission(actor, "customers.merge_customer")
    survivor_pk = survivor.pk if isinstance(survivor, Customer) else survivor
    duplicate_pk = duplicate.pk if isinstance(duplicate, Customer) else duplicate
    if survivor_pk == duplicate_pk:
        raise ValidationError({"duplicate": "Choose two different customers."})
    # Lock both rows in id order, so two merges of the same pair cannot deadlock.
    rows = {
        c.pk: c
        for c in Customer.objects.select_for_update()
        .filter(pk__in=[survivor_pk, duplicate_pk])
        .order_by("pk")
    }
    if len(rows) != 2:
        raise ValidationError({"duplicate": "One of the customers does not exist."})
    kept, merged = rows[survivor_pk], rows[duplicate_pk]
    require_rooftop(actor, kept.rooftop_id)
    if kept.rooftop_id != merged.rooftop_id:
        raise ValidationError({"duplicate": "Only customers of the same rooftop can be merged."})
    if kept.merged_into_id is not None or merged.merged_into_id is not None:
        raise ValidationError({"duplicate": "One of these customers was already merged."})
    if kept.anonymized_at is not None or merged.anonymized_at is not None:
        raise ValidationError({"duplicate": "An anonymised customer cannot be merged."})
    before = audit_snapshot(kept)
    moved = _move_related(kept, merged)
    _fill_blanks(kept, merged)
    _latest_consents(kept)
    save_customer(kept)
    merged.merged_into = kept
    merged.merged_at = timezone.now()
    save_customer(merged, ["merged_into", "merged_at"])
    changes = audit_changes(before, audit_snapshot(kept))
    changes["merged_from"] = [None, merged.pk]
    changes["moved_records"] = [None, moved]
    audit.record(actor, "customers.merge_customer", kept, changes)
    audit.record(actor, "customers.merged_into", merged, {"merged_into": [None, kept.pk]})
    return kept

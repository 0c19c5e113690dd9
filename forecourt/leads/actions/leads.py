"""Writes to leads: create (also with a walk-in's new customer), update, status, reassign.

Each runs in one transaction, checks the actor's permission and rooftop, writes its audit
entry and tells the customer record that something happened (`note_customer_activity`, which
drives retention). Bad input raises ValidationError with field messages before any write.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from forecourt.accounts.models import Rooftop
from forecourt.core import audit
from forecourt.core.permissions import require_permission
from forecourt.customers.actions import create_customer, note_customer_activity
from forecourt.customers.models import ConsentSource, Customer
from forecourt.inventory.actions import can_reach_rooftop
from forecourt.inventory.models import Vehicle
from forecourt.leads.actions.common import (
    cannot_own_leads,
    check_customer,
    check_vehicle_of_interest,
    check_version,
    lock_lead,
    person_or_none,
    save_lead,
    works_at,
    works_leads,
)
from forecourt.leads.models import Lead, LeadSource, LeadStatus, LostReason

# The pipeline's legal moves (docs/leads.md). A walk-in may go straight from new to shown;
# a missed appointment falls back to contacted; a lost lead may be reopened as new; won is
# final (the deal takes over).
TRANSITIONS: dict[LeadStatus, frozenset[LeadStatus]] = {
    LeadStatus.NEW: frozenset(
        {LeadStatus.CONTACTED, LeadStatus.APPOINTMENT, LeadStatus.SHOWN, LeadStatus.LOST}
    ),
    LeadStatus.CONTACTED: frozenset(
        {LeadStatus.APPOINTMENT, LeadStatus.SHOWN, LeadStatus.QUOTED, LeadStatus.LOST}
    ),
    LeadStatus.APPOINTMENT: frozenset({LeadStatus.CONTACTED, LeadStatus.SHOWN, LeadStatus.LOST}),
    LeadStatus.SHOWN: frozenset({LeadStatus.QUOTED, LeadStatus.WON, LeadStatus.LOST}),
    LeadStatus.QUOTED: frozenset({LeadStatus.SHOWN, LeadStatus.WON, LeadStatus.LOST}),
    LeadStatus.WON: frozenset(),
    LeadStatus.LOST: frozenset({LeadStatus.NEW}),
}
# Fields update_lead may change; status and owner have their own actions.
EDITABLE_FIELDS = frozenset(
    {"source", "source_detail", "vehicle", "vehicle_description", "next_follow_up_on", "notes"}
)


@dataclass
class BulkResult:
    changed: list[int] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)


@transaction.atomic
def create_lead(
    actor: Any,
    customer: Customer,
    *,
    source: LeadSource | str,
    source_detail: str = "",
    vehicle: Vehicle | None = None,
    vehicle_description: str = "",
    owner: Any = None,
    next_follow_up_on: date | None = None,
    notes: str = "",
    assign_to_actor: bool = True,
) -> Lead:
    """A new lead for an existing customer. Without an owner it goes to the actor (when they
    work at the rooftop), unless `assign_to_actor=False` (web and imported leads wait for a
    manager to assign them)."""
    require_permission(actor, "leads.add_lead")
    check_customer(actor, customer)
    check_vehicle_of_interest(vehicle, customer.rooftop_id)
    if owner is None and assign_to_actor and works_at(actor, customer.rooftop_id):
        owner = actor if works_leads(actor) else None
    if owner is not None and not works_at(owner, customer.rooftop_id):
        raise ValidationError({"owner": "The owner must work at the customer's rooftop."})
    if owner is not None and not works_leads(owner):
        raise ValidationError({"owner": cannot_own_leads(owner)})
    lead = Lead(
        rooftop_id=customer.rooftop_id,
        customer=customer,
        source=source,
        source_detail=source_detail,
        vehicle=vehicle,
        vehicle_description=vehicle_description,
        owner=owner,
        next_follow_up_on=next_follow_up_on,
        notes=notes,
        created_by=person_or_none(actor),
    )
    lead.full_clean(exclude=["rooftop", "customer", "vehicle", "owner", "created_by"])
    lead.save()
    audit.record(actor, "leads.create_lead", lead, audit.diff({}, audit.snapshot(lead)))
    note_customer_activity(customer)
    return lead


@transaction.atomic
def take_walk_in(
    actor: Any,
    rooftop: Rooftop,
    customer_data: dict[str, Any],
    *,
    allow_duplicate: bool = False,
    **lead_fields: Any,
) -> Lead:
    """One form, one transaction: the new customer (consent in person) and their lead.

    A suspected duplicate raises the customers app's DuplicateCustomerError (with .matches)
    so the screen can offer the existing records; nothing is written then.
    """
    require_permission(actor, "leads.add_lead")
    # The salesperson who takes the walk-in (or the owner chosen) becomes the customer's
    # salesperson too, unless the form named one: the customer is theirs from now on.
    owner = lead_fields.get("owner")
    if owner is None and works_at(actor, rooftop.pk) and works_leads(actor):
        owner = actor
    if owner is not None and not customer_data.get("assigned_salesperson"):
        customer_data = {**customer_data, "assigned_salesperson": owner}
    customer = create_customer(
        actor,
        rooftop,
        customer_data,
        consent_source=ConsentSource.IN_PERSON,
        allow_duplicate=allow_duplicate,
    )
    lead_fields.setdefault("source", LeadSource.WALK_IN)
    return create_lead(actor, customer, **lead_fields)


@transaction.atomic
def update_lead(
    actor: Any, lead: Lead | int, *, expected_version: int | None = None, **fields: Any
) -> Lead:
    locked = lock_lead(actor, lead, "leads.change_lead")
    check_version(locked, expected_version)
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    if "vehicle" in fields and fields["vehicle"] != locked.vehicle:
        check_vehicle_of_interest(fields["vehicle"], locked.rooftop_id)
    before = audit.snapshot(locked)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=["rooftop", "customer", "vehicle", "owner", "created_by"])
    save_lead(locked, [f"{name}_id" if name == "vehicle" else name for name in fields])
    changes = audit.diff(before, audit.snapshot(locked))
    changes.pop("version", None)
    changes.pop("updated_at", None)
    audit.record(actor, "leads.update_lead", locked, changes)
    note_customer_activity(locked.customer)
    return locked


def set_follow_up(actor: Any, lead: Lead | int, on: date | None) -> Lead:
    """The My day quick action: when to contact the customer next."""
    return update_lead(actor, lead, next_follow_up_on=on)


@transaction.atomic
def change_lead_status(
    actor: Any,
    lead: Lead | int,
    *,
    to_status: LeadStatus | str,
    lost_reason: LostReason | str = "",
    lost_note: str = "",
    expected_version: int | None = None,
) -> Lead:
    locked = lock_lead(actor, lead, "leads.change_lead")
    check_version(locked, expected_version)
    try:
        target = LeadStatus(to_status)
    except ValueError:
        raise ValidationError({"status": f"Unknown status {to_status!r}."}) from None
    current = LeadStatus(locked.status)
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(s.label for s in sorted(TRANSITIONS[current])) or "none (final)"
        raise ValidationError(
            {"status": f"A {current.label.lower()} lead cannot become {target.label.lower()}. "
             f"Allowed: {allowed}."}
        )  # fmt: skip
    if target == LeadStatus.LOST:
        if lost_reason not in LostReason.values:
            raise ValidationError({"lost_reason": "Say why the lead was lost."})
        locked.lost_reason, locked.lost_note = str(lost_reason), lost_note[:200]
    else:
        locked.lost_reason, locked.lost_note = "", ""
    locked.status = target
    save_lead(locked, ["status", "lost_reason", "lost_note"])
    changes: dict[str, list[Any]] = {"status": [current.value, target.value]}
    if target == LeadStatus.LOST:
        changes["lost_reason"] = ["", locked.lost_reason]
    audit.record(actor, "leads.change_lead_status", locked, changes)
    note_customer_activity(locked.customer)
    return locked


@transaction.atomic
def reassign_leads(actor: Any, lead_ids: Iterable[int], new_owner: Any) -> BulkResult:
    """Give leads to another salesperson (managers). The owner must work at each rooftop."""
    require_permission(actor, "leads.reassign_lead")
    ids = sorted(set(lead_ids))
    # Visible rows only, locked in id order (a fixed order cannot deadlock another run).
    rows = list(
        Lead.objects.for_user(actor, "change")
        .filter(pk__in=ids)
        .select_related("customer")
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    result = BulkResult()
    found = {lead.pk for lead in rows}
    for missing in ids:
        if missing not in found:
            result.skipped[missing] = "not found"
    if new_owner.is_active and not works_leads(new_owner):
        raise ValidationError({"owner": cannot_own_leads(new_owner)})
    owner_rooftops = (
        set(new_owner.rooftops.values_list("pk", flat=True)) if new_owner.is_active else set()
    )
    for lead in rows:
        if lead.rooftop_id not in owner_rooftops:
            result.skipped[lead.pk] = f"{new_owner} does not work at this lead's rooftop"
            continue
        if not can_reach_rooftop(actor, lead.rooftop_id):
            result.skipped[lead.pk] = "not found"
            continue
        before = lead.owner_id
        if before == new_owner.pk:
            result.skipped[lead.pk] = "already theirs"
            continue
        lead.owner = new_owner
        save_lead(lead, ["owner"])
        audit.record(actor, "leads.reassign_lead", lead, {"owner_id": [before, new_owner.pk]})
        result.changed.append(lead.pk)
    if not result.changed and not result.skipped:
        raise ValidationError({"ids": "Choose at least one lead."})
    return result

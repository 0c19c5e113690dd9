"""OFAC screening of a customer's names, and a manager's clearance of a possible match."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from forecourt.core import audit
from forecourt.customers.compliance import ofac
from forecourt.customers.compliance.actions.common import (
    clean_reason,
    lock_customer,
    person_or_none,
    save_customer,
)
from forecourt.customers.models import Customer, OfacScreening, OfacStatus


def _was_cleared_for(customer: Customer, matches: list[ofac.Match]) -> bool:
    """A manager cleared these same SDN records for this customer before."""
    if customer.ofac_status != OfacStatus.CLEARED or customer.ofac_cleared_at is None:
        return False
    cleared = (
        OfacScreening.objects.filter(customer=customer, screened_at__lte=customer.ofac_cleared_at)
        .values_list("matches", flat=True)
        .first()
    )
    cleared_ent_nums = {match.get("ent_num") for match in cleared or []}
    return {match.ent_num for match in matches} <= cleared_ent_nums


def _screen(actor: Any, customer: Customer) -> OfacScreening:
    sdn_list = ofac.current_list()
    if sdn_list is None:
        raise ValidationError(
            {"__all__": "No OFAC list has been imported yet (`forecourt ofac-import FILE`)."}
        )
    names = ofac.customer_names(customer)
    if not names:
        raise ValidationError({"__all__": "The customer has no name to screen."})
    best, matches = ofac.find_matches(names, sdn_list)
    result = OfacStatus.POSSIBLE_MATCH if matches else OfacStatus.CLEAR
    now = timezone.now()
    screening = OfacScreening.objects.create(
        customer=customer,
        sdn_list=sdn_list,
        screened_at=now,
        screened_by=person_or_none(actor),
        screened_name=" / ".join(names)[:350],
        result=result,
        best_score=Decimal(str(round(best, 2))),
        matches=[match.as_record() for match in matches[: ofac.MAX_RECORDED_MATCHES]],
    )
    before = customer.ofac_status
    if not (matches and _was_cleared_for(customer, matches)):
        customer.ofac_status = result
        customer.ofac_cleared_by = None
        customer.ofac_cleared_at = None
    customer.ofac_screened_at = now
    customer.ofac_list_version = sdn_list.version
    save_customer(
        customer,
        [
            "ofac_status",
            "ofac_screened_at",
            "ofac_list_version",
            "ofac_cleared_by",
            "ofac_cleared_at",
        ],
    )
    audit.record(
        actor,
        "customers.ofac_screen",
        customer,
        {
            "ofac_status": [before, customer.ofac_status],
            "ofac_list_version": [None, sdn_list.version],
            "best_score": [None, str(screening.best_score)],
            "matched_ent_nums": [None, [match.ent_num for match in matches]],
        },
    )
    return screening


@transaction.atomic
def screen_customer(
    actor: Any, customer: Customer | int, *, expected_version: int | None = None
) -> OfacScreening:
    """Screen the customer's names against the list in force; record the result.

    A possible match sets ofac_status=possible_match, which blocks delivery until a manager
    clears it (ofac.delivery_blocked). Re-screening a cleared customer keeps the clearance
    when it finds only the SDN records that were cleared.
    """
    locked = lock_customer(actor, customer, "customers.change_customer", expected_version)
    return _screen(actor, locked)


def screen_after_change(actor: Any, customer: Customer) -> OfacScreening | None:
    """For the customers' own actions, inside their transaction, after a create or a change
    of name: screen when a list is loaded (None when none is), without a permission check
    of its own (the calling action checked its own). Bumps customer.version."""
    if ofac.current_list() is None or not ofac.customer_names(customer):
        return None
    locked = Customer.objects.select_for_update().get(pk=customer.pk)
    screening = _screen(actor, locked)
    for name in ("ofac_status", "ofac_screened_at", "ofac_list_version", "version", "updated_at"):
        setattr(customer, name, getattr(locked, name))
    return screening


@transaction.atomic
def clear_ofac_match(
    actor: Any, customer: Customer | int, *, reason: str, expected_version: int | None = None
) -> Customer:
    """A manager confirms a possible match is not the listed party; delivery may go ahead."""
    locked = lock_customer(actor, customer, "customers.clear_ofac_customer", expected_version)
    if locked.ofac_status != OfacStatus.POSSIBLE_MATCH:
        raise ValidationError({"__all__": "Only a possible OFAC match can be cleared."})
    reason = clean_reason(reason)
    before = locked.ofac_status
    locked.ofac_status = OfacStatus.CLEARED
    locked.ofac_cleared_by = person_or_none(actor)
    locked.ofac_cleared_at = timezone.now()
    save_customer(locked, ["ofac_status", "ofac_cleared_by", "ofac_cleared_at"])
    audit.record(
        actor,
        "customers.ofac_clear",
        locked,
        {"ofac_status": [before, locked.ofac_status], "reason": [None, reason]},
    )
    return locked

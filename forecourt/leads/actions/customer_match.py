"""Finding the customer a lead from outside is about (website form, CSV import), or taking
them on: matched by email or phone among the rooftop's customers, else created.

Called inside the calling action's transaction; the writes are the customers app's actions.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from forecourt.accounts.models import Rooftop
from forecourt.customers.actions import DuplicateCustomerError, create_customer, record_consent
from forecourt.customers.models import ConsentSource, Customer, CustomerConsent


def find_customer(rooftop: Rooftop, email: str = "", phone: str = "") -> Customer | None:
    """The rooftop's live customer with this (normalised) email or phone, oldest first."""
    match = Q(pk__in=[])
    if email:
        match |= Q(email=email) | Q(alt_email=email)
    if phone:
        match |= Q(mobile_phone=phone) | Q(home_phone=phone) | Q(work_phone=phone)
    return (
        Customer.objects.current()
        .filter(match, rooftop=rooftop, anonymized_at__isnull=True)
        .order_by("pk")
        .first()
    )


def match_or_create_customer(
    actor: Any,
    rooftop: Rooftop,
    data: dict[str, Any],
    consents: dict[str, bool],
    source: ConsentSource,
    *,
    regrant: bool,
) -> tuple[Customer, bool]:
    """(customer, matched). New customers get `consents`; an existing one gets a granted
    channel only when `regrant` (the customer asked, e.g. on the website form) or when they
    never decided on that channel (so a recorded opt-out always stands)."""
    customer = find_customer(rooftop, data.get("email", ""), data.get("mobile_phone", ""))
    if customer is None:
        wanted = {f"consent_{channel}": granted for channel, granted in consents.items()}
        try:
            created = create_customer(actor, rooftop, {**data, **wanted}, consent_source=source)
        except DuplicateCustomerError as duplicate:
            customer = duplicate.matches[0]
        else:
            return created, False
    decided = set(
        CustomerConsent.objects.filter(customer=customer).values_list("channel", flat=True)
    )
    for channel, granted in consents.items():
        if not granted or customer.consents().get(channel):
            continue
        if regrant or channel not in decided:
            record_consent(actor, customer, channel, True, source)
    return customer, True

"""Demo deals for `forecourt seed-demo`: per rooftop a fee table, a tax area (US) and three
deals (a quote, an approved deal and a delivered cash sale), made through the actions so
they are audited like real work. A rooftop that already has deals is left alone."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group

from forecourt.accounts.models import Rooftop, User
from forecourt.accounts.roles import Role
from forecourt.core.demo import DemoOptions
from forecourt.customers.models import Customer, OfacStatus
from forecourt.deals import actions
from forecourt.deals.models import Deal, Fee
from forecourt.deals.numbers import deal_numbers
from forecourt.inventory.models import Status, Vehicle

US_FEES = [
    ("Documentation fee", "doc_fee", "299.00"),
    ("Title and registration", "government_fee", "151.00"),
]
UK_FEES = [("Delivery and handover", "other_fee", "195.00")]


def _actor(rooftop: Rooftop) -> User | None:
    for role in (Role.OWNER, Role.GENERAL_MANAGER, Role.SALES_MANAGER):
        group = Group.objects.filter(name=role.value).first()
        found = User.objects.filter(groups=group, rooftops=rooftop, is_active=True).first()
        if found is not None:
            return found
    return None


def _set_up(actor: Any, rooftop: Rooftop) -> None:
    if rooftop.country == "US":
        actions.update_deal_settings(actor, rooftop, tax_area="US-IL", discount_limit="1500.00")
    if Fee.objects.filter(rooftop=rooftop).exists():
        return
    for name, kind, amount in US_FEES if rooftop.country == "US" else UK_FEES:
        taxable = kind == "other_fee" and rooftop.country == "GB"
        actions.add_fee(actor, rooftop, name=name, kind=kind, amount=amount,
                        taxable=taxable, added_by_default=True)  # fmt: skip


def seed_deals() -> int:
    added = 0
    for rooftop in Rooftop.objects.filter(is_active=True):
        actor = _actor(rooftop)
        if actor is None or Deal.objects.filter(rooftop=rooftop).exists():
            continue
        _set_up(actor, rooftop)
        vehicles = list(Vehicle.objects.filter(rooftop=rooftop, status=Status.AVAILABLE)[:3])
        buyers = list(
            Customer.objects.current()
            .filter(rooftop=rooftop, anonymized_at__isnull=True)
            .exclude(ofac_status=OfacStatus.POSSIBLE_MATCH)[:3]
        )
        for step, (vehicle, buyer) in enumerate(zip(vehicles, buyers, strict=False)):
            deal = actions.create_deal(actor, vehicle=vehicle, buyer=buyer)
            added += 1
            if step >= 1:
                actions.approve_deal(actor, deal, note="Demo")
            if step == 2:
                actions.contract_deal(actor, deal)
                due = deal_numbers(deal).totals.balance_due
                if due > 0:
                    actions.take_payment(actor, deal, method="bank_transfer", amount=due)
                actions.deliver_deal(actor, deal, odometer=vehicle.odometer)
    return added


def seed_demo(options: DemoOptions) -> str:
    """The seed-demo step for deals (core/demo.py)."""
    return f"Demo deals: {seed_deals()} deal(s) added."

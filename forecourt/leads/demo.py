"""Demo leads for `forecourt seed-demo`: a few leads per rooftop along the pipeline, a call,
a note, one appointment and one vehicle out on a test drive. Made through the actions (so
they are audited like real work); a rooftop that already has leads is left alone."""

from __future__ import annotations

import random
import zoneinfo
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib.auth.models import Group
from django.utils import timezone

from forecourt.accounts.models import Rooftop, User
from forecourt.accounts.roles import Role
from forecourt.core.demo import DemoOptions
from forecourt.customers.actions import create_customer
from forecourt.customers.consent import may_contact
from forecourt.customers.models import Customer
from forecourt.inventory.models import Status, Vehicle
from forecourt.leads import actions
from forecourt.leads.models import ActivityKind, Lead

# (status, days from today to the next follow-up, source, what they want)
PIPELINE = [
    ("new", 0, "website", "Asked for the best price on a family SUV"),
    ("contacted", -2, "phone", "Wants a pickup under 40k"),
    ("appointment", 1, "walk_in", ""),
    ("shown", 3, "referral", ""),
    ("quoted", 5, "marketplace", "Comparing with a dealer across town"),
]
STEPS = ["new", "contacted", "appointment", "shown", "quoted"]
DEMO_PEOPLE = [("Maria", "Lopez"), ("James", "Okafor"), ("Priya", "Shah"), ("Tom", "Becker")]


def _members(rooftop: Rooftop, role: Role) -> list[User]:
    group = Group.objects.filter(name=role.value).first()
    if group is None:
        return []
    return list(User.objects.filter(groups=group, rooftops=rooftop, is_active=True).order_by("pk"))


def _actor(rooftop: Rooftop) -> User | None:
    for role in (Role.OWNER, Role.GENERAL_MANAGER, Role.SALES_MANAGER):
        members = _members(rooftop, role)
        if members:
            return members[0]
    return None


def _customers(actor: Any, rooftop: Rooftop, wanted: int) -> list[Customer]:
    """Customers the salespeople may call (consent given, a phone on file): every demo
    lead past "new" says someone was contacted, and a history must match the consents."""
    found = [
        customer
        for customer in Customer.objects.current()
        .filter(rooftop=rooftop, anonymized_at__isnull=True, consent_call=True)
        .order_by("pk")[: wanted * 3]
        if may_contact(customer, "call")
    ][:wanted]
    for index, (first, last) in enumerate(DEMO_PEOPLE[: max(0, wanted - len(found))]):
        found.append(
            create_customer(
                actor,
                rooftop,
                {
                    "first_name": first,
                    "last_name": last,
                    "email": f"{first}.{last}@example.com",
                    "mobile_phone": f"+1415555{200 + index:04d}",
                    "consent_call": True,
                    "consent_sms": True,
                },
                allow_duplicate=True,
            )
        )
    return found


def seed_rooftop(rooftop: Rooftop, rng: random.Random) -> int:
    actor = _actor(rooftop)
    if actor is None or Lead.objects.filter(rooftop=rooftop).exists():
        return 0
    sellers = _members(rooftop, Role.SALESPERSON) or [actor]
    customers = _customers(actor, rooftop, len(PIPELINE))
    if not customers:
        return 0
    vehicles = list(Vehicle.objects.filter(rooftop=rooftop, status=Status.AVAILABLE)[:20])
    today = timezone.localdate()
    created = 0
    for index, (status, days, source, wish) in enumerate(PIPELINE):
        customer = customers[index % len(customers)]
        lead = actions.create_lead(
            actor,
            customer,
            source=source,
            owner=sellers[index % len(sellers)],
            vehicle=rng.choice(vehicles) if vehicles and not wish else None,
            vehicle_description=wish,
            next_follow_up_on=today + timedelta(days=days),
        )
        for step in STEPS[1 : STEPS.index(status) + 1]:
            lead = actions.change_lead_status(actor, lead, to_status=step)
        created += 1
    first = customers[0]
    actions.log_activity(
        actor, first, kind=ActivityKind.CALL, direction="inbound",
        body="Called to ask whether the SUV is still available.",
    )  # fmt: skip
    note = "Prefers texts after 5pm." if may_contact(first, "sms") else "Prefers calls after 5pm."
    actions.log_activity(actor, first, kind=ActivityKind.NOTE, body=note)
    zone = zoneinfo.ZoneInfo(rooftop.time_zone)  # 10 a.m. tomorrow at the rooftop
    tomorrow = datetime.combine(
        timezone.localdate(timezone=zone) + timedelta(days=1), time(10, 0), tzinfo=zone
    )
    actions.schedule_appointment(
        actor, customers[min(2, len(customers) - 1)], salesperson=sellers[0],
        starts_at=tomorrow, ends_at=tomorrow + timedelta(hours=1), subject="Drive and appraisal",
    )  # fmt: skip
    free = [v for v in vehicles if not v.test_drives.filter(in_at__isnull=True).exists()]
    if free:
        actions.start_test_drive(
            actor, customers[-1], vehicle=free[0], drivers_license_number="D4410078",
            drivers_license_state=rooftop.country if rooftop.country != "US" else "IL",
            odometer_out=free[0].odometer,
        )  # fmt: skip
    return created


def seed_leads(rooftops: list[Rooftop] | None = None, seed: int = 7) -> int:
    """Add demo leads to every rooftop that has none; returns how many were added."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    return sum(seed_rooftop(rooftop, rng) for rooftop in rooftops or Rooftop.objects.order_by("pk"))


def seed_demo(options: DemoOptions) -> str:
    """The seed-demo step for leads (core/demo.py)."""
    return f"Demo leads: {seed_leads()} lead(s) added."

"""Demo rooftops and one user per role, for `forecourt seed-demo` (development only)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from forecourt.accounts.models import Country, Currency, Rooftop, User
from forecourt.accounts.roles import Role
from forecourt.core.demo import DemoLogin, DemoOptions
from forecourt.core.progress import progress

DEMO_PASSWORD = "forecourt-demo-2026"  # noqa: S105 - printed on purpose; refused in production
DEMO_DOMAIN = settings.FORECOURT_DEMO_EMAIL_DOMAIN

DEMO_ROOFTOPS = [
    {
        "code": "springfield",
        "name": "Forecourt Motors Springfield",
        "country": Country.US,
        "currency": Currency.USD,
        "locale": "en-US",
        "time_zone": "America/Chicago",
        "address": "1200 Route 66\nSpringfield, IL 62701",
        "phone": "+1 217 555 0100",
    },
    {
        "code": "leeds",
        "name": "Forecourt Motors Leeds",
        "country": Country.GB,
        "currency": Currency.GBP,
        "locale": "en-GB",
        "time_zone": "Europe/London",
        "address": "Kirkstall Road\nLeeds LS4 2AA",
        "phone": "+44 113 496 0000",
    },
]


@dataclass(frozen=True)
class DemoUser:
    local_part: str
    full_name: str
    role: Role
    rooftops: tuple[str, ...] = ("springfield",)

    @property
    def email(self) -> str:
        return f"{self.local_part}@{DEMO_DOMAIN}"


DEMO_USERS = [
    DemoUser("owner", "Olivia Owner", Role.OWNER, ("springfield", "leeds")),
    DemoUser("gm", "Grace Manager", Role.GENERAL_MANAGER, ("springfield", "leeds")),
    DemoUser("sales.manager", "Sam Desk", Role.SALES_MANAGER),
    DemoUser("sales", "Sally Seller", Role.SALESPERSON),
    DemoUser("fi", "Frank Finance", Role.FI_MANAGER),
    DemoUser("service", "Sasha Advisor", Role.SERVICE_ADVISOR),
    DemoUser("tech", "Terry Technician", Role.TECHNICIAN),
    DemoUser("parts", "Pat Parts", Role.PARTS),
    DemoUser("accounting", "Alex Ledger", Role.ACCOUNTANT),
    DemoUser("readonly", "Riley Viewer", Role.READ_ONLY),
    DemoUser("sales.leeds", "Lee Seller", Role.SALESPERSON, ("leeds",)),
]


@transaction.atomic
def seed_accounts() -> tuple[int, int]:
    """Create what is missing; never duplicates. Returns (rooftops created, users created)."""
    rooftops_created = users_created = 0
    rooftops: dict[str, Rooftop] = {}
    for fields in DEMO_ROOFTOPS:
        rooftop, created = Rooftop.objects.get_or_create(code=fields["code"], defaults=fields)
        rooftops[rooftop.code] = rooftop
        rooftops_created += created
    groups = {group.name: group for group in Group.objects.all()}
    for demo in progress(DEMO_USERS, desc="Demo users"):
        if User.objects.filter(email=demo.email).exists():
            continue
        user = User.objects.create_user(demo.email, DEMO_PASSWORD, full_name=demo.full_name)
        user.groups.set([groups[demo.role.value]])
        user.rooftops.set([rooftops[code] for code in demo.rooftops])
        users_created += 1
    return rooftops_created, users_created


def seed_demo(options: DemoOptions) -> str:
    """The seed-demo step for accounts (core/demo.py)."""
    rooftops, users = seed_accounts()
    return f"Demo data: {rooftops} rooftop(s) and {users} user(s) added."


def demo_logins() -> tuple[str, list[DemoLogin]]:
    return DEMO_PASSWORD, [
        DemoLogin(demo.role.value, demo.email, ", ".join(demo.rooftops)) for demo in DEMO_USERS
    ]

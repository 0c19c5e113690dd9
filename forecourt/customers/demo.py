"""Demo customers for `forecourt seed-demo [--customers N]`: realistic and fast.

Names follow a skewed distribution (English and Spanish names; Spanish speakers prefer
Spanish), phones are valid numbers of the rooftop's country in E.164, emails are unique and
lower-cased, consents and tags look like a real CRM. The first rows of each run, and about
1 in 100 after, carry encrypted identifiers (date of birth, SSN, licence): encryption is per
row, so a 200,000-row load keeps most of them blank. PostgreSQL loads with COPY, SQLite with
bulk_create (core/db/bulk.py). Demo rows are bulk-loaded: no audit entries; their consent
history is one "import" row per granted channel.
Demo customers are recognised by their email domain, so the command only tops up.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from forecourt.accounts.models import Rooftop, User
from forecourt.core.db import bulk
from forecourt.core.demo import DemoOptions
from forecourt.core.progress import progress
from forecourt.customers.consent import CONSENT_FIELDS
from forecourt.customers.models import ConsentSource, Customer, CustomerConsent

DEFAULT_DEMO_CUSTOMERS = 12
DEMO_EMAIL_DOMAIN = "customers.demo.forecourt.test"
BATCH = 5_000
WITH_IDENTIFIERS_FIRST = 20  # the handful an F&I demo reveals

FIRST_NAMES = [
    ("James", 9),
    ("Mary", 8),
    ("Robert", 8),
    ("Patricia", 7),
    ("John", 9),
    ("Jennifer", 7),
    ("Michael", 8),
    ("Linda", 6),
    ("David", 7),
    ("Elizabeth", 6),
    ("William", 6),
    ("Susan", 5),
    ("Richard", 5),
    ("Jessica", 5),
    ("Joseph", 5),
    ("Sarah", 5),
    ("Thomas", 4),
    ("Karen", 4),
    ("Daniel", 4),
    ("Emily", 4),
    ("Ashley", 3),
    ("Kevin", 3),
    ("Olivia", 3),
    ("Noah", 3),
]
SPANISH_FIRST_NAMES = [
    ("José", 6),
    ("María", 7),
    ("Juan", 5),
    ("Guadalupe", 3),
    ("Luis", 4),
    ("Ana", 4),
    ("Carlos", 4),
    ("Sofía", 3),
    ("Miguel", 3),
    ("Lucía", 2),
    ("Alejandro", 2),
    ("Camila", 2),
]
LAST_NAMES = [
    ("Smith", 10),
    ("Johnson", 8),
    ("Williams", 7),
    ("Brown", 7),
    ("Jones", 6),
    ("Miller", 5),
    ("Davis", 5),
    ("Wilson", 4),
    ("Anderson", 4),
    ("Taylor", 4),
    ("Thomas", 3),
    ("Moore", 3),
    ("Jackson", 3),
    ("Martin", 3),
    ("Lee", 3),
    ("Thompson", 3),
    ("White", 3),
    ("Harris", 2),
    ("Clark", 2),
    ("Lewis", 2),
    ("Walker", 2),
    ("Hall", 2),
    ("Young", 2),
    ("King", 2),
]
SPANISH_LAST_NAMES = [
    ("Garcia", 8),
    ("Rodriguez", 7),
    ("Martinez", 7),
    ("Hernandez", 6),
    ("Lopez", 6),
    ("Gonzalez", 5),
    ("Perez", 4),
    ("Sanchez", 4),
    ("Ramirez", 3),
    ("Torres", 3),
    ("Núñez", 2),
]
BUSINESSES = ["Fleet Services", "Landscaping", "Plumbing Co", "Courier LLC", "Construction"]
US_CITIES = [("Springfield", "IL", "627"), ("Chatham", "IL", "626"), ("Decatur", "IL", "625")]
GB_CITIES = [("Leeds", "West Yorkshire", "LS"), ("Bradford", "West Yorkshire", "BD")]
US_AREA_CODES = ["217", "309", "312", "618", "773"]
TAGS = [("", 60), ("vip", 5), ("trade-in", 12), ("first-time buyer", 8), ("fleet", 3),
        ("service customer", 12)]  # fmt: skip


def _weighted(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _phone(rng: random.Random, country: str, index: int) -> str:
    """A valid number, unique per index (exchange and line come from the index)."""
    if country == "GB":
        return f"+447{rng.choice('45789')}{index % 100_000_000:08d}"
    exchange = 200 + (index // 10_000) % 700
    if exchange % 100 == 11 or exchange == 555:  # N11 and 555 exchanges are not numbers
        exchange += 1
    return f"+1{rng.choice(US_AREA_CODES)}{exchange}{index % 10_000:04d}"


def _row(
    rng: random.Random, rooftop: Rooftop, index: int, salespeople: list[int], now: dt.datetime
) -> dict[str, Any]:
    spanish = rooftop.country == "US" and rng.random() < 0.22
    first = _weighted(rng, SPANISH_FIRST_NAMES if spanish else FIRST_NAMES)
    last = _weighted(rng, SPANISH_LAST_NAMES if spanish else LAST_NAMES)
    business = rng.random() < 0.04
    cities = GB_CITIES if rooftop.country == "GB" else US_CITIES
    city, region, postal = rng.choice(cities)
    ascii_last = last.replace("ú", "u").replace("ñ", "n").lower()
    email = f"{first[0].lower()}.{ascii_last}{index}@{DEMO_EMAIL_DOMAIN}"
    tag = _weighted(rng, TAGS)
    row: dict[str, Any] = {
        "rooftop_id": rooftop.pk,
        "kind": "business" if business else "person",
        "first_name": first,
        "last_name": last,
        "business_name": f"{last} {rng.choice(BUSINESSES)}" if business else "",
        "email": email,  # every demo row has one: the domain is how a top-up counts them
        "mobile_phone": _phone(rng, rooftop.country, index),
        "home_phone": "",
        "work_phone": "",
        "address_line1": f"{rng.randint(1, 9999)} {rng.choice(['Oak', 'Main', 'Elm'])} St",
        "city": city,
        "region": region,
        "postal_code": f"{postal}{rng.randint(1, 99):02d}"
        if rooftop.country == "US"
        else f"{postal}{rng.randint(1, 20)} {rng.randint(1, 9)}AB",
        "country": rooftop.country,
        "preferred_language": "es" if spanish and rng.random() < 0.7 else "en",
        "consent_call": rng.random() < 0.7,
        "consent_sms": rng.random() < 0.45,
        "consent_email": rng.random() < 0.55,
        "tags": [tag] if tag else [],
        "assigned_salesperson_id": rng.choice(salespeople) if salespeople else None,
        "last_activity_at": now - dt.timedelta(days=int(rng.expovariate(1 / 200))),
        "created_at": now - dt.timedelta(days=rng.randint(0, 900)),
        "updated_at": now,
    }
    if index <= WITH_IDENTIFIERS_FIRST or rng.random() < 0.01:
        row["date_of_birth"] = dt.date(rng.randint(1950, 2004), rng.randint(1, 12), 15)
        if rooftop.country == "US":
            row["ssn"] = f"{rng.randint(100, 665)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}"
            row["drivers_license_number"] = f"{last[0]}{rng.randint(1_000_000, 9_999_999)}"
            row["drivers_license_state"] = "IL"
        row["employer"] = rng.choice(["Springfield Hospital", "State of Illinois", "Self"])
        row["income"] = Decimal(rng.randint(28, 180) * 1000)
    return row


def generate(
    count: int, rooftops: list[Rooftop], salespeople: dict[int, list[int]], *, start: int = 0
) -> Iterator[Customer]:
    rng = random.Random(4242 + start)  # noqa: S311 - demo data, not security
    now = timezone.now()
    for offset in range(count):
        index = start + offset + 1
        rooftop = rooftops[offset % len(rooftops)]
        yield Customer(**_row(rng, rooftop, index, salespeople.get(rooftop.pk, []), now))


def seed_customers(count: int, rooftops: list[Rooftop] | None = None) -> int:
    """Top up to `count` demo customers across the rooftops. Returns how many were added."""
    rooftops = rooftops or list(Rooftop.objects.filter(is_active=True).order_by("pk"))
    if not rooftops or count <= 0:
        return 0
    existing = Customer.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}").count()
    missing = count - existing
    if missing <= 0:
        return 0
    salespeople: dict[int, list[int]] = {}
    for user in User.objects.filter(is_active=True, groups__name="Salesperson").prefetch_related(
        "rooftops"
    ):
        for rooftop in user.rooftops.all():
            salespeople.setdefault(rooftop.pk, []).append(user.pk)
    rows = progress(
        generate(missing, rooftops, salespeople, start=existing),
        total=missing,
        desc="Demo customers",
    )
    # Each value prepared by its field as save() would: encryption, blind indexes, JSON.
    with transaction.atomic():
        bulk.copy_objects(Customer, rows, prepare=True, batch_size=BATCH)
    _record_consent_history()
    return missing


def _record_consent_history() -> None:
    """Each granted demo consent gets its history row (source "import"), so a demo
    customer's page never says "may contact" with no record of why."""
    demo = Customer.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
    with transaction.atomic():
        for channel, flag in CONSENT_FIELDS.items():
            granted = demo.filter(**{flag: True}).exclude(consent_history__channel=channel)
            rows = granted.values_list("pk", "created_at").iterator(chunk_size=BATCH)
            for batch in itertools.batched(rows, BATCH):
                CustomerConsent.objects.bulk_create(
                    CustomerConsent(
                        customer_id=pk,
                        channel=channel,
                        granted=True,
                        source=ConsentSource.IMPORT,
                        recorded_at=created_at,
                        note="demo data",
                    )
                    for pk, created_at in batch
                )


def seed_demo(options: DemoOptions) -> str:
    """The seed-demo step for customers (core/demo.py)."""
    count = DEFAULT_DEMO_CUSTOMERS if options.customers is None else options.customers
    return f"Demo customers: {seed_customers(count)} customer(s) added."

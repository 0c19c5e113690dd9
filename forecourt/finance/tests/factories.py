"""Finance records for tests, made through the actions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from forecourt.customers.actions import create_customer
from forecourt.finance import actions
from forecourt.finance.credit import actions as credit_actions
from forecourt.finance.credit.models import CreditApplication
from forecourt.finance.models import FinanceProduct, Lender, ProductMenu


def lender(actor: Any, rooftop: Any, **fields: Any) -> Lender:
    values = {
        "name": f"First Bank {rooftop.pk}",
        "kind": "bank",
        "max_markup": Decimal("2.50"),
        "reserve_share_percent": Decimal("75"),
        "max_term": 84,
        "max_advance_percent": Decimal("125"),
        **fields,
    }
    created = actions.create_lender(actor, rooftop, values)
    return actions.set_lender_rates(
        actor,
        created,
        [
            actions.RateBand("prime", 1, 60, Decimal("4.49")),
            actions.RateBand("prime", 61, 84, Decimal("5.29")),
            actions.RateBand("subprime", 1, 72, Decimal("11.90")),
        ],
        created.version,
    )


def product(actor: Any, rooftop: Any, name: str = "Platinum VSC", **fields: Any) -> FinanceProduct:
    values = {
        "name": name,
        "kind": "service_contract",
        "provider": "Acme Warranty",
        "cost": Decimal("900.00"),
        "price": Decimal("1995.00"),
        "min_price": Decimal("1200.00"),
        "max_price": Decimal("2995.00"),
        "term_months": 60,
        "mileage": 75000,
        "taxable_jurisdictions": ["US-TX"],
        **fields,
    }
    return actions.create_product(actor, rooftop, values)


def menu(actor: Any, rooftop: Any) -> ProductMenu:
    """Good: service contract; better: + GAP; best: + GAP + tyre and wheel."""
    vsc = product(actor, rooftop)
    gap = product(
        actor,
        rooftop,
        "GAP",
        kind="gap",
        cost=Decimal("300"),
        price=Decimal("795"),
        min_price=Decimal("500"),
        max_price=Decimal("995"),
        taxable_jurisdictions=[],
    )
    tyre = product(
        actor,
        rooftop,
        "Tyre and wheel",
        kind="tire_wheel",
        cost=Decimal("250"),
        price=Decimal("699"),
        min_price=Decimal("399"),
        max_price=Decimal("899"),
        taxable_jurisdictions=[],
    )
    created = actions.create_menu(actor, rooftop, {"name": f"Standard {rooftop.pk}"})
    lines = [
        actions.MenuLine("good", vsc.pk),
        actions.MenuLine("better", vsc.pk),
        actions.MenuLine("better", gap.pk),
        actions.MenuLine("best", vsc.pk),
        actions.MenuLine("best", gap.pk),
        actions.MenuLine("best", tyre.pk, Decimal("599.00")),
    ]
    return actions.set_menu_entries(actor, created, lines, created.version)


APPLICANT = {
    "first_name": "Dana",
    "last_name": "Buyer",
    "date_of_birth": date(1985, 4, 12),
    "ssn": "123-45-6789",
    "address": "12 Elm Street, Springfield IL 62701",
    "housing_status": "rent",
    "housing_payment": Decimal("1200.00"),
    "months_at_address": 30,
    "employer": "Springfield Hospital",
    "occupation": "Nurse",
    "months_employed": 60,
    "monthly_income": Decimal("5800.00"),
}


def credit_application(actor: Any, rooftop: Any, co_applicant: bool = False) -> CreditApplication:
    customer = create_customer(
        actor,
        rooftop,
        {"first_name": "Dana", "last_name": f"Buyer {rooftop.pk}", "email": "dana@example.com"},
        allow_duplicate=True,
    )
    second = {**APPLICANT, "first_name": "Sam", "ssn": "987-65-4321"} if co_applicant else None
    return credit_actions.take_credit_application(actor, customer, APPLICANT, second)

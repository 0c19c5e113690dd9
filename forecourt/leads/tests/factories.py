"""Test helpers: customers, leads and vehicles made through the apps' actions."""

from __future__ import annotations

import itertools
from typing import Any

from forecourt.customers.actions import create_customer
from forecourt.customers.models import Customer
from forecourt.leads import actions
from forecourt.leads.models import Lead

_serial = itertools.count(1)


def make_customer(actor: Any, rooftop: Any, **data: Any) -> Customer:
    n = next(_serial)
    values = {
        "first_name": "Ana",
        "last_name": f"Diaz{n}",
        "email": f"ana{n}@example.com",
        "mobile_phone": f"+1415555{n % 10000:04d}",
        **data,
    }
    return create_customer(actor, rooftop, values, allow_duplicate=True)


def make_lead(actor: Any, rooftop: Any, customer: Customer | None = None, **fields: Any) -> Lead:
    customer = customer or make_customer(actor, rooftop)
    fields.setdefault("source", "walk_in")
    return actions.create_lead(actor, customer, **fields)

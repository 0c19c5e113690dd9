"""Customers for the compliance tests (leads and activities: leads/tests/test_customer_records.py).

Rows are written directly: the compliance actions under test take them as they are, and the
customers actions (with their own rules and tests) are not needed to set them up.
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

from django.utils import timezone

from forecourt.customers.models import Customer

_serial = itertools.count(1)


def make_customer(rooftop: Any, **fields: Any) -> Customer:
    n = next(_serial)
    defaults: dict[str, Any] = {
        "first_name": "Test",
        "last_name": f"Customer{n}",
        "email": f"customer{n}@example.com",
    }
    return Customer.objects.create(rooftop=rooftop, **{**defaults, **fields})


def idle_customer(rooftop: Any, days: int, **fields: Any) -> Customer:
    """A customer whose last activity was `days` ago."""
    return make_customer(rooftop, last_activity_at=timezone.now() - timedelta(days=days), **fields)

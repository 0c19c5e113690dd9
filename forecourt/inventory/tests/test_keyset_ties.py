"""Keyset pages through many rows with the same sort value (prices cluster on ...95.00):
every row exactly once, in (value, id) order, both directions, on the ORM path and the
compiled API path."""

from __future__ import annotations

from decimal import Decimal

import pytest

from forecourt.accounts.roles import Role
from forecourt.inventory import reads
from forecourt.inventory.models import Vehicle
from forecourt.inventory.search import VehicleFilters, search
from forecourt.inventory.tests.factories import receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def tied(make_user, rooftop):
    manager = make_user(Role.SALES_MANAGER, rooftops=[rooftop])
    prices = ["19995.00"] * 9 + ["18995.00", "20995.00"] * 2
    vehicles = [receive(manager, rooftop, list_price=Decimal(p)) for p in prices]
    return manager, vehicles


def _walk(page_of, sort: str, limit: int) -> list[int]:
    ids: list[int] = []
    cursor = ""
    for _ in range(20):
        page = page_of(VehicleFilters(sort=sort), cursor, limit)
        ids += [row["id"] for row in page.rows]
        if not page.has_next:
            return ids
        cursor = page.next_cursor
    raise AssertionError("more pages than rows")


@pytest.mark.parametrize("sort", ["list_price", "-list_price"])
@pytest.mark.parametrize("limit", [1, 2, 4])
def test_pages_through_equal_prices_hold_every_row_once_in_order(tied, sort, limit):
    manager, vehicles = tied
    expected = [
        v.pk
        for v in sorted(vehicles, key=lambda v: (v.list_price, v.pk), reverse=sort.startswith("-"))
    ]
    orm = _walk(
        lambda f, cursor, n: search(Vehicle.objects.all(), f, cursor=cursor, limit=n), sort, limit
    )
    compiled = _walk(
        lambda f, cursor, n: reads.list_page(manager, f, cursor=cursor, limit=n), sort, limit
    )
    assert orm == expected
    assert compiled == expected

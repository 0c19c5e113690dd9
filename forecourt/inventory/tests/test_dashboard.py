"""The dashboard's stock panel: counts per rooftop, scoped, from one cached query."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from forecourt.inventory import actions
from forecourt.inventory.dashboard import stock_rows
from forecourt.inventory.models import Vehicle
from forecourt.inventory.tests.factories import receive

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_stock_counts_by_status_and_age(salesperson, rooftop, owner, other_rooftop):
    today = timezone.localdate()
    receive(salesperson, rooftop)  # available, new today
    old = receive(salesperson, rooftop)
    Vehicle.objects.filter(pk=old.pk).update(acquired_on=today - timedelta(days=100))
    mid = receive(salesperson, rooftop, status="incoming")
    Vehicle.objects.filter(pk=mid.pk).update(acquired_on=today - timedelta(days=70))
    held = receive(salesperson, rooftop)
    actions.hold_vehicle(salesperson, held, deal_reference="D-1")
    sold = receive(salesperson, rooftop)
    actions.change_status(salesperson, sold, to_status="sold", reason="deal")
    receive(owner, other_rooftop)  # not the salesperson's rooftop

    (row,) = stock_rows(salesperson)
    assert row["rooftop__name"] == rooftop.name
    assert {k: row[k] for k in row if k not in ("rooftop_id", "rooftop__name")} == {
        "in_stock": 4,
        "available": 2,
        "on_hold": 1,
        "getting_ready": 1,
        "aged_61_90": 1,
        "aged_over_90": 1,
        "sold_30_days": 1,
    }
    assert [r["rooftop__name"] for r in stock_rows(owner)] == sorted(
        [rooftop.name, other_rooftop.name]
    )


def test_the_panel_shows_on_the_dashboard_only_to_those_who_see_vehicles(
    client_for, salesperson, rooftop, make_user
):
    receive(salesperson, rooftop)
    page = client_for(salesperson).get("/").content.decode()
    assert 'id="dashboard-stock"' in page
    assert f"?rooftop={rooftop.pk}&amp;status=available" in page
    nobody = make_user(None)
    assert 'id="dashboard-stock"' not in client_for(nobody).get("/").content.decode()


def test_counts_are_cached_between_views(
    client_for, salesperson, rooftop, django_assert_num_queries
):
    receive(salesperson, rooftop)
    client = client_for(salesperson)
    client.get("/")
    receive(salesperson, rooftop)
    page = client.get("/").content.decode()
    # Still one unit: the second view read the cached numbers, not the table.
    assert ">1</a></td>" in page
    assert ">2</a></td>" not in page

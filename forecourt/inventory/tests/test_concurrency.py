"""Holds and stock numbers stay correct when several processes act at once (PostgreSQL).

Each thread has its own database connection, as separate app processes would.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from forecourt.accounts.testing import restore_roles
from forecourt.core.testing import run_at_once as run_concurrently
from forecourt.inventory import actions
from forecourt.inventory.models import Vehicle, VehicleHold
from forecourt.inventory.tests.factories import make_vin, receive

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]
WORKERS = 8


@pytest.fixture(autouse=True)
def roles():
    restore_roles()


def run_at_once(work):
    return run_concurrently(work, WORKERS)


def test_only_one_of_many_concurrent_holds_wins(salesperson, rooftop):
    vehicle = receive(salesperson, rooftop)
    outcomes = run_at_once(
        lambda n: actions.hold_vehicle(salesperson, vehicle.pk, deal_reference=f"D-{n}")
    )
    wins = [value for kind, value in outcomes if kind == "ok"]
    losses = [value for kind, value in outcomes if kind == "error"]
    assert len(wins) == 1
    assert len(losses) == WORKERS - 1
    assert all(isinstance(e, ValidationError) for e in losses)
    assert VehicleHold.objects.filter(vehicle=vehicle, released_at__isnull=True).count() == 1


def test_the_database_refuses_a_second_active_hold(salesperson, rooftop):
    vehicle = receive(salesperson, rooftop)
    expires = timezone.now() + timezone.timedelta(hours=1)
    VehicleHold.objects.create(vehicle=vehicle, deal_reference="A", expires_at=expires)
    with pytest.raises(IntegrityError), transaction.atomic():
        VehicleHold.objects.create(vehicle=vehicle, deal_reference="B", expires_at=expires)


def test_concurrent_receipts_get_distinct_stock_numbers(salesperson, rooftop):
    vins = [make_vin() for _ in range(WORKERS)]
    outcomes = run_at_once(lambda n: receive(salesperson, rooftop, vin=vins[n]).stock_number)
    numbers = [value for kind, value in outcomes if kind == "ok"]
    assert len(numbers) == WORKERS, outcomes
    assert len(set(numbers)) == WORKERS
    assert Vehicle.objects.filter(rooftop=rooftop).count() == WORKERS

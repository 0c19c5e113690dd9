"""Holds and stock numbers stay correct when several processes act at once (PostgreSQL).

Each thread has its own database connection, as separate app processes would.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

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
    # A transactional test flushes the tables, role groups included: put them back.
    from django.contrib.auth.models import Group, Permission

    from forecourt.accounts.roles import sync_roles

    sync_roles(Group, Permission)


def run_at_once(work):
    barrier = threading.Barrier(WORKERS)
    outcomes = []

    def worker(n):
        try:
            barrier.wait()
            outcomes.append(("ok", work(n)))
        except Exception as error:
            outcomes.append(("error", error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


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

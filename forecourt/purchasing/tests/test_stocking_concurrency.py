"""The interest job run by several workers at once accrues each day once (PostgreSQL).

Each thread has its own database connection, as separate worker processes would.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from forecourt.accounts.roles import Role
from forecourt.accounts.testing import restore_roles
from forecourt.core.testing import run_at_once
from forecourt.inventory.models import VehicleCost
from forecourt.inventory.tests.factories import receive
from forecourt.purchasing import actions
from forecourt.purchasing.stocking.models import Flooring, InterestAccrual
from forecourt.purchasing.tests.factories import facility

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]
WORKERS = 4


@pytest.fixture(autouse=True)
def roles():
    restore_roles()


def test_workers_running_the_job_at_once_accrue_once(make_user, rooftop):
    manager = make_user(Role.SALES_MANAGER, rooftops=[rooftop])
    line = facility(manager, rooftop)
    vehicles = [
        receive(manager, rooftop, acquisition_cost=Decimal("20000"), status="incoming")
        for _ in range(3)
    ]
    for vehicle in vehicles:
        actions.floor_vehicle(manager, line, vehicle, floored_on=date(2026, 1, 1))
    outcomes = run_at_once(lambda n: actions.accrue_interest(today=date(2026, 1, 11)), WORKERS)
    assert [kind for kind, _ in outcomes] == ["ok"] * WORKERS
    assert sum(value for _, value in outcomes) == 3  # each unit accrued by exactly one worker
    assert InterestAccrual.objects.count() == 30
    for vehicle in vehicles:
        costs = VehicleCost.objects.filter(
            vehicle=vehicle, description__startswith="Floor-plan interest"
        )
        assert [c.amount for c in costs] == [Decimal("40.00")]
    assert {f.interest_accrued for f in Flooring.objects.all()} == {Decimal("40.00")}


def test_the_database_refuses_a_second_accrual_of_a_day(make_user, rooftop):
    manager = make_user(Role.SALES_MANAGER, rooftops=[rooftop])
    vehicle = receive(manager, rooftop, acquisition_cost=Decimal("20000"), status="incoming")
    flooring = actions.floor_vehicle(manager, facility(manager, rooftop), vehicle)
    row = {
        "flooring": flooring,
        "day": date(2026, 1, 1),
        "principal": 1,
        "annual_percent": 1,
        "amount": 1,
    }
    InterestAccrual.objects.create(**row)
    with pytest.raises(IntegrityError), transaction.atomic():
        InterestAccrual.objects.create(**row)

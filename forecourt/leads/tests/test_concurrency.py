"""Test drives and appointments stay conflict-free when several processes act at once
(PostgreSQL). Each thread has its own database connection, as separate app processes would.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from forecourt.accounts.testing import restore_roles
from forecourt.core.testing import run_at_once as run_concurrently
from forecourt.inventory.tests.factories import receive
from forecourt.leads import actions
from forecourt.leads.models import Activity
from forecourt.leads.tests.factories import make_customer

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]
WORKERS = 6


@pytest.fixture(autouse=True)
def roles():
    restore_roles()


def run_at_once(work):
    return run_concurrently(work, WORKERS)


def test_only_one_of_many_concurrent_test_drives_of_a_vehicle_starts(salesperson, rooftop):
    vehicle = receive(salesperson, rooftop)
    customers = [make_customer(salesperson, rooftop) for _ in range(WORKERS)]
    outcomes = run_at_once(
        lambda n: actions.start_test_drive(
            salesperson,
            customers[n],
            vehicle=vehicle,
            drivers_license_number=f"D00000{n}",
            drivers_license_state="IL",
            odometer_out=42000,
        )
    )
    losses = [value for kind, value in outcomes if kind == "error"]
    assert len([1 for kind, _ in outcomes if kind == "ok"]) == 1, outcomes
    assert len(losses) == WORKERS - 1
    assert all(isinstance(e, ValidationError) for e in losses), losses
    assert all("already out on a test drive" in str(e) for e in losses)
    assert Activity.objects.filter(vehicle=vehicle, in_at__isnull=True).count() == 1


def test_only_one_of_many_overlapping_bookings_of_a_salesperson_wins(salesperson, rooftop):
    customers = [make_customer(salesperson, rooftop) for _ in range(WORKERS)]
    start = timezone.now().replace(microsecond=0) + timedelta(days=2)
    outcomes = run_at_once(
        lambda n: actions.schedule_appointment(
            salesperson,
            customers[n],
            salesperson=salesperson,
            starts_at=start + timedelta(minutes=5 * n),
            ends_at=start + timedelta(minutes=5 * n + 60),
        )
    )
    losses = [value for kind, value in outcomes if kind == "error"]
    assert len([1 for kind, _ in outcomes if kind == "ok"]) == 1, outcomes
    assert all(isinstance(e, ValidationError) for e in losses), losses
    booked = Activity.objects.filter(kind="appointment", salesperson=salesperson)
    assert booked.count() == 1

"""Demo inventory: valid VINs, plausible values, idempotent top-up (COPY on PostgreSQL)."""

import pytest
from django.core.management import call_command

from forecourt.inventory.demo import generate
from forecourt.inventory.models import Vehicle
from forecourt.inventory.vin import check_vin


def test_generated_rows_are_valid_and_skewed():
    rows = list(generate(2000, [1, 2]))
    assert all(check_vin(r["vin"]).is_valid for r in rows)
    assert len({r["vin"] for r in rows}) == 2000
    makes = [r["make"] for r in rows]
    assert makes.count("Ford") > makes.count("Mazda") * 3
    available = sum(r["status"] == "available" for r in rows)
    assert 0.5 < available / 2000 < 0.75
    assert all(r["list_price"] >= 2995 for r in rows)
    assert all(r["odometer"] == 0 for r in rows if r["condition"] == "new")


@pytest.mark.django_db
def test_seed_demo_adds_vehicles_once(capsys):
    call_command("seed_demo", "--quiet-logins", "--vehicles", "300")
    assert Vehicle.objects.count() == 300
    call_command("seed_demo", "--quiet-logins", "--vehicles", "300")
    assert Vehicle.objects.count() == 300
    assert "0 vehicle(s) added" in capsys.readouterr().out
    vehicle = Vehicle.objects.order_by("pk").first()
    assert vehicle.days_in_stock >= 0
    assert check_vin(vehicle.vin).is_valid

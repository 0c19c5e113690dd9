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


def test_demo_powertrains_are_what_each_model_is_built_with():
    from forecourt.inventory.demo import POWERTRAINS, TRIM_POWERTRAINS

    rows = list(generate(3000, [1, 2]))
    for row in rows:
        offered = {
            (engine, fuel, drivetrain)
            for engine, fuel, drivetrains in POWERTRAINS[row["model"]]
            for drivetrain in drivetrains
        }
        assert (row["engine"], row["fuel_type"], row["drivetrain"]) in offered, row
        fixed = TRIM_POWERTRAINS.get((row["model"], row["trim"]))
        if fixed is not None:
            assert row["engine"] == POWERTRAINS[row["model"]][fixed[0]][0]
    compacts = {"Civic", "Corolla", "Sentra", "Elantra", "Mazda3", "Malibu", "Altima"}
    assert not [
        r for r in rows if r["model"] in compacts and ("V6" in r["engine"] or "V8" in r["engine"])
    ]
    assert not [r for r in rows if r["body_style"] == "Pickup" and r["drivetrain"] == "fwd"]
    assert {r["make"] for r in rows if r["fuel_type"] == "electric"} == {"Tesla"}
    assert not [r for r in rows if r["model"] == "X5" and "4-cyl" in r["engine"]]
    assert {r["drivetrain"] for r in rows if (r["model"], r["trim"]) == ("X5", "sDrive40i")} == {
        "rwd"
    }


def test_demo_stock_numbers_follow_the_rooftops_pattern():
    from forecourt.inventory.models import StockNumberSettings

    assert StockNumberSettings.DEFAULT_PATTERN == "{yy}{seq:04d}"
    rows = list(generate(50, [1]))
    numbers = [r["stock_number"] for r in rows]
    assert len(set(numbers)) == 50
    assert all(len(n) == 6 and n.isdigit() for n in numbers)
    assert numbers[:2] == [numbers[0][:2] + "0001", numbers[0][:2] + "0002"]


@pytest.mark.django_db
def test_seeded_demo_numbers_continue_into_received_units(owner):
    from forecourt.accounts.models import Rooftop
    from forecourt.inventory.actions.stock_numbers import next_stock_number, preview_stock_number
    from forecourt.inventory.demo import seed_vehicles

    rooftop = Rooftop.objects.get(pk=owner.rooftops.first().pk)
    seed_vehicles(30, [rooftop])
    numbers = set(Vehicle.objects.filter(rooftop=rooftop).values_list("stock_number", flat=True))
    assert len(numbers) == 30
    preview = preview_stock_number(rooftop)
    assert preview not in numbers
    assert preview.endswith("0031")
    assert next_stock_number(rooftop, "1HGCM82633A004352") == preview

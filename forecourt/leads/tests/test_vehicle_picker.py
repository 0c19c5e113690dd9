"""Vehicle pickers (walk-in, lead, test drive) are searched on the server: the select lists
the first units, a search box asks for the rest by stock number, VIN, make or model."""

from __future__ import annotations

import pytest

from forecourt.accounts.roles import Role
from forecourt.inventory.tests.factories import receive
from forecourt.leads.forms import PICKER_OPTIONS
from forecourt.leads.models import Lead

pytestmark = pytest.mark.django_db


@pytest.fixture
def lot(make_user, rooftop):
    seller = make_user(Role.SALESPERSON, full_name="Sam Seller")
    vehicles = [
        receive(seller, rooftop, make="Honda", model="Civic") for _ in range(PICKER_OPTIONS + 5)
    ]
    vehicles.append(receive(seller, rooftop, make="Ford", model="Mustang"))
    return seller, vehicles


def test_the_search_finds_units_by_stock_vin_make_or_model(
    lot, client_for, make_user, other_rooftop
):
    seller, vehicles = lot
    client = client_for(seller)
    mustang = vehicles[-1]
    for q in ("mustang", "ford must", mustang.stock_number, mustang.vin[-6:]):
        text = client.get("/leads/vehicle-options/", {"q": q}).content.decode()
        assert f'value="{mustang.pk}"' in text, q
        assert text.count('<option value="') - 1 == 1, q
    none = client.get("/leads/vehicle-options/", {"q": "Lamborghini"}).content.decode()
    assert "No vehicle in stock matches" in none
    elsewhere = receive(make_user(Role.OWNER), other_rooftop, make="Ford", model="Mustang")
    assert (
        f'value="{elsewhere.pk}"'
        not in client.get("/leads/vehicle-options/", {"q": "mustang"}).content.decode()
    )


def test_the_walk_in_picker_lists_a_few_and_accepts_any_unit_in_stock(lot, client_for, rooftop):
    seller, vehicles = lot
    client = client_for(seller)
    page = client.get("/leads/walk-in/").content.decode()
    assert 'hx-get="/leads/vehicle-options/"' in page
    assert 'aria-label="Find a vehicle in stock"' in page
    select = page.split('name="vehicle"', 1)[1].split("</select>", 1)[0]
    assert select.count("<option") <= PICKER_OPTIONS + 2
    last = vehicles[-1]  # beyond the listed ones: found by searching, still accepted
    assert f'value="{last.pk}"' not in select
    response = client.post(
        "/leads/walk-in/",
        {"rooftop": rooftop.pk, "kind": "person", "first_name": "Wendy", "last_name": "Walkin",
         "mobile_phone": "(415) 555-0142", "preferred_language": "en", "source": "walk_in",
         "vehicle": last.pk},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:500]
    lead = Lead.objects.get(customer__last_name="Walkin")
    assert lead.vehicle == last
    assert lead.customer.assigned_salesperson == seller  # the walk-in's salesperson

"""Inventory screens: list with htmx filters, receive with VIN prefill, vehicle page forms."""

from decimal import Decimal

import pytest

from forecourt.accounts.roles import Role
from forecourt.inventory.models import Vehicle
from forecourt.inventory.tests.factories import make_vin, receive

pytestmark = pytest.mark.django_db


def test_list_filters_and_htmx_partial(client_for, salesperson, rooftop):
    receive(salesperson, rooftop, make="Honda", list_price=Decimal("12000"))
    receive(salesperson, rooftop, make="Ford", model="Focus", list_price=Decimal("9000"))
    client = client_for(salesperson)
    page = client.get("/inventory/", {"make": "Ford"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "Focus" in body
    assert "Accord" not in body
    assert "<html" in body
    partial = client.get(
        "/inventory/", {"price_max": "10000"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    )
    text = partial.content.decode()
    assert "<html" not in text
    assert 'id="results"' in text
    assert "Focus" in text
    assert "Accord" not in text


def test_list_pages_with_a_cursor(client_for, salesperson, rooftop):
    for _ in range(27):
        receive(salesperson, rooftop)
    client = client_for(salesperson)
    first = client.get("/inventory/", {"sort": "stock_number"}).content.decode()
    assert "Next page" in first
    next_url = (
        first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    )
    second = client.get(next_url).content.decode()
    assert "Next page" not in second
    assert second.count('name="ids"') == 2


def test_inventory_is_in_the_menu_only_for_those_who_may_see_it(client_for, salesperson, make_user):
    assert b'href="/inventory/"' in client_for(salesperson).get("/").content
    nobody = make_user(role=None)
    assert b'href="/inventory/"' not in client_for(nobody).get("/").content
    assert client_for(nobody).get("/inventory/").status_code == 403


def test_receive_prefills_from_the_vin_and_warns_about_duplicates(client_for, salesperson, rooftop):
    existing = receive(salesperson, rooftop, vin="1HGCM82633A004352")
    client = client_for(salesperson)
    response = client.get(
        "/inventory/receive/",
        {"vin": "1hgcm82633a004352"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="receive-form",
    )
    text = response.content.decode()
    assert 'value="Honda"' in text
    assert 'value="2003"' in text
    assert "Already in stock" in text
    assert existing.stock_number in text


def test_receive_posts_through_the_action_and_shows_inline_errors(client_for, salesperson, rooftop):
    client = client_for(salesperson)
    data = {
        "vin": make_vin(),
        "rooftop": rooftop.pk,
        "status": "available",
        "condition": "used",
        "year": 2019,
        "make": "Mazda",
        "model": "CX-5",
        "odometer": 30000,
        "odometer_brand": "actual",
        "title_status": "clear",
        "title_brand": "none",
        "acquisition_source": "purchase",
        "acquired_on": "2026-01-05",
        "acquisition_cost": "14000",
        "list_price": "18900",
    }
    bad = client.post("/inventory/receive/", {**data, "vin": "1HGCM82643A004352"})
    assert bad.status_code == 422
    assert "expected 3" in bad.content.decode()
    assert not Vehicle.objects.exists()
    ok = client.post("/inventory/receive/", data)
    vehicle = Vehicle.objects.get()
    assert ok.status_code == 302
    assert ok["Location"] == f"/inventory/{vehicle.pk}/"


def test_vehicle_page_forms_price_hold_and_sell(client_for, salesperson, rooftop):
    vehicle = receive(salesperson, rooftop)
    client = client_for(salesperson)
    page = client.get(f"/inventory/{vehicle.pk}/").content.decode()
    assert "Price and status history" in page
    assert 'id="vehicle-documents"' in page
    negative = client.post(f"/inventory/{vehicle.pk}/price/", {"version": 1, "list_price": "-1"})
    assert negative.status_code == 422
    assert "A price cannot be negative." in negative.content.decode()
    client.post(f"/inventory/{vehicle.pk}/price/", {"version": 1, "list_price": "17500"})
    client.post(f"/inventory/{vehicle.pk}/hold/", {"deal_reference": "D-3", "hours": 24})
    vehicle.refresh_from_db()
    assert (vehicle.list_price, vehicle.status) == (Decimal("17500.00"), "on_hold")
    stale = client.post(f"/inventory/{vehicle.pk}/status/", {"version": 1, "status": "sold"})
    assert stale.status_code == 302
    vehicle.refresh_from_db()
    assert vehicle.status == "on_hold"
    client.post(f"/inventory/{vehicle.pk}/status/", {"version": vehicle.version, "status": "sold"})
    vehicle.refresh_from_db()
    assert vehicle.status == "sold"


def test_edit_shows_inline_errors(client_for, make_user, rooftop, salesperson):
    manager = make_user(Role.SALES_MANAGER)
    vehicle = receive(salesperson, rooftop, odometer=50000)
    client = client_for(manager)
    form = client.get(f"/inventory/{vehicle.pk}/edit/")
    assert form.status_code == 200
    data = {k: v for k, v in form.context["form"].initial.items() if v is not None}
    data.update(odometer=100, acquired_on="2026-01-01")
    response = client.post(f"/inventory/{vehicle.pk}/edit/", data)
    assert response.status_code == 422
    assert "cannot go down" in response.content.decode()


def test_bulk_publish_from_the_list(client_for, make_user, rooftop, salesperson):
    manager = make_user(Role.SALES_MANAGER)
    a = receive(salesperson, rooftop)
    b = receive(salesperson, rooftop)
    response = client_for(manager).post(
        "/inventory/bulk/", {"action": "publish", "ids": [a.pk, b.pk], "return_query": "make=Honda"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/inventory/?make=Honda"
    assert Vehicle.objects.filter(is_published=True).count() == 2


def test_prices_show_in_the_rooftops_currency(make_user, client_for, rooftop, other_rooftop):
    from forecourt.accounts.roles import Role
    from forecourt.inventory.tests.factories import receive

    manager = make_user(Role.GENERAL_MANAGER, rooftops=[rooftop, other_rooftop])
    us = receive(manager, rooftop, list_price=Decimal("21995"))
    uk = receive(manager, other_rooftop, list_price=Decimal("18450.5"))
    client = client_for(manager)
    listing = client.get("/inventory/").content.decode()
    assert "$21,995.00" in listing
    assert "£18,450.50" in listing
    assert "£18,450.50" in client.get(f"/inventory/{uk.pk}/").content.decode()
    assert "$21,995.00" in client.get(f"/inventory/{us.pk}/").content.decode()

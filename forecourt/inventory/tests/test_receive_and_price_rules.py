"""Receiving and pricing, as a new user meets them: a pasted VIN with spaces, the next
stock number shown before saving, what the offline decoder cannot fill, and a floor price
above the list price (confirmed or refused by the rooftop's price policy)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.core.testing import bearer
from forecourt.inventory import actions
from forecourt.inventory.forms import ReceiveForm
from forecourt.inventory.models import FloorAboveList, Vehicle
from forecourt.inventory.tests.factories import make_vin, receive
from forecourt.inventory.vin import OFFLINE_SCOPE, OfflineDecoder

pytestmark = pytest.mark.django_db


def receive_data(rooftop, **changes):
    return {
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
        **changes,
    }


@pytest.fixture
def manager(make_user):
    return make_user(Role.SALES_MANAGER)


def test_a_pasted_vin_with_spaces_is_trimmed_not_cut(client_for, manager, rooftop):
    vin = make_vin()
    form = ReceiveForm(rooftops=manager.rooftops.all())
    assert int(form.fields["vin"].widget.attrs["maxlength"]) >= len(f"  {vin}\n ")
    response = client_for(manager).post(
        "/inventory/receive/", receive_data(rooftop, vin=f"  {vin.lower()}\t")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Vehicle.objects.get().vin == vin


def test_the_receive_form_shows_the_next_stock_number_before_saving(client_for, manager, rooftop):
    receive(manager, rooftop)
    text = client_for(manager).get("/inventory/receive/").content.decode()
    year = f"{Vehicle.objects.get().acquired_on.year % 100:02d}"
    assert f'placeholder="{year}0002"' in text
    assert f"Leave empty to use the next number, {year}0002." in text
    response = client_for(manager).post("/inventory/receive/", receive_data(rooftop))
    assert response.status_code == 302
    assert Vehicle.objects.order_by("pk").last().stock_number == f"{year}0002"


def test_the_offline_decoder_says_what_it_cannot_fill():
    decoded = OfflineDecoder().decode("1HGCM82633A004352")
    assert (decoded.year, decoded.make, decoded.model) == (2003, "Honda", "")
    assert OFFLINE_SCOPE in decoded.warnings
    assert "online decoder" in OFFLINE_SCOPE


def test_the_receive_page_shows_the_offline_scope(client_for, manager):
    response = client_for(manager).get(
        "/inventory/receive/",
        {"vin": "1HGCM82633A004352"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="receive-form",
    )
    assert "Model, trim, body and engine need the online decoder" in response.content.decode()


# --- floor price above list price ------------------------------------------------------------


def test_a_floor_above_list_asks_for_confirmation_by_default(manager, rooftop):
    vehicle = receive(manager, rooftop, list_price=Decimal("20000"))
    with pytest.raises(ValidationError) as error:
        actions.change_price(manager, vehicle, floor_price=Decimal("21000"))
    [problem] = error.value.error_dict["floor_price"]
    assert problem.code == actions.CONFIRM_FLOOR_CODE
    vehicle.refresh_from_db()
    assert vehicle.floor_price is None
    changed = actions.change_price(
        manager, vehicle, floor_price=Decimal("21000"), confirm_floor_above_list=True
    )
    assert changed.floor_price == Decimal("21000.00")
    # Lowering the list price under the floor is the same mistake.
    with pytest.raises(ValidationError):
        actions.change_price(manager, changed, list_price=Decimal("19000"))


def test_a_rooftop_may_refuse_a_floor_above_list_even_when_confirmed(
    owner, manager, salesperson, rooftop
):
    actions.set_price_policy(owner, rooftop, floor_above_list=FloorAboveList.REFUSE)
    assert AuditEntry.objects.filter(action="inventory.set_price_policy").count() == 1
    vehicle = receive(manager, rooftop, list_price=Decimal("20000"))
    with pytest.raises(ValidationError) as error:
        actions.change_price(
            manager, vehicle, floor_price=Decimal("21000"), confirm_floor_above_list=True
        )
    assert "does not allow" in error.value.message_dict["floor_price"][0]
    with pytest.raises(ValidationError):
        receive(manager, rooftop, list_price=Decimal("100"), floor_price=Decimal("200"),
                confirm_floor_above_list=True)  # fmt: skip
    with pytest.raises(ValidationError):
        actions.set_price_policy(owner, rooftop, floor_above_list="maybe")
    with pytest.raises(PermissionDenied):
        actions.set_price_policy(salesperson, rooftop, floor_above_list=FloorAboveList.CONFIRM)


def test_the_price_form_offers_the_confirmation_then_saves(client_for, manager, rooftop):
    vehicle = receive(manager, rooftop, list_price=Decimal("20000"))
    client = client_for(manager)
    data = {"version": vehicle.version, "list_price": "20000", "floor_price": "21000"}
    first = client.post(f"/inventory/{vehicle.pk}/price/", data)
    assert first.status_code == 422
    text = first.content.decode()
    assert "is above the list price" in text
    assert 'type="checkbox" name="confirm_floor_above_list"' in text
    second = client.post(
        f"/inventory/{vehicle.pk}/price/", {**data, "confirm_floor_above_list": "on"}
    )
    assert second.status_code == 302
    vehicle.refresh_from_db()
    assert vehicle.floor_price == Decimal("21000.00")


def test_the_receive_form_offers_the_confirmation(client_for, manager, rooftop):
    client = client_for(manager)
    data = receive_data(rooftop, floor_price="19500")
    first = client.post("/inventory/receive/", data)
    assert first.status_code == 422
    assert 'type="checkbox" name="confirm_floor_above_list"' in first.content.decode()
    assert not Vehicle.objects.exists()
    second = client.post("/inventory/receive/", {**data, "confirm_floor_above_list": "on"})
    assert second.status_code == 302
    assert Vehicle.objects.get().floor_price == Decimal("19500.00")


def test_the_api_refuses_then_accepts_a_confirmed_floor_above_list(manager, rooftop, token_for):
    from django.test import Client

    vehicle = receive(manager, rooftop, list_price=Decimal("20000"))
    client = Client(**bearer(token_for(manager)))
    path = f"/api/v1/vehicles/{vehicle.pk}/price"
    body = {"floor_price": "21000", "version": vehicle.version}
    refused = client.post(path, json.dumps(body), "application/json")
    assert refused.status_code == 422
    assert "floor_price" in refused.content.decode()
    body["confirm_floor_above_list"] = True
    accepted = client.post(path, json.dumps(body), "application/json")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["floor_price"] == "21000.00"

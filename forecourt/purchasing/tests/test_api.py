"""The whole buying story through /api/v1 (the same actions as the screens)."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from forecourt.accounts.roles import Role
from forecourt.core.observability import store
from forecourt.core.observability.models import Alert
from forecourt.core.testing import bearer
from forecourt.inventory import actions as inventory
from forecourt.inventory.models import Vehicle
from forecourt.inventory.tests.factories import make_vin, receive
from forecourt.purchasing import actions
from forecourt.purchasing.models import PurchaseInvoice

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, raw_token):
        self.headers = bearer(raw_token)
        self.client = Client()

    def get(self, path, **params):
        return self.client.get(f"/api/v1{path}", params, **self.headers)

    def post(self, path, body, method="post", **extra):
        return getattr(self.client, method)(
            f"/api/v1{path}",
            json.dumps(body),
            content_type="application/json",
            **self.headers,
            **extra,
        )


@pytest.fixture
def manager(make_user, rooftop):
    return make_user(Role.SALES_MANAGER, rooftops=[rooftop])


@pytest.fixture
def api(manager, token_for):
    return Api(token_for(manager))


def car(price):
    return {"vin": make_vin(), "year": 2021, "make": "Mazda", "model": "CX-5", "price": price}


def test_buy_floor_recon_sell_through_the_api(api, manager, rooftop):
    store.clear()
    seller = api.post(
        "/purchasing/sellers", {"rooftop_id": rooftop.pk, "kind": "auction", "name": "ADESA"}
    )
    assert seller.status_code == 201, seller.content
    purchase = api.post(
        "/purchasing/purchases",
        {
            "seller_id": seller.json()["id"],
            "lines": [car("15000.00"), car("12500.00"), car("9800.00")],
        },
        HTTP_IDEMPOTENCY_KEY="buy-1",
    )
    assert purchase.status_code == 201, purchase.content
    body = purchase.json()
    assert body["total"] == "37300.00"
    assert [line["price"] for line in body["lines"]] == ["15000.00", "12500.00", "9800.00"]
    again = api.post(
        "/purchasing/purchases",
        {
            "seller_id": seller.json()["id"],
            "lines": [car("15000.00"), car("12500.00"), car("9800.00")],
        },
        HTTP_IDEMPOTENCY_KEY="buy-1",
    )
    assert again.status_code == 422 or again.json()["id"] == body["id"]  # same key, other body
    vehicle_ids = [line["vehicle_id"] for line in body["lines"]]

    facility = api.post(
        "/purchasing/facilities",
        {
            "rooftop_id": rooftop.pk,
            "lender": "NextGear",
            "name": "Used",
            "credit_limit": "35000.00",
            "annual_percent": "7.30",
            "rate_from": "2020-01-01",
            "payoff_due_days": 3,
            "curtailments": [{"age_days": 90, "percent": "10"}],
        },
    )
    assert facility.status_code == 201, facility.content
    facility_id = facility.json()["id"]
    today = timezone.localdate()
    floorings = [
        api.post(
            f"/purchasing/facilities/{facility_id}/floorings",
            {"vehicle_id": vid, "floored_on": (today - timedelta(days=10)).isoformat()},
        )
        for vid in vehicle_ids[:2]
    ]
    assert [f.status_code for f in floorings] == [201, 201]
    refused = api.post(
        f"/purchasing/facilities/{facility_id}/floorings", {"vehicle_id": vehicle_ids[2]}
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["fields"][0]["field"] == "advance"

    actions.accrue_interest(today=today)
    exposure = api.get(f"/purchasing/facilities/{facility_id}").json()
    assert exposure["used"] == "27500.00"
    assert exposure["utilisation_percent"] == "78.6"
    # 10 days x (15,000 + 12,500) x 7.30% / 365 = 55.00; this month's share of it
    month_days = min(10, today.day - 1)
    assert exposure["interest_this_month"] == f"{month_days * 5.5:.2f}"

    started = api.post("/purchasing/recon", {"vehicle_id": vehicle_ids[0]})
    assert started.status_code == 201, started.content
    order = started.json()
    item = api.post(
        f"/purchasing/recon/{order['id']}/work-items",
        {"description": "Tyres", "estimate": "400.00"},
    )
    done = api.post(f"/purchasing/work-items/{item.json()['id']}/complete", {"actual": "380.00"})
    assert done.json()["status"] == "done"
    moved = api.post(
        f"/purchasing/recon/{order['id']}/move",
        {"stage": "front_line", "version": order["version"]},
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["front_line_on"] == today.isoformat()
    numbers = api.get(f"/purchasing/rooftops/{rooftop.pk}/recon-numbers").json()
    assert numbers["actual"] == "380.00"
    assert numbers["vehicles"][0]["time_to_line_calendar_days"] == 0
    vehicle = Vehicle.objects.get(pk=vehicle_ids[0])
    assert vehicle.status == "available"

    # Sold: one paid off by the deal's delivery, the other left unpaid past its days.
    inventory.change_status(manager, vehicle, to_status="sold")
    other = Vehicle.objects.get(pk=vehicle_ids[1])
    inventory.change_status(manager, other, to_status="available")
    inventory.change_status(manager, other, to_status="sold")
    flooring_id = floorings[0].json()["id"]
    too_much = api.post(
        f"/purchasing/floorings/{flooring_id}/payoff", {"amount": "15000.01", "version": 1}
    )
    assert too_much.status_code == 422
    paid = api.post(f"/purchasing/floorings/{flooring_id}/payoff", {"version": 1})
    assert paid.status_code == 200, paid.content
    assert paid.json()["status"] == "paid_off"
    actions.alert_out_of_trust(today + timedelta(days=4))
    assert Alert.objects.get().details["vehicle_id"] == other.pk
    assert api.get(f"/purchasing/facilities/{facility_id}").json()["used"] == "12500.00"


def test_bad_input_is_a_422_and_changes_nothing(api, manager, rooftop):
    seller = api.post(
        "/purchasing/sellers", {"rooftop_id": rooftop.pk, "kind": "dealer", "name": "Bob's"}
    ).json()
    empty = api.post("/purchasing/purchases", {"seller_id": seller["id"], "lines": []})
    assert empty.status_code == 422
    assert empty.json()["error"]["fields"] == [
        {"field": "lines", "message": "A purchase needs at least one vehicle."}
    ]
    assert PurchaseInvoice.objects.count() == 0


def test_other_rooftops_objects_are_not_found(api, make_user, other_rooftop, token_for):
    outsider = Api(token_for(make_user(Role.SALES_MANAGER, rooftops=[other_rooftop])))
    assert outsider.get("/purchasing/purchases/987654").status_code == 404
    assert api.get("/purchasing/incoming").status_code == 200
    reader = Api(token_for(make_user(Role.SALESPERSON)))
    assert reader.get("/purchasing/facilities").status_code == 403


def test_condition_reports_and_appraisals_through_the_api(api, manager, rooftop):
    vehicle = receive(manager, rooftop)
    dent = {"view": "left", "x": 100, "y": 80, "type": "dent", "severity": "minor"}
    outside = api.post(
        "/purchasing/condition-reports",
        {
            "vehicle_id": vehicle.pk,
            "occasion": "purchase",
            "signed_name": "Pat",
            "markers": [{**dent, "x": 640}],
        },
    )
    assert outside.status_code == 422
    assert outside.json()["error"]["fields"] == [
        {"field": "markers", "message": "Marker 1 is outside the diagram."}
    ]
    first = api.post(
        "/purchasing/condition-reports",
        {
            "vehicle_id": vehicle.pk,
            "occasion": "purchase",
            "signed_name": "Pat",
            "markers": [dent],
            "tyres": {"front_left": "7"},
        },
    ).json()
    second = api.post(
        "/purchasing/condition-reports",
        {
            "vehicle_id": vehicle.pk,
            "occasion": "delivery",
            "signed_name": "Sam",
            "markers": [dent, {**dent, "view": "top", "y": 240, "type": "chip"}],
            "tyres": {"front_left": "6"},
        },
    ).json()
    comparison = api.get(
        f"/purchasing/condition-reports/{second['id']}/compare/{first['id']}"
    ).json()
    assert [m["type"] for m in comparison["new"]] == ["chip"]
    assert comparison["tyres"][0] == {"wheel": "front_left", "earlier": "7", "later": "6"}
    appraisal = api.post(
        "/purchasing/appraisals",
        {
            "rooftop_id": rooftop.pk,
            "vin": make_vin(),
            "year": 2019,
            "make": "VW",
            "model": "Golf",
            "grade": "fair",
            "acv": "7000.00",
            "offer": "6500.00",
            "expires_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
            "recon_estimate": {"body": "400.00"},
            "comparables": [{"source": "Cars.com", "price": "9995.00"}],
        },
    )
    assert appraisal.status_code == 201, appraisal.content
    seller = api.post(
        "/purchasing/sellers", {"rooftop_id": rooftop.pk, "kind": "wholesaler", "name": "W"}
    )
    bought = api.post(
        f"/purchasing/appraisals/{appraisal.json()['id']}/decision",
        {"outcome": "purchased", "seller_id": seller.json()["id"]},
    )
    assert bought.status_code == 201, bought.content
    assert bought.json()["lines"][0]["price"] == "6500.00"
    assert (
        api.get(f"/purchasing/appraisals/{appraisal.json()['id']}").json()["status"] == "purchased"
    )

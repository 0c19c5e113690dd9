"""The vehicles API: search with keyset pages, detail, create (idempotent), updates with
optimistic concurrency, status, holds and costs; errors in the one error shape."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.core.testing import bearer
from forecourt.inventory import actions
from forecourt.inventory.models import Vehicle
from forecourt.inventory.tests.factories import make_vin, receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(salesperson, token_for):
    headers = bearer(token_for(salesperson))

    class Api:
        user = salesperson

        def __init__(self):
            self.client = Client()

        def get(self, path, **params):
            return self.client.get(f"/api/v1{path}", params, **headers)

        def send(self, method, path, body=None, **extra):
            return getattr(self.client, method)(
                f"/api/v1{path}",
                json.dumps(body) if body is not None else None,
                content_type="application/json",
                **headers,
                **extra,
            )

    return Api()


def test_search_filters_sorts_and_pages_with_a_cursor(api, rooftop):
    for price in (15000, 17000, 19000, 21000, 23000):
        receive(api.user, rooftop, list_price=Decimal(price), make="Honda")
    receive(api.user, rooftop, list_price=Decimal(18000), make="Ford", model="F-150")
    receive(api.user, rooftop, list_price=Decimal(16000), make="Honda", status="incoming")
    seen = []
    cursor = ""
    while True:
        response = api.get(
            "/vehicles",
            status="available",
            make="Honda",
            sort="-list_price",
            limit=2,
            cursor=cursor,
        )
        assert response.status_code == 200, response.content
        body = response.json()
        seen += [item["list_price"] for item in body["items"]]
        if not body["has_next"]:
            assert body["next_cursor"] is None
            break
        cursor = body["next_cursor"]
    assert seen == ["23000.00", "21000.00", "19000.00", "17000.00", "15000.00"]
    ranged = api.get("/vehicles", price_min="17000", price_max="21000", sort="list_price")
    assert [i["list_price"] for i in ranged.json()["items"]] == [
        "17000.00",
        "18000.00",
        "19000.00",
        "21000.00",
    ]


def test_search_by_vin_tail_and_stock_prefix(api, rooftop):
    wanted = receive(api.user, rooftop)
    receive(api.user, rooftop)
    by_tail = api.get("/vehicles", q=wanted.vin[-7:]).json()["items"]
    assert [i["id"] for i in by_tail] == [wanted.pk]
    by_vin = api.get("/vehicles", q=wanted.vin.lower()).json()["items"]
    assert [i["id"] for i in by_vin] == [wanted.pk]
    by_stock = api.get("/vehicles", q=wanted.stock_number).json()["items"]
    assert [i["id"] for i in by_stock] == [wanted.pk]


def test_bad_filter_or_cursor_is_a_422_with_the_field(api):
    response = api.get("/vehicles", sort="color")
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "sort"
    response = api.get("/vehicles", cursor="not-a-cursor")
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "cursor"


def test_list_and_detail_use_a_fixed_number_of_queries(api, rooftop):
    for _ in range(30):
        receive(api.user, rooftop)
    vehicle = Vehicle.objects.first()
    api.get("/me")  # the token's first use records last_used_at (once per 5 minutes)
    # the token with its user and their permissions (1), the page or row (1)
    with CaptureQueriesContext(connection) as list_queries:
        assert api.get("/vehicles", limit=25, status="available").status_code == 200
    with CaptureQueriesContext(connection) as detail_queries:
        assert api.get(f"/vehicles/{vehicle.pk}").status_code == 200
    with CaptureQueriesContext(connection) as vin_queries:
        assert api.get(f"/vehicles/by-vin/{vehicle.vin}").status_code == 200
    assert len(list_queries) == 2, [q["sql"] for q in list_queries]
    assert len(detail_queries) == 2, [q["sql"] for q in detail_queries]
    assert len(vin_queries) == 2, [q["sql"] for q in vin_queries]


def test_detail_has_computed_money_and_etag(api, client, token_for, rooftop, owner):
    vehicle = receive(api.user, rooftop, acquisition_cost=Decimal("10000"))
    actions.add_cost(owner, vehicle, kind="transport", amount="250.50")
    # Costs are the owner's to see (a salesperson gets nulls: test_cost_visibility.py).
    response = client.get(f"/api/v1/vehicles/{vehicle.pk}", **bearer(token_for(owner)))
    body = response.json()
    assert response["ETag"] == '"2"'
    assert body["true_cost"] == "10250.50"
    assert body["added_costs"] == "250.50"
    assert body["aging_bucket"] == "0-30"
    by_vin = api.get(f"/vehicles/by-vin/{vehicle.vin}").json()
    assert by_vin["id"] == vehicle.pk


def test_other_rooftops_vehicles_are_404(api, other_rooftop, owner):
    theirs = receive(owner, other_rooftop)
    assert api.get(f"/vehicles/{theirs.pk}").status_code == 404
    assert api.get("/vehicles").json()["items"] == []
    response = api.send("post", f"/vehicles/{theirs.pk}/hold", {"deal_reference": "D-1"})
    assert response.status_code == 404


def create_body(rooftop, **fields):
    return {
        "rooftop_id": rooftop.pk,
        "vin": make_vin(),
        "year": 2021,
        "make": "Toyota",
        "model": "Camry",
        "acquisition_source": "auction",
        "acquisition_cost": "17250.00",
        "list_price": "21995.00",
        "status": "available",
        **fields,
    }


def test_create_is_idempotent_by_key(api, rooftop):
    body = create_body(rooftop)
    first = api.send("post", "/vehicles", body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201, first.content
    again = api.send("post", "/vehicles", body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Vehicle.objects.count() == 1
    other = api.send(
        "post", "/vehicles", {**body, "list_price": "1.00"}, HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert other.status_code == 422
    assert "different request" in other.json()["error"]["message"]
    assert first["Location"] == f"/api/v1/vehicles/{first.json()['id']}"


def test_create_with_bad_input_is_422_and_writes_nothing(api, rooftop):
    bad_vin = create_body(rooftop, vin="1HGCM82643A004352")
    response = api.send("post", "/vehicles", bad_vin, HTTP_IDEMPOTENCY_KEY="k-2")
    assert response.status_code == 422
    fields = {f["field"]: f["message"] for f in response.json()["error"]["fields"]}
    assert "expected 3" in fields["vin"]
    negative = api.send("post", "/vehicles", create_body(rooftop, list_price="-5"))
    assert negative.status_code == 422
    unknown = api.send("post", "/vehicles", create_body(rooftop, colour="red"))
    assert unknown.status_code == 422
    assert not Vehicle.objects.exists()
    # The failed key was not kept: a corrected retry with the same key succeeds.
    fixed = api.send("post", "/vehicles", create_body(rooftop), HTTP_IDEMPOTENCY_KEY="k-2")
    assert fixed.status_code == 201


def test_update_refuses_a_stale_version(api, rooftop, make_user, token_for):
    manager = make_user(Role.SALES_MANAGER)
    headers = bearer(token_for(manager))
    vehicle = receive(api.user, rooftop)
    path = f"/api/v1/vehicles/{vehicle.pk}"
    ok = api.client.patch(
        path, json.dumps({"notes": "clean"}), "application/json", HTTP_IF_MATCH='"1"', **headers
    )
    assert ok.status_code == 200, ok.content
    assert ok["ETag"] == '"2"'
    stale = api.client.patch(
        path, json.dumps({"notes": "lost"}), "application/json", HTTP_IF_MATCH='"1"', **headers
    )
    assert stale.status_code == 412
    assert stale.json()["error"]["code"] == "precondition_failed"
    stale_body = api.client.patch(
        path, json.dumps({"notes": "lost", "version": 1}), "application/json", **headers
    )
    assert stale_body.status_code == 409
    missing = api.client.patch(path, json.dumps({"notes": "x"}), "application/json", **headers)
    assert missing.status_code == 422
    vehicle.refresh_from_db()
    assert vehicle.notes == "clean"


def test_price_status_hold_and_sale_through_the_api(api, rooftop):
    vehicle = receive(api.user, rooftop)
    price = api.send("post", f"/vehicles/{vehicle.pk}/price", {"list_price": "18995", "version": 1})
    assert price.status_code == 200, price.content
    assert price.json()["list_price"] == "18995.00"
    hold = api.send("post", f"/vehicles/{vehicle.pk}/hold", {"deal_reference": "D-7"})
    assert hold.status_code == 201, hold.content
    second = api.send("post", f"/vehicles/{vehicle.pk}/hold", {"deal_reference": "D-8"})
    assert second.status_code == 422
    sold = api.send(
        "post", f"/vehicles/{vehicle.pk}/status", {"status": "sold", "version": 3, "reason": "D-7"}
    )
    assert sold.status_code == 200, sold.content
    assert sold.json()["status"] == "sold"
    illegal = api.send(
        "post", f"/vehicles/{vehicle.pk}/status", {"status": "incoming", "version": 4}
    )
    assert illegal.status_code == 422
    assert "cannot go from sold" in illegal.json()["error"]["fields"][0]["message"]
    history = api.get(f"/vehicles/{vehicle.pk}/history").json()
    assert [s["to_status"] for s in history["statuses"]][:3] == ["sold", "on_hold", "available"]
    actions_done = set(
        AuditEntry.objects.filter(object_id=str(vehicle.pk)).values_list("action", flat=True)
    )
    assert {"inventory.change_price", "inventory.hold_vehicle", "inventory.change_status"} <= (
        actions_done
    )


def test_costs_and_release_hold(api, rooftop, make_user, token_for):
    manager = make_user(Role.SALES_MANAGER)
    headers = bearer(token_for(manager))
    vehicle = receive(api.user, rooftop)
    added = api.client.post(
        f"/api/v1/vehicles/{vehicle.pk}/costs",
        json.dumps({"kind": "reconditioning", "amount": "399.99", "vendor": "Shine"}),
        "application/json",
        **headers,
    )
    assert added.status_code == 201, added.content
    listed = api.client.get(f"/api/v1/vehicles/{vehicle.pk}/costs", **headers).json()
    assert [(c["kind"], c["amount"]) for c in listed] == [("reconditioning", "399.99")]
    denied = api.send("post", f"/vehicles/{vehicle.pk}/costs", {"kind": "pack", "amount": "1"})
    assert denied.status_code == 403
    api.send("post", f"/vehicles/{vehicle.pk}/hold", {"deal_reference": "D-1"})
    released = api.send("delete", f"/vehicles/{vehicle.pk}/hold")
    assert released.status_code == 200
    assert released.json()["released_at"] is not None


def test_vin_decode_endpoint_warns_about_duplicates(api, rooftop):
    vehicle = receive(api.user, rooftop, vin="1HGCM82633A004352")
    body = api.get("/vin-decode/1hgcm82633a004352").json()
    assert body["make"] == "Honda"
    assert body["year"] == 2003
    assert body["active_vehicle_id"] == vehicle.pk

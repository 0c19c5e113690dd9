"""/api/v1/deals: an integration desks, approves, contracts and delivers a deal."""

from decimal import Decimal as D

import pytest

from forecourt.accounts.roles import Role
from forecourt.customers.tests.factories import ApiClient
from forecourt.deals.models import Deal, Payment
from forecourt.deals.tests.factories import car, desk, trade_fields, us_customer, us_setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_user):
    return make_user(Role.SALES_MANAGER)


@pytest.fixture
def seller_api(salesperson, token_for):
    return ApiClient(salesperson, token_for(salesperson))


@pytest.fixture
def manager_api(manager, token_for):
    return ApiClient(manager, token_for(manager))


def test_an_integration_sells_a_car_with_a_trade(owner, rooftop, seller_api, manager_api):
    us_setup(owner, rooftop)
    vehicle = car(owner, rooftop, floor_price=D("24000"))
    buyer = us_customer(owner, rooftop)
    created = seller_api.send(
        "post", "/deals",
        {"vehicle_id": vehicle.pk, "buyer_id": buyer.pk, "price": "23500.00"},
        HTTP_IDEMPOTENCY_KEY="desk-1",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    again = seller_api.send(
        "post", "/deals",
        {"vehicle_id": vehicle.pk, "buyer_id": buyer.pk, "price": "23500.00"},
        HTTP_IDEMPOTENCY_KEY="desk-1",
    )  # fmt: skip
    assert again.json()["id"] == created.json()["id"]
    assert Deal.objects.count() == 1
    deal_id = created.json()["id"]
    body = created.json()
    # 23,500 + 450 fees + 6.25 % of 23,800 (doc fee taxed) + 1.75 % of 23,500 (not)
    assert body["numbers"]["balance_due"] == "25848.75"
    assert "front_gross" not in body["numbers"]  # a salesperson does not see gross

    trade = seller_api.send("post", f"/deals/{deal_id}/trades", trade_fields(payoff="0"))
    assert trade.status_code == 201, trade.content
    stale = seller_api.send("patch", f"/deals/{deal_id}", {"version": 1, "discount": "100"})
    assert stale.status_code == 409
    refused = seller_api.send("post", f"/deals/{deal_id}/transitions", {"action": "approve"})
    assert refused.status_code == 403  # below the floor: a manager approves
    approved = manager_api.send(
        "post", f"/deals/{deal_id}/transitions", {"action": "approve", "reason": "ok"}
    )
    assert approved.status_code == 200, approved.content
    assert approved.json()["numbers"]["front_gross"] == "3000.00"
    contracted = seller_api.send("post", f"/deals/{deal_id}/transitions", {"action": "contract"})
    assert contracted.json()["status"] == "contracted"
    balance = contracted.json()["numbers"]["balance_due"]
    for _ in range(2):
        paid = seller_api.send(
            "post", f"/deals/{deal_id}/payments", {"method": "card", "amount": balance},
            HTTP_IDEMPOTENCY_KEY="pay-1",
        )  # fmt: skip
        assert paid.status_code == 201
    assert Payment.objects.count() == 1
    delivered = seller_api.send(
        "post", f"/deals/{deal_id}/transitions", {"action": "deliver", "odometer": 42001}
    )
    assert delivered.status_code == 200, delivered.content
    assert delivered.json()["status"] == "delivered"
    assert delivered.json()["vehicle"]["status"] == "delivered"
    for kind in ("buyers_order", "odometer", "receipts"):
        pdf = seller_api.get(f"/deals/{deal_id}/documents/{kind}")
        assert pdf.status_code == 200
        assert pdf.content.startswith(b"%PDF")
    listed = seller_api.get("/deals", mine="true", status="delivered")
    assert [row["id"] for row in listed.json()["items"]] == [deal_id]


def test_bad_input_is_a_422_with_fields(owner, rooftop, salesperson, seller_api):
    deal = desk(salesperson, rooftop, price="20000")
    negative = seller_api.send(
        "patch", f"/deals/{deal.pk}", {"version": deal.version, "price": "-1"}
    )
    assert negative.status_code == 422
    assert negative.json()["error"]["fields"][0]["field"] == "price"
    trade = seller_api.send(
        "post", f"/deals/{deal.pk}/trades",
        trade_fields(acv="1000", allowance="1000", payoff="3000", lienholder="Ally"),
    )  # fmt: skip
    assert trade.status_code == 422
    assert "payoff" in {f["field"] for f in trade.json()["error"]["fields"]}
    deal.refresh_from_db()
    assert deal.trades.count() == 0
    assert deal.price == D("20000")


def test_another_rooftops_deal_is_a_404(owner, other_rooftop, make_user, seller_api):
    outsider = make_user(Role.SALESPERSON, rooftops=[other_rooftop])
    deal = desk(outsider, other_rooftop, price="9000")
    assert seller_api.get(f"/deals/{deal.pk}").status_code == 404
    assert (
        seller_api.send("post", f"/deals/{deal.pk}/transitions", {"action": "approve"}).status_code
        == 404
    )


def test_if_match_and_the_etag(owner, rooftop, salesperson, seller_api):
    deal = desk(salesperson, rooftop, price="20000")
    read = seller_api.get(f"/deals/{deal.pk}")
    etag = read["ETag"]
    changed = seller_api.send("patch", f"/deals/{deal.pk}", {"price": "19500"}, HTTP_IF_MATCH=etag)
    assert changed.status_code == 200
    assert changed.json()["price"] == "19500.00"
    stale = seller_api.send("patch", f"/deals/{deal.pk}", {"price": "19000"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    missing = seller_api.send("patch", f"/deals/{deal.pk}", {"price": "19000"})
    assert missing.status_code == 422  # a write must name the version it read

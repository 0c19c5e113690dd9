"""Lenders, products and menus over the API: the same actions, scoped reads, versions."""

from __future__ import annotations

from typing import Any

import pytest

from forecourt.accounts.roles import Role
from forecourt.finance.models import Lender
from forecourt.finance.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def fi_manager(make_user: Any) -> Any:
    return make_user(Role.FI_MANAGER)


@pytest.fixture
def api(fi_manager: Any, client_for: Any) -> Any:
    return client_for(fi_manager)


def test_create_update_and_rate_sheet_of_a_lender(api: Any, rooftop: Any) -> None:
    created = api.post(
        "/api/v1/finance/lenders",
        {"rooftop_id": rooftop.pk, "name": "Credit Union One", "max_markup": "2.00"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    lender_id = created.json()["id"]
    assert created["ETag"] == '"1"'
    stale = api.patch(
        f"/api/v1/finance/lenders/{lender_id}",
        {"phone": "555-0100"},
        content_type="application/json",
        headers={"If-Match": '"7"'},
    )
    assert stale.status_code == 412
    updated = api.patch(
        f"/api/v1/finance/lenders/{lender_id}",
        {"phone": "555-0100", "version": 1},
        content_type="application/json",
    )
    assert updated.json()["phone"] == "555-0100"
    rates = api.put(
        f"/api/v1/finance/lenders/{lender_id}/rates",
        {
            "version": 2,
            "rates": [{"credit_tier": "prime", "min_term": 1, "max_term": 72, "buy_rate": "4.9"}],
        },
        content_type="application/json",
    )
    assert rates.status_code == 200
    assert rates.json()["rates"] == [
        {"credit_tier": "prime", "min_term": 1, "max_term": 72, "buy_rate": "4.9000"}
    ]


def test_bad_lender_and_product_input_is_a_422_with_fields(api: Any, rooftop: Any) -> None:
    lender = api.post(
        "/api/v1/finance/lenders",
        {"rooftop_id": rooftop.pk, "name": "No cap", "reserve_method": "markup"},
        content_type="application/json",
    )
    assert lender.status_code == 422
    assert lender.json()["error"]["fields"][0]["field"] == "max_markup"
    product = api.post(
        "/api/v1/finance/products",
        {
            "rooftop_id": rooftop.pk,
            "name": "GAP",
            "kind": "gap",
            "cost": "300",
            "price": "1200",
            "min_price": "500",
            "max_price": "995",
        },
        content_type="application/json",
    )
    assert product.status_code == 422
    assert product.json()["error"]["fields"][0]["field"] == "price"


def test_menu_payments_show_each_columns_impact(api: Any, fi_manager: Any, rooftop: Any) -> None:
    menu = factories.menu(fi_manager, rooftop)
    response = api.get(
        f"/api/v1/finance/menus/{menu.pk}/payments",
        {"price": "25000", "apr": "6.9", "term": 72, "tax_rate": "6.25", "jurisdiction": "US-TX"},
    )
    assert response.status_code == 200, response.content
    rows = response.json()
    assert [row["name"] for row in rows] == ["none", "Good", "Better", "Best"]
    assert rows[0]["impact"] == "0.00"
    assert rows[1]["products_total"] == "1995.00"
    assert rows[3]["products_total"] == "3389.00"
    impacts = [float(row["impact"]) for row in rows]
    assert impacts == sorted(impacts)
    missing = api.get(f"/api/v1/finance/menus/{menu.pk}/payments")
    assert missing.status_code == 422
    assert {f["field"] for f in missing.json()["error"]["fields"]} == {"price", "apr", "term"}


def test_another_rooftops_records_are_not_found(
    api: Any, make_user: Any, other_rooftop: Any
) -> None:
    elsewhere = make_user(Role.FI_MANAGER, rooftops=[other_rooftop])
    lender = factories.lender(elsewhere, other_rooftop)
    assert api.get(f"/api/v1/finance/lenders/{lender.pk}").status_code == 404
    assert api.get("/api/v1/finance/lenders").json() == []
    patched = api.patch(
        f"/api/v1/finance/lenders/{lender.pk}",
        {"phone": "1", "version": lender.version},
        content_type="application/json",
    )
    assert patched.status_code == 404
    assert Lender.objects.get(pk=lender.pk).phone == ""

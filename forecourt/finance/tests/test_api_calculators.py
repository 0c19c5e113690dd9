"""The calculator endpoints: the numbers of the calculation core, and 422s naming fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from forecourt.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(salesperson: User, client_for: Callable[[User], Client]) -> Client:
    return client_for(salesperson)


def fields_of(response: Any) -> dict[str, str]:
    return {item["field"]: item["message"] for item in response.json()["error"]["fields"]}


def test_quote_returns_the_domain_example_and_the_reg_z_box(api: Client) -> None:
    response = api.get("/api/v1/finance/quote", {"price": "20000.00", "apr": "4.00", "term": 60})
    assert response.status_code == 200
    body = response.json()
    assert body["payment"] == "368.33"
    assert body["final_payment"] == "368.38"
    assert body["apr"] == "4.00"
    assert body["apr_tolerance"] == "0.125"
    assert body["total_of_payments"] == "22099.85"
    assert body["finance_charge"] == "2099.85"
    assert len(body["schedule"]) == 60
    assert body["schedule"][-1]["balance"] == "0.00"


def test_quote_refuses_bad_input_with_field_messages(api: Client) -> None:
    response = api.get(
        "/api/v1/finance/quote",
        {"price": "20000", "apr": "101", "term": 0, "balloon": "30000"},
    )
    assert response.status_code == 422
    fields = fields_of(response)
    assert set(fields) >= {"apr", "term"}
    assert "100" in fields["apr"]
    negative = api.get("/api/v1/finance/quote", {"price": "20000", "apr": "-1", "term": 60})
    assert fields_of(negative) == {"apr": "Must not be negative."}
    balloon = api.get(
        "/api/v1/finance/quote", {"price": "20000", "apr": "5", "term": 60, "balloon": "20001"}
    )
    assert fields_of(balloon) == {"balloon": "Must not be above the amount financed."}
    missing = api.get("/api/v1/finance/quote", {"apr": "5"})
    assert missing.status_code == 422
    assert {"price", "term"} <= set(fields_of(missing))


def test_solve_for_price_shows_a_payment_the_schedule_charges(api: Client) -> None:
    response = api.get(
        "/api/v1/finance/solve",
        {"price": "25000", "apr": "5.9", "term": 72, "solve_for": "price", "target_payment": "400"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["quote"]["payment"] == "400.00"
    again = api.get(
        "/api/v1/finance/quote", {"price": body["price"], "apr": "5.9", "term": 72}
    ).json()
    assert again["payment"] == "400.00"


def test_scenarios_grid_and_four_square(api: Client) -> None:
    response = api.get(
        "/api/v1/finance/scenarios",
        {
            "price": "25000",
            "apr": "5.9",
            "term": 72,
            "trade_allowance": "4000",
            "terms": [60, 72],
            "downs": ["0", "1000", "2000"],
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert len(body["scenarios"]) == 6
    assert body["four_square"]["net_trade"] == "4000.00"


def test_lease_domain_example_and_residual_refusal(api: Client) -> None:
    common = {"msrp": "34000", "selling_price": "25000", "term": 36, "money_factor": "0.00125"}
    body = api.get("/api/v1/finance/lease", {**common, "residual_percent": "42"}).json()
    assert body["base_payment"] == "346.88"
    assert body["residual"] == "14280.00"
    refused = api.get("/api/v1/finance/lease", {**common, "residual_percent": "80"})
    assert refused.status_code == 422
    assert "residual_percent" in fields_of(refused)


def test_uk_pcp_representative_example(api: Client) -> None:
    body = api.get(
        "/api/v1/finance/uk",
        {
            "product": "pcp",
            "cash_price": "20000",
            "deposit": "2000",
            "nominal_rate": "7.9",
            "term": 36,
            "balloon": "8000",
            "option_to_purchase_fee": "10",
        },
    ).json()
    example = body["representative_example"]
    assert example["monthly_instalment"] == "365.57"
    assert example["representative_apr"] == "8.20"
    assert example["total_amount_payable"] == "23170.49"


def test_calculators_need_a_signed_in_caller(db: Any) -> None:
    response = Client().get("/api/v1/finance/quote", {"price": "1", "apr": "1", "term": 1})
    assert response.status_code == 401

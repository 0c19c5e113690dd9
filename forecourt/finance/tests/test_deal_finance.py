"""Finance on a deal: the lender's approval from the deal's numbers, a sell rate within the
cap, a product from the menu; the deal's front, back and total gross reconcile."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from forecourt.accounts.roles import Role
from forecourt.deals import actions as deals
from forecourt.deals.numbers import deal_numbers
from forecourt.deals.tests.factories import car, desk, us_setup
from forecourt.finance.contracts import actions
from forecourt.finance.models import FinanceProduct
from forecourt.finance.tests import factories

pytestmark = pytest.mark.django_db


def _approved(actor: Any, rooftop: Any, **fields: Any) -> Any:
    deal = desk(actor, rooftop, **fields)
    return deals.submit_for_approval(actor, deal)


def test_us_financed_deal_reconciles_front_back_and_total_gross(
    owner: Any, rooftop: Any, salesperson: Any, make_user: Any, client_for: Any
) -> None:
    fi = make_user(Role.FI_MANAGER)
    us_setup(owner, rooftop)
    vehicle = car(owner, rooftop)
    deal = _approved(salesperson, rooftop, vehicle=vehicle, price="25000.00", sale_type="finance")
    assert deal.status == "approved"
    balance = deal_numbers(deal).totals.balance_due
    contract = actions.record_deal_lender_approval(
        fi, deal, lender=factories.lender(fi, rooftop), credit_tier="prime", term=60
    )
    assert (contract.deal_id, contract.reference, contract.customer_id) == (
        deal.pk,
        deal.number,
        deal.buyer_id,
    )
    assert (contract.base_amount_financed, contract.selling_price) == (balance, D("25000.00"))
    assert contract.buy_rate == D("4.4900")
    contract = actions.set_sell_rate(fi, contract, D("6.49"), contract.version)
    factories.menu(fi, rooftop)
    vsc = FinanceProduct.objects.get(name="Platinum VSC")
    contract = actions.sell_products(fi, contract, [actions.SoldProduct(vsc.pk)], contract.version)
    assert contract.reserve > 0
    assert contract.product_profit == D("1995.00") - D("900.00")

    numbers = deal_numbers(deal)
    assert numbers.back_gross == contract.reserve + contract.product_profit
    assert numbers.total_gross == numbers.totals.front_gross + numbers.back_gross
    assert numbers.totals.front_gross == D("25000.00") - D("20000.00")

    jacket = reverse("deals:deal-detail", args=[deal.pk])
    page = client_for(owner).get(jacket).content.decode()
    assert f'id="n-total-gross">${numbers.total_gross:,}' in page
    assert 'id="finance-reserve"' in page
    hidden = client_for(fi).get(jacket).content.decode()  # F&I sees the contract, not costs
    assert 'id="finance-payment"' in hidden
    assert 'id="n-total-gross"' not in hidden
    assert 'id="finance-reserve"' not in hidden
    with pytest.raises(ValidationError, match="already has a finance contract"):
        actions.record_deal_lender_approval(
            fi, deal, lender=contract.lender, credit_tier="prime", term=60
        )


def test_uk_pcp_deal_with_a_balloon_reconciles(owner: Any, other_rooftop: Any, make_user: Any):
    seller = make_user(Role.SALESPERSON, rooftops=[other_rooftop])
    fi = make_user(Role.FI_MANAGER, rooftops=[other_rooftop])
    vehicle = car(owner, other_rooftop, acquisition_cost=D("15000.00"), list_price=D("20000.00"))
    deal = _approved(seller, other_rooftop, vehicle=vehicle, price="20000.00", sale_type="pcp")
    deals.take_payment(seller, deal, method="card", amount="2000.00")
    lender = factories.lender(
        fi, other_rooftop, name="Northern Motor Finance", kind="finance_house",
        reserve_method="flat_fee", flat_fee=D("450.00"), max_markup=None,
    )  # fmt: skip
    contract = actions.record_deal_lender_approval(
        fi, deal, lender=lender, credit_tier="prime", term=36, buy_rate=D("7.90"),
        balloon=D("8000.00"),
    )  # fmt: skip
    assert contract.base_amount_financed == deal_numbers(deal).totals.balance_due
    factories.menu(fi, other_rooftop)
    gap = FinanceProduct.objects.get(name="GAP")
    contract = actions.sell_products(fi, contract, [actions.SoldProduct(gap.pk)], contract.version)
    assert contract.reserve == D("450.00")
    numbers = deal_numbers(deal)
    assert numbers.back_gross == D("450.00") + gap.price - gap.cost
    assert numbers.total_gross == numbers.totals.front_gross + numbers.back_gross
    assert numbers.totals.front_gross == D("5000.00")


def test_a_cash_deal_is_not_financed(owner: Any, rooftop: Any, salesperson: Any, make_user: Any):
    fi = make_user(Role.FI_MANAGER)
    deal = _approved(salesperson, rooftop, price="25000.00")
    with pytest.raises(ValidationError, match="finance, lease, HP or PCP"):
        actions.record_deal_lender_approval(
            fi, deal, lender=factories.lender(fi, rooftop), credit_tier="prime", term=60
        )
    assert deal_numbers(deal).back_gross == D("0.00")


def test_fi_queue_lists_financed_deals_and_desking_starts_from_one(
    owner: Any, rooftop: Any, salesperson: Any, make_user: Any, client_for: Any
) -> None:
    fi = make_user(Role.FI_MANAGER)
    financed = _approved(salesperson, rooftop, price="25000.00", sale_type="finance")
    cash = _approved(salesperson, rooftop, price="24000.00")
    quote = desk(salesperson, rooftop, price="23000.00", sale_type="finance")
    client = client_for(fi)
    page = client.get("/finance/").content.decode()
    assert financed.number in page
    assert cash.number not in page
    assert quote.number not in page
    assert client_for(salesperson).get("/finance/").status_code == 403
    opened = client.get("/finance/desk/", {"deal": financed.pk})
    assert opened.status_code == 200
    assert opened.context["form"]["price"].value() == D("25000.00")
    assert client.get("/finance/desk/", {"deal": "x"}).status_code == 404


def test_deal_finance_over_the_api(
    owner: Any, rooftop: Any, salesperson: Any, make_user: Any, client_for: Any
) -> None:
    fi = make_user(Role.FI_MANAGER)
    deal = _approved(salesperson, rooftop, price="25000.00", sale_type="finance")
    lender = factories.lender(fi, rooftop)
    vsc = factories.product(fi, rooftop)
    api = client_for(fi)
    url = f"/api/v1/deals/{deal.pk}/finance"
    assert api.get(url).json() == {"deal_id": deal.pk, "contract": None}
    refused = api.post(
        url, {"lender_id": lender.pk, "credit_tier": "prime", "term": 0},
        content_type="application/json",
    )  # fmt: skip
    assert refused.status_code == 422
    created = api.post(
        url, {"lender_id": lender.pk, "credit_tier": "prime", "term": 60},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    contract = created.json()["contract"]
    assert contract["sell_rate"] == "4.4900"
    assert "reserve" not in contract  # F&I managers do not see vehicle costs
    over_cap = api.patch(url, {"sell_rate": "7.50", "version": 1}, content_type="application/json")
    assert over_cap.status_code == 422
    sold = api.patch(
        url, {"sell_rate": "6.49", "products": [{"product_id": vsc.pk}], "version": 1},
        content_type="application/json",
    )  # fmt: skip
    assert sold.status_code == 200, sold.content
    body = client_for(owner).get(url).json()["contract"]
    assert body["version"] == 3
    assert D(body["back_gross"]) == D(body["reserve"]) + D("1095.00")
    assert D(body["back_gross"]) == deal_numbers(deal).back_gross
    stale = api.patch(url, {"sell_rate": "5.49", "version": 1}, content_type="application/json")
    assert stale.status_code == 409

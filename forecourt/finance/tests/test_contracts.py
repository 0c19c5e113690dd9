"""Finance contracts: approval at the buy rate, a sell rate within the cap, reserve and
products as back gross, all reproduced by the calculation core."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from forecourt.accounts.roles import Role
from forecourt.customers.actions import create_customer, merge_customers
from forecourt.finance.calc.regz import Itemization, disclose
from forecourt.finance.calc.reserve import ReserveRule, dealer_reserve
from forecourt.finance.contracts import actions
from forecourt.finance.models import FinanceProduct
from forecourt.finance.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def fi_manager(make_user: Any) -> Any:
    return make_user(Role.FI_MANAGER)


def approve(actor: Any, rooftop: Any, **overrides: Any) -> Any:
    values = {
        "lender": overrides.pop("lender", None) or factories.lender(actor, rooftop),
        "credit_tier": "prime",
        "term": 60,
        "amount_financed": Decimal("20000.00"),
        "selling_price": Decimal("22000.00"),
        "reference": "D-1001",
        **overrides,
    }
    return actions.record_lender_approval(actor, rooftop, **values)


def test_approval_takes_the_rate_sheets_buy_rate(fi_manager: Any, rooftop: Any) -> None:
    contract = approve(fi_manager, rooftop)
    assert contract.buy_rate == Decimal("4.4900")
    assert contract.sell_rate == contract.buy_rate
    assert contract.reserve == Decimal("0.00")
    assert contract.payment == disclose(Itemization(Decimal("20000")), Decimal("4.49"), 60).payment


def test_sell_rate_within_the_cap_earns_the_reserve(fi_manager: Any, rooftop: Any) -> None:
    contract = approve(fi_manager, rooftop)
    sold = actions.set_sell_rate(fi_manager, contract, Decimal("6.99"), contract.version)
    box = disclose(Itemization(Decimal("20000")), Decimal("6.99"), 60)
    expected = dealer_reserve(
        box, Decimal("4.49"), ReserveRule("markup", Decimal("2.5"), Decimal(75))
    )
    assert sold.payment == box.payment
    assert sold.reserve == expected
    assert sold.reserve > Decimal("900")
    assert sold.back_gross == sold.reserve


def test_sell_rate_above_the_cap_or_below_buy_is_refused(fi_manager: Any, rooftop: Any) -> None:
    contract = approve(fi_manager, rooftop)
    with pytest.raises(ValidationError) as refused:
        actions.set_sell_rate(fi_manager, contract, Decimal("7.00"), contract.version)
    assert "Above the lender's cap: at most 6.9900%" in refused.value.message_dict["sell_rate"][0]
    with pytest.raises(ValidationError):
        actions.set_sell_rate(fi_manager, contract, Decimal("4.00"), contract.version)


def test_products_are_financed_and_their_profit_is_back_gross(
    fi_manager: Any, rooftop: Any
) -> None:
    contract = approve(fi_manager, rooftop)
    contract = actions.set_sell_rate(fi_manager, contract, Decimal("5.99"), contract.version)
    factories.menu(fi_manager, rooftop)
    vsc = FinanceProduct.objects.get(name="Platinum VSC")
    gap = FinanceProduct.objects.get(name="GAP")
    sold = actions.sell_products(
        fi_manager,
        contract,
        [actions.SoldProduct(vsc.pk), actions.SoldProduct(gap.pk, Decimal("895.00"))],
        contract.version,
    )
    assert sold.amount_financed == Decimal("22890.00")
    assert sold.product_profit == Decimal("1095.00") + Decimal("595.00")
    assert sold.back_gross == sold.reserve + Decimal("1690.00")
    assert sold.payment == disclose(Itemization(Decimal("22890")), Decimal("5.99"), 60).payment


def test_lender_limits_are_enforced(fi_manager: Any, rooftop: Any) -> None:
    lender = factories.lender(fi_manager, rooftop)
    with pytest.raises(ValidationError) as refused:
        approve(fi_manager, rooftop, lender=lender, amount_financed=Decimal("30000"))
    assert "amount_financed" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        approve(fi_manager, rooftop, lender=lender, term=96, buy_rate=Decimal("5"))
    assert "term" in refused.value.message_dict


def test_uk_pcp_contract_with_a_balloon_and_a_flat_commission(
    make_user: Any, other_rooftop: Any
) -> None:
    manager = make_user(Role.FI_MANAGER, rooftops=[other_rooftop])
    lender = factories.lender(
        manager,
        other_rooftop,
        name="Northern Motor Finance",
        kind="finance_house",
        reserve_method="flat_fee",
        flat_fee=Decimal("450.00"),
        max_markup=None,
    )
    contract = approve(
        manager,
        other_rooftop,
        lender=lender,
        term=36,
        amount_financed=Decimal("18000.00"),
        selling_price=Decimal("20000.00"),
        buy_rate=Decimal("7.90"),
        balloon=Decimal("8000.00"),
    )
    assert contract.payment == Decimal("365.57")  # the UK calculator's instalment
    assert contract.back_gross == Decimal("450.00")
    with pytest.raises(ValidationError) as refused:
        actions.set_sell_rate(manager, contract, Decimal("8.90"), contract.version)
    assert "no markup" in refused.value.message_dict["sell_rate"][0]


def test_merging_customers_moves_their_finance_records(fi_manager: Any, rooftop: Any) -> None:
    application = factories.credit_application(fi_manager, rooftop)
    duplicate = application.customer
    survivor = create_customer(
        fi_manager,
        rooftop,
        {"first_name": "Dana", "last_name": "Buyer-Smith", "email": "dana.s@example.com"},
        allow_duplicate=True,
    )
    contract = approve(fi_manager, rooftop, customer=duplicate)
    merge_customers(fi_manager, survivor, duplicate)
    application.refresh_from_db()
    contract.refresh_from_db()
    assert application.customer == survivor
    assert contract.customer == survivor

"""Deal totals, gross and commission: worked examples and the balance-due identity."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forecourt.deals.calc.commission import Plan, PlanKind, Share, commission, split_commissions
from forecourt.deals.calc.totals import AddOn, DealInputs, Trade, deal_totals

money = st.decimals(min_value=0, max_value=200_000, places=2, allow_nan=False)


def test_cash_deal_with_a_trade() -> None:
    totals = deal_totals(
        DealInputs(
            price=D("30000"),
            discount=D("500"),
            add_ons=[AddOn(D("400"), D("150"))],
            fees=[D("299"), D("150")],
            taxes=[D("1200"), D("150.50")],
            trades=[Trade(acv=D("9000"), allowance=D("10000"), payoff=D("4000"))],
            payments=[D("1000")],
            true_cost=D("25000"),
        )
    )
    assert totals.cash_price == D("31699.50")
    assert totals.trade_equity == D("6000.00")
    assert totals.balance_due == D("24699.50")
    # 29,500 - 25,000 - 1,000 over-allowance + 250 add-on profit
    assert totals.front_gross == D("3750.00")


def test_negative_equity_raises_the_balance() -> None:
    totals = deal_totals(
        DealInputs(price=D("20000"), trades=[Trade(D("5000"), D("5000"), D("7000"))])
    )
    assert (totals.trade_equity, totals.balance_due) == (D("-2000.00"), D("22000.00"))


@given(
    price=money,
    discount=money,
    rebates=money,
    add_ons=st.lists(st.tuples(money, money), max_size=4),
    fees=st.lists(money, max_size=5),
    taxes=st.lists(money, max_size=4),
    trades=st.lists(st.tuples(money, money, money), max_size=3),
    payments=st.lists(money, max_size=4),
)
def test_balance_due_identity_to_the_cent(
    price: D,
    discount: D,
    rebates: D,
    add_ons: list[tuple[D, D]],
    fees: list[D],
    taxes: list[D],
    trades: list[tuple[D, D, D]],
    payments: list[D],
) -> None:
    totals = deal_totals(
        DealInputs(
            price=price,
            discount=discount,
            rebates=rebates,
            add_ons=[AddOn(p, c) for p, c in add_ons],
            fees=fees,
            taxes=taxes,
            trades=[Trade(acv, allowance, payoff) for acv, allowance, payoff in trades],
            payments=payments,
        )
    )
    equity = sum((allowance - payoff for _, allowance, payoff in trades), D(0))
    expected = (
        price - discount + sum((p for p, _ in add_ons), D(0)) + sum(fees, D(0))
        + sum(taxes, D(0)) - rebates - equity - sum(payments, D(0))
    )  # fmt: skip
    assert totals.balance_due == expected
    assert totals.balance_due == totals.cash_price - totals.trade_equity - totals.payments
    assert totals.balance_due.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("plan", "gross", "share", "expected"),
    [
        (Plan(PlanKind.FLAT, flat=D("300")), D("5000"), D("100"), D("300.00")),
        (Plan(PlanKind.FLAT, flat=D("300")), D("5000"), D("50"), D("150.00")),
        (Plan(PlanKind.PERCENT, percent=D("25"), mini=D("150")), D("3000"), D("100"), D("750.00")),
        (Plan(PlanKind.PERCENT, percent=D("25"), mini=D("150")), D("-800"), D("100"), D("150.00")),
        (Plan(PlanKind.PERCENT, percent=D("25"), mini=D("150")), D("3000"), D("50"), D("375.00")),
        (Plan(PlanKind.MINI, mini=D("200")), D("9000"), D("50"), D("100.00")),
    ],
)
def test_commission_plans(plan: Plan, gross: D, share: D, expected: D) -> None:
    assert commission(plan, gross, share) == expected


def test_split_commissions_need_shares_adding_to_100() -> None:
    plan = Plan(PlanKind.PERCENT, percent=D("20"))
    split = split_commissions([Share("ann", D("60"), plan), Share("bob", D("40"), plan)], D("2500"))
    assert split == {"ann": D("300.00"), "bob": D("200.00")}
    with pytest.raises(ValueError, match="add up to 100"):
        split_commissions([Share("ann", D("60"), plan)], D("2500"))

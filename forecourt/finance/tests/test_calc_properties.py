"""Property tests: every schedule balances, every APR is within tolerance, solving inverts."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from forecourt.finance.calc.actuarial import Timing, apr_percent, first_period_from_days
from forecourt.finance.calc.installment import LoanTerms, schedule
from forecourt.finance.calc.lease import LeaseInput, quote_lease
from forecourt.finance.calc.regz import Itemization, apr_within_tolerance, disclose, schedule_flows
from forecourt.finance.calc.solve import Desk, down_for_payment, price_for_payment, quote
from forecourt.finance.calc.uk import Product, UkAgreement, quote_uk

amounts = st.decimals(min_value=Decimal("500.00"), max_value=Decimal("150000.00"), places=2)
rates = st.decimals(min_value=Decimal("0.00"), max_value=Decimal("29.99"), places=2)
terms = st.integers(min_value=1, max_value=96)
days = st.integers(min_value=15, max_value=60)
CENT = Decimal("0.01")
FAST = settings(max_examples=150, deadline=None)


@FAST
@given(principal=amounts, rate=rates, term=terms, first_days=days)
def test_every_schedule_sums_to_its_total_and_ends_at_zero(
    principal: Decimal, rate: Decimal, term: int, first_days: int
) -> None:
    plan = schedule(LoanTerms(principal, rate, term, first_period_from_days(first_days)))
    assert plan.rows[-1].balance == 0
    assert sum(row.principal for row in plan.rows) == principal
    assert plan.total_of_payments == principal + plan.total_interest
    assert all(row.payment == plan.payment for row in plan.rows[:-1])
    for row in plan.rows:
        assert row.payment == row.interest + row.principal
        assert row.interest >= 0


@FAST
@given(principal=amounts, rate=rates, term=terms, first_days=days)
def test_disclosed_apr_is_within_tolerance_of_the_schedule_and_the_contract_rate(
    principal: Decimal, rate: Decimal, term: int, first_days: int
) -> None:
    first = first_period_from_days(first_days)
    box = disclose(Itemization(cash_price=principal), rate, term, first)
    recomputed = apr_percent(box.amount_financed, schedule_flows(box.schedule))
    assert apr_within_tolerance(box.apr, recomputed, box.irregular)
    assert apr_within_tolerance(box.apr, rate, box.irregular)
    assert box.finance_charge == box.total_of_payments - box.amount_financed
    assert box.total_sale_price == box.total_of_payments


@FAST
@given(
    principal=amounts,
    rate=rates,
    term=st.integers(min_value=12, max_value=72),
    share=st.decimals(min_value=Decimal("0"), max_value=Decimal("0.6"), places=2),
)
def test_balloon_schedules_end_at_zero_with_the_balloon_last(
    principal: Decimal, rate: Decimal, term: int, share: Decimal
) -> None:
    balloon = (principal * share).quantize(CENT)
    plan = schedule(LoanTerms(principal, rate, term, balloon=balloon))
    assert plan.rows[-1].balance == 0
    assert plan.rows[-1].balloon == balloon
    assert plan.total_of_payments == principal + plan.total_interest


@FAST
@given(
    price=st.decimals(min_value=Decimal("3000"), max_value=Decimal("90000"), places=2),
    rate=rates,
    term=st.integers(min_value=12, max_value=84),
    tax=st.decimals(min_value=Decimal("0"), max_value=Decimal("10"), places=3),
    down=st.decimals(min_value=Decimal("0"), max_value=Decimal("2500"), places=2),
)
def test_solve_for_inverts_the_forward_calculation(
    price: Decimal, rate: Decimal, term: int, tax: Decimal, down: Decimal
) -> None:
    desk = Desk(price=price, apr=rate, term=term, tax_rate=tax, cash_down=down, fees=Decimal(99))
    shown = quote(desk).payment
    by_price = price_for_payment(desk, shown)
    assert by_price.disclosure.payment == shown
    assert by_price.desk.price >= price
    assert quote(replace(by_price.desk, price=by_price.desk.price + CENT)).payment > shown
    by_down = down_for_payment(desk, shown)
    assert by_down.disclosure.payment == shown
    assert by_down.desk.cash_down <= down
    if by_down.desk.cash_down > 0:
        assert quote(replace(by_down.desk, cash_down=by_down.desk.cash_down - CENT)).payment > shown


@FAST
@given(
    msrp=st.decimals(min_value=Decimal("15000"), max_value=Decimal("120000"), places=2),
    discount=st.decimals(min_value=Decimal("0.80"), max_value=Decimal("1.00"), places=2),
    residual=st.decimals(min_value=Decimal("30"), max_value=Decimal("70"), places=1),
    factor=st.decimals(min_value=Decimal("0"), max_value=Decimal("0.00400"), places=5),
    term=st.integers(min_value=24, max_value=48),
)
def test_lease_totals_reproduce_from_the_base_payment(
    msrp: Decimal, discount: Decimal, residual: Decimal, factor: Decimal, term: int
) -> None:
    lease = quote_lease(
        LeaseInput(
            msrp=msrp,
            selling_price=(msrp * discount).quantize(CENT),
            residual_percent=residual,
            term=term,
            money_factor=factor,
        )
    )
    assert lease.base_payment == lease.depreciation_monthly + lease.rent_charge_monthly
    assert lease.total_of_base_payments == lease.base_payment * term
    assert lease.rent_charge_total + lease.depreciation_total == lease.total_of_base_payments
    assert lease.total_of_payments == lease.monthly_payment * term


@settings(max_examples=40, deadline=None)
@given(
    price=st.decimals(min_value=Decimal("5000"), max_value=Decimal("60000"), places=2),
    rate=st.decimals(min_value=Decimal("0.0"), max_value=Decimal("19.9"), places=1),
    term=st.integers(min_value=12, max_value=60),
    share=st.decimals(min_value=Decimal("0"), max_value=Decimal("0.5"), places=2),
)
def test_uk_totals_reproduce_and_apr_is_at_least_the_nominal_rate(
    price: Decimal, rate: Decimal, term: int, share: Decimal
) -> None:
    deposit = (price / 10).quantize(CENT)
    balloon = ((price - deposit) * share).quantize(CENT)
    product = Product.PCP if balloon else Product.HP
    quoted = quote_uk(UkAgreement(product, price, deposit, rate, term, balloon=balloon))
    example = quoted.example
    assert example.total_amount_payable == deposit + quoted.schedule.total_of_payments
    assert example.representative_apr >= rate.quantize(Decimal("0.1")) - Decimal("0.1")


def test_timing_of_later_payments_keeps_the_odd_fraction() -> None:
    terms = LoanTerms(Decimal(1000), Decimal(5), 3, Timing(1, Decimal("0.5")))
    assert terms.timing(3) == Timing(3, Decimal("0.5"))

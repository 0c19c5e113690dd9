"""Worked examples: the domain facts' numbers and hand-checked cases, to the cent."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from forecourt.finance.calc.actuarial import (
    Timing,
    first_period_from_dates,
    first_period_from_days,
)
from forecourt.finance.calc.errors import CalcInputError
from forecourt.finance.calc.installment import LoanTerms, schedule
from forecourt.finance.calc.lease import (
    LeaseInput,
    LeaseTax,
    apr_from_money_factor,
    money_factor_from_apr,
    quote_lease,
)
from forecourt.finance.calc.regz import Charge, Itemization, apr_within_tolerance, disclose
from forecourt.finance.calc.scenarios import four_square, grid
from forecourt.finance.calc.simple_interest import LoanState, post_payment
from forecourt.finance.calc.solve import (
    Desk,
    down_for_payment,
    price_for_payment,
    quote,
    term_for_payment,
)
from forecourt.finance.calc.uk import (
    Product,
    UkAgreement,
    apr_from_nominal,
    nominal_from_apr,
    quote_uk,
)


def test_domain_loan_example_payment_and_final_payment() -> None:
    plan = schedule(LoanTerms(D("20000.00"), D("4.00"), 60))
    assert plan.payment == D("368.33")
    assert plan.final_payment == D("368.38")
    assert plan.total_of_payments == D("368.33") * 59 + D("368.38")
    assert plan.rows[0].interest == D("66.67")
    assert plan.rows[-1].balance == 0


def test_zero_rate_divides_evenly_and_last_payment_takes_the_remainder() -> None:
    plan = schedule(LoanTerms(D("1000.00"), D("0"), 3))
    assert [row.payment for row in plan.rows] == [D("333.33"), D("333.33"), D("333.34")]
    assert plan.total_interest == 0


def test_reg_z_box_for_a_regular_contract() -> None:
    items = Itemization(
        cash_price=D("25000.00"),
        cash_down=D("2000.00"),
        trade_allowance=D("5000.00"),
        trade_payoff=D("3000.00"),
        sales_tax=D("1380.00"),
        other_charges=(Charge("Doc fee", D("499.00")), Charge("Service contract", D("1995.00"))),
    )
    box = disclose(items, D("6.90"), 72)
    assert items.down_payment == D("4000.00")
    assert box.amount_financed == D("24874.00")
    assert box.payment == D("422.88")
    assert box.total_of_payments == box.schedule.total_of_payments
    assert box.finance_charge == box.total_of_payments - D("24874.00")
    assert box.total_sale_price == box.total_of_payments + D("4000.00")
    assert box.apr == D("6.90")
    assert not box.irregular


def test_negative_equity_is_financed() -> None:
    items = Itemization(cash_price=D("20000"), trade_allowance=D("8000"), trade_payoff=D("11000"))
    assert items.down_payment == 0
    assert items.amount_financed == D("23000")


def test_prepaid_finance_charge_raises_the_apr_above_the_note_rate() -> None:
    items = Itemization(cash_price=D("20000.00"), prepaid_finance_charge=D("595.00"))
    box = disclose(items, D("5.00"), 60)
    assert box.amount_financed == D("20000.00")
    assert box.schedule.terms.principal == D("20595.00")
    # Independent float bisection on 388.65 x 60 against 20,000 gives 6.2141%.
    assert box.apr == D("6.21")
    assert box.finance_charge == box.total_of_payments - D("20000.00")


def test_odd_first_period_is_priced_into_the_payment_and_the_first_interest() -> None:
    first = first_period_from_days(45)
    assert first == Timing(1, D("0.5"))
    box = disclose(Itemization(cash_price=D("20000.00")), D("4.00"), 60, first)
    # One month and a half of interest at 4%: 20000 * ((1 + 0.5i)(1 + i) - 1), i = 0.04/12.
    assert box.schedule.rows[0].interest == D("100.11")
    assert box.payment > D("368.33")
    assert box.apr == D("4.00")
    assert not box.irregular


def test_first_period_from_dates_counts_months_back_then_days() -> None:
    assert first_period_from_dates(date(2026, 1, 15), date(2026, 3, 1)) == Timing(1, D(17) / 30)
    assert first_period_from_dates(date(2026, 1, 15), date(2026, 2, 15)) == Timing(1, D(0))


def test_tolerance_is_an_eighth_point_or_a_quarter_for_irregular() -> None:
    assert apr_within_tolerance(D("6.00"), D("6.125"))
    assert not apr_within_tolerance(D("6.00"), D("6.126"))
    assert apr_within_tolerance(D("6.00"), D("6.25"), irregular=True)
    assert not apr_within_tolerance(D("6.00"), D("6.26"), irregular=True)


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        (LoanTerms(D("1000"), D("-0.01"), 12), "apr"),
        (LoanTerms(D("1000"), D("100.01"), 12), "apr"),
        (LoanTerms(D("1000"), D("5"), 0), "term"),
        (LoanTerms(D("1000"), D("5"), 12, balloon=D("1000.01")), "balloon"),
        (LoanTerms(D("0"), D("5"), 12), "amount_financed"),
    ],
)
def test_bad_loan_input_names_the_field(terms: LoanTerms, field: str) -> None:
    with pytest.raises(CalcInputError) as refused:
        schedule(terms)
    assert field in refused.value.errors


def test_balloon_loan_ends_with_the_balloon() -> None:
    plan = schedule(LoanTerms(D("30000.00"), D("6.00"), 36, balloon=D("12000.00")))
    assert plan.rows[-1].balloon == D("12000.00")
    assert plan.rows[-1].balance == 0
    # P*r/(1-(1+r)^-n) - B*r/((1+r)^n - 1) at r = 0.005: 607.5949.
    assert plan.payment == D("607.59")


def test_domain_lease_example() -> None:
    lease = quote_lease(
        LeaseInput(
            msrp=D("34000.00"),
            selling_price=D("25000.00"),
            residual_percent=D("42"),
            term=36,
            money_factor=D("0.00125"),
        )
    )
    assert lease.residual == D("14280.00")
    assert lease.depreciation_monthly == D("297.78")
    assert lease.rent_charge_monthly == D("49.10")
    assert lease.base_payment == D("346.88")
    assert lease.rent_charge_total == D("346.88") * 36 - D("10720.00")


def test_lease_tax_monthly_or_upfront_and_drive_off() -> None:
    common = {
        "msrp": D("34000.00"),
        "selling_price": D("27000.00"),
        "residual_percent": D("42"),
        "term": 36,
        "money_factor": D("0.00125"),
        "cash_down": D("2000.00"),
        "tax_rate": D("7"),
        "fees_at_signing": D("350.00"),
        "acquisition_fee": D("695.00"),
    }
    monthly = quote_lease(LeaseInput(**common))
    assert monthly.adjusted_cap_cost == D("25695.00")
    assert monthly.monthly_tax == (monthly.base_payment * D("0.07")).quantize(D("0.01"))
    assert monthly.amount_due_at_signing == monthly.monthly_payment + D("2350.00")
    upfront = quote_lease(LeaseInput(**common, tax_mode=LeaseTax.UPFRONT))
    assert upfront.monthly_tax == 0
    assert upfront.upfront_tax == (upfront.base_payment * 36 * D("0.07")).quantize(D("0.01"))
    signing = upfront.base_payment + D("2350.00") + upfront.upfront_tax
    assert upfront.amount_due_at_signing == signing


def test_money_factor_and_apr_round_trip() -> None:
    assert money_factor_from_apr(D("3.00")) == D("0.00125")
    assert apr_from_money_factor(D("0.00125")) == D("3.00000")


def test_lease_refuses_a_residual_above_the_adjusted_cap_cost() -> None:
    with pytest.raises(CalcInputError) as refused:
        quote_lease(
            LeaseInput(
                msrp=D("40000"),
                selling_price=D("30000"),
                residual_percent=D("70"),
                term=36,
                money_factor=D("0.001"),
                cash_down=D("3000"),
            )
        )
    assert "residual_percent" in refused.value.errors


def test_uk_pcp_representative_example_reproduces_from_the_schedule() -> None:
    quote_ = quote_uk(
        UkAgreement(
            Product.PCP,
            cash_price=D("20000.00"),
            deposit=D("2000.00"),
            nominal_rate=D("7.90"),
            term=36,
            balloon=D("8000.00"),
            option_to_purchase_fee=D("10.00"),
        )
    )
    example = quote_.example
    assert example.credit == D("18000.00")
    assert example.monthly_instalment == D("365.57")
    assert example.total_amount_payable == D("2000.00") + quote_.schedule.total_of_payments + D(
        "10.00"
    )
    assert example.total_charge_for_credit == example.total_amount_payable - D("20000.00")
    assert example.representative_apr == D("8.2")


def test_uk_hp_apr_of_a_plain_nominal_rate_is_the_monthly_compounded_rate() -> None:
    example = quote_uk(UkAgreement(Product.HP, D("10000.00"), D("1000.00"), D("6.00"), 48)).example
    assert example.representative_apr == apr_from_nominal(D("6")).quantize(D("0.1"))
    assert nominal_from_apr(apr_from_nominal(D("6"))).quantize(D("0.000001")) == D("6.000000")


def test_uk_apr_on_actual_payment_dates() -> None:
    common = {
        "product": Product.HP,
        "cash_price": D("10000.00"),
        "deposit": D("1000.00"),
        "nominal_rate": D("6.00"),
        "term": 48,
    }
    by_months = quote_uk(UkAgreement(**common)).example.representative_apr
    on_the_day = UkAgreement(
        **common, agreement_date=date(2026, 1, 15), first_payment_date=date(2026, 2, 15)
    )
    assert quote_uk(on_the_day).example.representative_apr == by_months
    # The same instalments paid a fortnight later cost less a year.
    later = UkAgreement(
        **common, agreement_date=date(2026, 1, 15), first_payment_date=date(2026, 3, 1)
    )
    assert quote_uk(later).example.representative_apr < by_months


def test_uk_refuses_a_balloon_above_the_credit_and_one_on_hp() -> None:
    with pytest.raises(CalcInputError) as refused:
        quote_uk(UkAgreement(Product.PCP, D("20000"), D("5000"), D("7"), 36, balloon=D("15001")))
    assert "balloon" in refused.value.errors
    with pytest.raises(CalcInputError) as refused:
        quote_uk(UkAgreement(Product.HP, D("20000"), D("5000"), D("7"), 36, balloon=D("1000")))
    assert "balloon" in refused.value.errors


def test_simple_interest_accrues_daily_and_pays_fees_then_interest_then_principal() -> None:
    state = LoanState(D("10000.00"), D("18.25"), date(2026, 1, 1), fees_due=D("15.00"))
    after, paid = post_payment(state, date(2026, 1, 31), D("400.00"))
    # 10000 * 18.25% / 365 = 5.00 a day, for 30 days.
    assert (paid.fees, paid.interest, paid.principal) == (D("15.00"), D("150.00"), D("235.00"))
    assert after.principal == D("9765.00")
    _, interest_first = post_payment(
        state, date(2026, 1, 31), D("100.00"), ("interest", "principal", "fees")
    )
    assert (interest_first.interest, interest_first.principal, interest_first.fees) == (
        D("100.00"),
        D("0"),
        D("0"),
    )


def test_solve_for_reproduces_the_shown_payment() -> None:
    desk = Desk(price=D("25000"), apr=D("5.9"), term=72, cash_down=D("3000"), tax_rate=D("6"))
    target = D("350.00")
    price = price_for_payment(desk, target)
    assert price.disclosure.payment <= target
    assert quote(replace(desk, price=price.desk.price + D("0.01"))).payment > target
    down = down_for_payment(desk, target)
    assert down.disclosure.payment <= target
    term = term_for_payment(desk, target)
    assert term.disclosure.payment <= target
    # 23,500 financed at 5.9%: 81 months pay 352.42, 82 months 348.92.
    assert term.desk.term == 82
    assert term.disclosure.payment == D("348.92")


def test_scenario_grid_and_four_square() -> None:
    desk = Desk(price=D("25000"), apr=D("5.9"), term=72, trade_allowance=D("4000"))
    cells = grid(desk, [48, 60, 72], [D("0"), D("2000")], [D("5.9")])
    assert [(cell.term, cell.cash_down) for cell in cells][:2] == [(48, D("0")), (48, D("2000"))]
    assert cells[0].payment > cells[-1].payment
    square = four_square(desk, [60, 72], [D("0"), D("1000")])
    assert square.net_trade == D("4000")
    assert len(square.payments) == 4

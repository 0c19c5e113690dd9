"""Floor-plan arithmetic: worked examples (docs/stocking.md) and properties."""

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forecourt.purchasing.stocking.interest import (
    CurtailmentStep,
    DayCountBasis,
    RateChange,
    accrue_days,
    advance_for,
    cents,
    curtailment_schedule,
    curtailments_outstanding,
    interest_between,
    is_out_of_trust,
    payoff_quote,
    rate_on,
    utilisation_percent,
    validate_schedule,
)

D = Decimal
R365 = DayCountBasis.ACTUAL_365
R360 = DayCountBasis.ACTUAL_360
RACT = DayCountBasis.ACTUAL_ACTUAL


def flat(percent: str) -> list[RateChange]:
    return [RateChange(date(2000, 1, 1), D(percent))]


# --- worked examples ------------------------------------------------------------------


def test_a_month_at_a_flat_rate():
    # 20,000.00 x 7.30% / 365 = 4.00 a day; January has 31 days.
    assert interest_between(
        D("20000.00"), flat("7.30"), R365, date(2026, 1, 1), date(2026, 1, 31)
    ) == D("124.00")


def test_a_rate_change_in_the_middle_of_the_month():
    # 1-15 Jan at 7.30% (4.00 a day) = 60.00; 16-31 Jan at 9.125% (5.00 a day) = 80.00.
    rates = [RateChange(date(2025, 6, 1), D("7.30")), RateChange(date(2026, 1, 16), D("9.125"))]
    days = accrue_days(D("20000.00"), rates, R365, date(2026, 1, 1), date(2026, 1, 31))
    assert [d.posted for d in days[14:16]] == [D("4.00"), D("5.00")]
    assert sum(d.posted for d in days) == D("140.00")


def test_a_leap_february_by_each_basis():
    # actual/365: 29 days x 4.00 = 116.00 (the leap day costs a day's interest).
    assert interest_between(
        D("20000"), flat("7.30"), R365, date(2028, 2, 1), date(2028, 2, 29)
    ) == D("116.00")
    # actual/actual: 20,000 x 7.30% / 366 x 29 = 115.6830... -> 115.68.
    assert interest_between(
        D("20000"), flat("7.30"), RACT, date(2028, 2, 1), date(2028, 2, 29)
    ) == D("115.68")
    # A common-year February by actual/actual is plain /365: 28 x 4.00.
    assert interest_between(
        D("20000"), flat("7.30"), RACT, date(2027, 2, 1), date(2027, 2, 28)
    ) == D("112.00")


def test_a_360_day_lender_charges_more_per_day():
    # 18,000 x 8% / 360 = 4.00 a day for 30 days.
    assert interest_between(D("18000"), flat("8"), R360, date(2026, 4, 1), date(2026, 4, 30)) == D(
        "120.00"
    )


def test_odd_amounts_post_cents_that_add_up_to_the_exact_total():
    # 12,345.67 x 6.5% / 365 = 2.19854... a day; 31 days = 68.15486... -> 68.15.
    days = accrue_days(D("12345.67"), flat("6.5"), R365, date(2026, 3, 1), date(2026, 3, 31))
    exact = Fraction("12345.67") * Fraction("0.065") / 365 * 31
    assert (
        sum(d.posted for d in days)
        == D("68.15")
        == cents(D(exact.numerator) / D(exact.denominator))
    )
    assert {d.posted for d in days} <= {D("2.19"), D("2.20")}


def test_a_curtailment_lowers_the_balance_from_its_day():
    balances = {date(2026, 1, d): D("20000") if d < 11 else D("18000") for d in range(1, 21)}
    days = accrue_days(balances, flat("7.30"), R365, date(2026, 1, 1), date(2026, 1, 20))
    # 10 days x 4.00 + 10 days x 3.60
    assert sum(d.posted for d in days) == D("76.00")


def test_no_rate_in_force_is_an_error():
    with pytest.raises(ValueError, match="1999-01-01"):
        rate_on(date(1999, 1, 1), flat("5"))


def test_curtailments_fall_on_their_days():
    steps = [CurtailmentStep(90, D("10")), CurtailmentStep(120, D("10"))]
    schedule = curtailment_schedule(date(2026, 1, 10), D("20000.00"), steps)
    assert [(c.due_on, c.amount) for c in schedule] == [
        (date(2026, 4, 10), D("2000.00")),
        (date(2026, 5, 10), D("2000.00")),
    ]
    # In a leap year day 90 after 10 January is 9 April.
    leap = curtailment_schedule(date(2028, 1, 10), D("20000.00"), steps)
    assert leap[0].due_on == date(2028, 4, 9)


def test_outstanding_curtailments_net_what_was_paid():
    steps = [CurtailmentStep(90, D("10")), CurtailmentStep(120, D("10"))]
    due = curtailments_outstanding(date(2026, 1, 10), D("20000"), steps, D("2500"), D("17500"))
    assert [(c.due_on, c.amount) for c in due] == [(date(2026, 5, 10), D("1500.00"))]
    # Never more than the principal left.
    due = curtailments_outstanding(date(2026, 1, 10), D("20000"), steps, D("0"), D("3000"))
    assert [c.amount for c in due] == [D("2000.00"), D("1000.00")]


def test_schedule_problems_are_named():
    assert validate_schedule([CurtailmentStep(90, D("10"))]) == []
    assert validate_schedule([CurtailmentStep(90, D("60")), CurtailmentStep(120, D("50"))]) == [
        "The curtailments add up to more than the whole advance."
    ]
    assert len(validate_schedule([CurtailmentStep(0, D("10")), CurtailmentStep(0, D("0"))])) == 3


def test_advance_payoff_and_out_of_trust():
    assert advance_for(D("15333.33"), D("90")) == D("13800.00")
    quote = payoff_quote(D("13800.00"), D("12.345"), D("25"), date(2026, 3, 2), 5)
    assert quote.total == D("13837.35")
    assert quote.due_on == date(2026, 3, 7)
    assert not is_out_of_trust(date(2026, 3, 2), 5, date(2026, 3, 7))
    assert is_out_of_trust(date(2026, 3, 2), 5, date(2026, 3, 8))
    assert not is_out_of_trust(None, 5, date(2026, 3, 8))
    assert utilisation_percent(D("2250000"), D("3000000")) == D("75.0")


# --- properties ------------------------------------------------------------------------

money = st.decimals(min_value=D("0.00"), max_value=D("500000.00"), places=2)
percent = st.decimals(min_value=D("0.00"), max_value=D("30.000"), places=3)
days_in_2024_2030 = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))
bases = st.sampled_from(list(DayCountBasis))


@given(money, percent, percent, bases, days_in_2024_2030, st.integers(1, 120), st.integers(0, 120))
def test_split_runs_post_the_same_cents_as_one_run(
    balance, rate1, rate2, basis, start, length, cut
):
    rates = [
        RateChange(date(2000, 1, 1), rate1),
        RateChange(start + timedelta(days=length // 2), rate2),
    ]
    end = start + timedelta(days=length - 1)
    whole = accrue_days(balance, rates, basis, start, end)
    cut = min(cut, length - 1)
    first = (
        accrue_days(balance, rates, basis, start, start + timedelta(days=cut - 1)) if cut else []
    )
    rest = accrue_days(
        balance,
        rates,
        basis,
        start + timedelta(days=cut),
        end,
        running_before=first[-1].running_exact if first else D("0"),
    )
    assert [d.posted for d in first + rest] == [d.posted for d in whole]
    total = sum((d.posted for d in whole), D("0"))
    assert total == cents(whole[-1].running_exact)
    assert all(d.posted >= 0 and abs(d.posted - d.exact) < D("0.01") for d in whole)


@given(money, percent, days_in_2024_2030, st.integers(1, 400))
def test_total_interest_matches_exact_fractions(balance, rate, start, length):
    end = start + timedelta(days=length - 1)
    got = interest_between(balance, flat(str(rate)), RACT, start, end)
    exact = Fraction(0)
    day = start
    while day <= end:
        exact += Fraction(balance) * Fraction(rate) / 100 / (366 if day.year % 4 == 0 else 365)
        day += timedelta(days=1)
    assert abs(got - D(exact.numerator) / D(exact.denominator)) <= D("0.005") + D("1e-7")


steps_strategy = st.lists(
    st.builds(CurtailmentStep, st.integers(1, 720), st.decimals(D("0.01"), D("100"), places=2)),
    max_size=6,
    unique_by=lambda s: s.age_days,
)


@given(money, days_in_2024_2030, steps_strategy)
def test_curtailments_never_exceed_the_advance_and_fall_on_their_age(advance, floored_on, steps):
    schedule = curtailment_schedule(floored_on, advance, steps)
    assert sum((c.amount for c in schedule), D("0")) <= advance
    assert all(c.due_on == floored_on + timedelta(days=c.age_days) for c in schedule)
    assert [c.due_on for c in schedule] == sorted(c.due_on for c in schedule)


@given(money, days_in_2024_2030, steps_strategy, money)
def test_outstanding_curtailments_never_exceed_the_balance(advance, floored_on, steps, paid):
    balance = max(advance - paid, D("0"))
    due = curtailments_outstanding(floored_on, advance, steps, paid, balance)
    assert sum((c.amount for c in due), D("0")) <= balance

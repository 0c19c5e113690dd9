"""Worked examples for US sales tax and UK VAT (domain facts; HMRC VAT Notice 718/1)."""

from datetime import date
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from forecourt.deals.calc.uk_vat import VatTreatment, vat_fraction, vehicle_vat
from forecourt.deals.calc.us_tax import (
    LineKind,
    PricedLine,
    TaxableSale,
    TaxRule,
    TradeCredit,
    rules_in_force,
    sales_tax,
    tax_line,
)

SIX_PERCENT = TaxRule("State", "state", D("0.06"))
NO_CREDIT = TaxRule("State", "state", D("0.06"), trade_credit=TradeCredit.NONE)


def test_full_trade_credit_taxes_the_difference() -> None:
    sale = TaxableSale(price=D("30000"), trade_allowance=D("10000"))
    line = tax_line(SIX_PERCENT, sale)
    assert (line.taxable_amount, line.trade_credit, line.tax) == (
        D("20000.00"), D("10000.00"), D("1200.00"),
    )  # fmt: skip


def test_no_trade_credit_taxes_the_whole_price() -> None:
    sale = TaxableSale(price=D("30000"), trade_allowance=D("10000"))
    assert tax_line(NO_CREDIT, sale).tax == D("1800.00")


def test_capped_and_percent_trade_credit() -> None:
    sale = TaxableSale(price=D("30000"), trade_allowance=D("10000"))
    capped = TaxRule("S", "state", D("0.06"), TradeCredit.CAPPED, trade_credit_cap=D("5000"))
    half = TaxRule("S", "state", D("0.06"), TradeCredit.PERCENT, trade_credit_percent=D("0.5"))
    assert tax_line(capped, sale).tax == D("1500.00")
    assert tax_line(half, sale).tax == D("1500.00")


def test_trade_credit_never_makes_the_taxable_amount_negative() -> None:
    sale = TaxableSale(price=D("5000"), trade_allowance=D("8000"))
    line = tax_line(SIX_PERCENT, sale)
    assert (line.taxable_amount, line.trade_credit, line.tax) == (D("0.00"), D("5000.00"), D("0"))


def test_doc_fee_taxable_in_one_state_and_not_another() -> None:
    sale = TaxableSale(
        price=D("20000"),
        lines=[
            PricedLine(LineKind.DOC_FEE, D("500")),
            PricedLine(LineKind.GOVERNMENT_FEE, D("150")),
        ],
    )
    taxes_doc = TaxRule("A", "state", D("0.07"), doc_fee_taxable=True)
    exempts_doc = TaxRule("B", "state", D("0.07"), doc_fee_taxable=False)
    assert tax_line(taxes_doc, sale).tax == D("1435.00")  # (20,000 + 500) x 7 %
    assert tax_line(exempts_doc, sale).tax == D("1400.00")  # title/registration never taxed


def test_rebates_accessories_and_service_contracts_follow_the_rule() -> None:
    sale = TaxableSale(
        price=D("25000"),
        discount=D("1000"),
        rebates=D("2000"),
        lines=[
            PricedLine(LineKind.ACCESSORY, D("800")),
            PricedLine(LineKind.ACCESSORY, D("300"), taxable=False),
            PricedLine(LineKind.SERVICE_CONTRACT, D("1500")),
        ],
    )
    lenient = TaxRule("L", "state", D("0.05"), rebates_taxable=False)
    strict = TaxRule("S", "state", D("0.05"), rebates_taxable=True, service_contracts_taxable=True)
    assert tax_line(lenient, sale).taxable_amount == D("22800.00")  # 24,000 + 800 - 2,000
    assert tax_line(strict, sale).taxable_amount == D("26300.00")  # 24,000 + 800 + 1,500


def test_each_jurisdiction_line_is_rounded_on_its_own() -> None:
    rules = [
        TaxRule("State", "state", D("0.0625")),
        TaxRule("County", "county", D("0.0175")),
        TaxRule("City", "city", D("0.0125")),
    ]
    lines = sales_tax(rules, TaxableSale(price=D("10000.10")))
    assert [line.tax for line in lines] == [D("625.01"), D("175.00"), D("125.00")]


def test_the_newest_version_in_force_applies() -> None:
    old = TaxRule("State", "state", D("0.06"), effective_from=date(2020, 1, 1))
    new = TaxRule("State", "state", D("0.065"), effective_from=date(2025, 7, 1))
    ended = TaxRule("District", "district", D("0.01"), effective_to=date(2024, 1, 1))
    assert rules_in_force([old, new, ended], date(2025, 6, 30)) == [old]
    assert rules_in_force([old, new, ended], date(2025, 7, 1)) == [new]


def test_margin_scheme_example_from_hmrc() -> None:
    # Bought privately for 8,000; 600 of preparation does not count; sold for 11,000.
    vat = vehicle_vat(VatTreatment.MARGIN, D("11000.00"), D("8000.00"))
    assert (vat.margin, vat.vat, vat.shows_vat) == (D("3000.00"), D("500.00"), False)


def test_margin_scheme_loss_has_no_vat() -> None:
    vat = vehicle_vat(VatTreatment.MARGIN, D("7500.00"), D("8000.00"))
    assert (vat.margin, vat.vat) == (D("-500.00"), D("0.00"))


def test_standard_rated_vat_is_one_sixth_of_the_inclusive_price() -> None:
    vat = vehicle_vat(VatTreatment.STANDARD, D("24000.00"))
    assert (vat.vat, vat.shows_vat) == (D("4000.00"), True)
    assert vehicle_vat(VatTreatment.STANDARD, D("10000.00")).vat == D("1666.67")
    assert vat_fraction() == D(1) / D(6)


money = st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False)
rates = st.decimals(min_value=0, max_value="0.15", places=4, allow_nan=False)


@given(price=money, discount=money, trade=money, doc_fee=money, rate=rates)
def test_trade_credit_only_ever_lowers_the_tax(price, discount, trade, doc_fee, rate) -> None:
    sale = TaxableSale(
        price=price, discount=min(discount, price), trade_allowance=trade,
        lines=[PricedLine(LineKind.DOC_FEE, doc_fee)],
    )  # fmt: skip
    full = tax_line(TaxRule("S", "state", rate), sale)
    none = tax_line(TaxRule("S", "state", rate, trade_credit=TradeCredit.NONE), sale)
    capped = tax_line(
        TaxRule("S", "state", rate, TradeCredit.CAPPED, trade_credit_cap=D("5000")), sale
    )
    assert D(0) <= full.tax <= capped.tax <= none.tax
    assert full.taxable_amount + full.trade_credit == none.taxable_amount
    assert full.tax == (full.taxable_amount * rate).quantize(D("0.01"), rounding="ROUND_HALF_UP")


@given(sold=money, bought=money)
def test_margin_vat_is_never_negative_and_never_above_a_sixth(sold, bought) -> None:
    vat = vehicle_vat(VatTreatment.MARGIN, sold, bought).vat
    assert D(0) <= vat <= (max(sold - bought, D(0)) / 6).quantize(D("0.01")) + D("0.01")

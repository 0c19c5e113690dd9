"""The calculators' query parameters and answers, with the examples the API docs show."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from forecourt.finance.calc.lease import LeaseTax
from forecourt.finance.calc.uk import Product

Money = Decimal


def _money(example: str, description: str = "", default: str = "0") -> Decimal:
    return Field(Decimal(default), examples=[example], description=description)


class DeskQuery(Schema):
    """One US retail installment scenario."""

    price: Decimal = Field(..., examples=["25000.00"], description="Cash price of the vehicle.")
    apr: Decimal = Field(..., examples=["6.90"], description="Contract rate, percent (0-100).")
    term: int = Field(..., examples=[72], description="Number of monthly payments.")
    cash_down: Decimal = _money("2000.00")
    trade_allowance: Decimal = _money("5000.00")
    trade_payoff: Decimal = _money("3000.00")
    rebate: Decimal = _money("0.00")
    tax_rate: Decimal = _money("6.00", "Combined sales tax rate, percent.")
    trade_tax_credit: bool = Field(True, description="Whether the trade allowance reduces tax.")
    fees: Decimal = _money("499.00", "Financed fees that are not finance charges.")
    products: Decimal = _money("1995.00", "Financed F&I products.")
    taxable_products: Decimal = _money("0.00", "The taxable part of `products`.")
    prepaid_finance_charge: Decimal = _money("0.00", "Financed; deducted from amount financed.")
    balloon: Decimal = _money("0.00", "A final balloon payment due with the last payment.")
    days_to_first_payment: int | None = Field(
        None, examples=[45], description="Days from the contract to the first payment (else 30)."
    )
    contract_date: date | None = Field(None, description="With first_payment_date, instead.")
    first_payment_date: date | None = None


class SolveQuery(DeskQuery):
    solve_for: Literal["price", "down", "term"] = Field(..., examples=["price"])
    target_payment: Decimal = Field(..., examples=["450.00"])
    max_term: int = Field(96, description="Longest term `solve_for=term` may choose.")


class ScenarioQuery(DeskQuery):
    terms: list[int] = Field(default_factory=list, examples=[[60, 72, 84]])
    downs: list[Decimal] = Field(default_factory=list, examples=[["0.00", "2000.00", "4000.00"]])
    aprs: list[Decimal] = Field(default_factory=list, examples=[["5.90", "6.90"]])


class LeaseQuery(Schema):
    msrp: Decimal = Field(..., examples=["34000.00"])
    selling_price: Decimal = Field(..., examples=["25000.00"], description="Agreed value.")
    residual_percent: Decimal = Field(..., examples=["42"])
    term: int = Field(..., examples=[36])
    money_factor: Decimal | None = Field(None, examples=["0.00125"])
    apr: Decimal | None = Field(None, description="Instead of money_factor: APR / 2400.")
    acquisition_fee: Decimal = _money("695.00")
    acquisition_fee_capitalized: bool = True
    capitalized_charges: Decimal = _money("0.00")
    prior_balance: Decimal = _money("0.00", "Negative equity rolled into the lease.")
    cash_down: Decimal = _money("0.00")
    trade_equity: Decimal = _money("0.00")
    rebate: Decimal = _money("0.00")
    tax_rate: Decimal = _money("7.00")
    tax_mode: LeaseTax = LeaseTax.MONTHLY
    security_deposit: Decimal = _money("0.00")
    fees_at_signing: Decimal = _money("350.00", "Title, registration and other fees.")


class UkQuery(Schema):
    product: Product = Field(..., examples=["pcp"])
    cash_price: Decimal = Field(..., examples=["20000.00"])
    deposit: Decimal = Field(..., examples=["2000.00"])
    nominal_rate: Decimal = Field(..., examples=["7.90"], description="Fixed annual rate, %.")
    term: int = Field(..., examples=[36])
    balloon: Decimal = _money("8000.00", "PCP: the guaranteed future value.")
    option_to_purchase_fee: Decimal = _money("10.00")
    documentation_fee: Decimal = _money("0.00")
    agreement_date: date | None = Field(None, description="With first_payment_date: the APR")
    first_payment_date: date | None = Field(None, description="times payments by date.")


class ScheduleRowOut(Schema):
    number: int
    payment: Money
    interest: Money
    principal: Money
    balance: Money
    balloon: Money


class ChargeOut(Schema):
    label: str
    amount: Money


class ItemizationOut(Schema):
    cash_price: Money
    sales_tax: Money
    down_payment: Money
    net_trade: Money
    unpaid_balance_of_cash_price: Money
    other_charges: list[ChargeOut]
    prepaid_finance_charge: Money
    amount_financed: Money


class QuoteOut(Schema):
    payment: Money
    number_of_payments: int
    final_payment: Money
    balloon: Money
    amount_financed: Money
    finance_charge: Money
    apr: Money = Field(..., description="Disclosed, two places; Appendix J actuarial method.")
    apr_tolerance: Money
    total_of_payments: Money
    total_sale_price: Money
    itemization: ItemizationOut
    schedule: list[ScheduleRowOut]


class SolveOut(Schema):
    solve_for: str
    target_payment: Money
    price: Money
    cash_down: Money
    term: int
    quote: QuoteOut


class ScenarioOut(Schema):
    term: int
    cash_down: Money
    apr: Money
    amount_financed: Money
    payment: Money
    final_payment: Money
    total_of_payments: Money
    finance_charge: Money


class FourSquareOut(Schema):
    price: Money
    sales_tax: Money
    fees_and_products: Money
    trade_allowance: Money
    trade_payoff: Money
    net_trade: Money
    cash_down: Money


class ScenariosOut(Schema):
    four_square: FourSquareOut
    scenarios: list[ScenarioOut]


class LeaseOut(Schema):
    gross_cap_cost: Money
    cap_cost_reduction: Money
    adjusted_cap_cost: Money
    residual: Money
    depreciation_total: Money
    depreciation_monthly: Money
    rent_charge_monthly: Money
    rent_charge_total: Money
    base_payment: Money
    monthly_tax: Money
    monthly_payment: Money
    total_of_base_payments: Money
    upfront_tax: Money
    amount_due_at_signing: Money
    total_of_payments: Money
    money_factor: Money
    apr_equivalent: Money
    term: int


class RepresentativeExampleOut(Schema):
    cash_price: Money
    deposit: Money
    credit: Money
    term: int
    monthly_instalment: Money
    final_instalment: Money
    optional_final_payment: Money
    option_to_purchase_fee: Money
    documentation_fee: Money
    total_charge_for_credit: Money
    total_amount_payable: Money
    rate_of_interest: Money
    representative_apr: Money


class UkOut(Schema):
    product: str
    representative_example: RepresentativeExampleOut
    schedule: list[ScheduleRowOut]

"""Between the outside (query parameters, form fields) and the calculators, both ways.

The API and the desking screen build their calculator inputs here and turn the results into
the same plain dicts, so the page and the API cannot show different numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from forecourt.finance.calc.actuarial import (
    REGULAR_FIRST_PERIOD,
    Timing,
    first_period_from_dates,
    first_period_from_days,
)
from forecourt.finance.calc.errors import CalcInputError
from forecourt.finance.calc.installment import Schedule
from forecourt.finance.calc.lease import LeaseInput, LeaseQuote, LeaseTax, money_factor_from_apr
from forecourt.finance.calc.regz import Disclosure
from forecourt.finance.calc.scenarios import FourSquare, Scenario
from forecourt.finance.calc.solve import Desk
from forecourt.finance.calc.uk import Product, UkAgreement, UkQuote

ZERO = Decimal(0)
DESK_MONEY = (
    "cash_down",
    "trade_allowance",
    "trade_payoff",
    "rebate",
    "tax_rate",
    "fees",
    "products",
    "taxable_products",
    "prepaid_finance_charge",
    "balloon",
)


def first_period(
    days: int | None, contract_date: date | None, first_payment_date: date | None
) -> Timing:
    if days is not None:
        return first_period_from_days(days)
    if contract_date and first_payment_date:
        return first_period_from_dates(contract_date, first_payment_date)
    if contract_date or first_payment_date:
        raise CalcInputError({"first_payment_date": "Give both dates, or neither."})
    return REGULAR_FIRST_PERIOD


def desk_from(values: Mapping[str, Any]) -> Desk:
    """A Desk from validated query or form values (missing money fields count as zero)."""
    missing = [name for name in ("price", "apr", "term") if values.get(name) is None]
    if missing:
        raise CalcInputError(dict.fromkeys(missing, "Required."))
    return Desk(
        price=values["price"],
        apr=values["apr"],
        term=values["term"],
        trade_tax_credit=values.get("trade_tax_credit", True),
        first_period=first_period(
            values.get("days_to_first_payment"),
            values.get("contract_date"),
            values.get("first_payment_date"),
        ),
        **{name: values.get(name) or ZERO for name in DESK_MONEY},
    )


def lease_from(values: Mapping[str, Any]) -> LeaseInput:
    factor = values.get("money_factor")
    apr = values.get("apr")
    if (factor is None) == (apr is None):
        raise CalcInputError({"money_factor": "Give either a money factor or an APR."})
    if apr is not None:
        factor = money_factor_from_apr(apr)
    fields = {
        name: values[name]
        for name in LeaseInput.__dataclass_fields__
        if name not in ("money_factor", "tax_mode") and values.get(name) is not None
    }
    return LeaseInput(
        **{**fields, "money_factor": factor, "tax_mode": LeaseTax(values["tax_mode"])}
    )


def uk_from(values: Mapping[str, Any]) -> UkAgreement:
    fields = {
        name: values[name]
        for name in UkAgreement.__dataclass_fields__
        if values.get(name) is not None
    }
    fields["product"] = Product(values["product"])
    return UkAgreement(**fields)


def schedule_rows(plan: Schedule) -> list[dict[str, Any]]:
    return [
        {
            "number": row.number,
            "payment": row.payment,
            "interest": row.interest,
            "principal": row.principal,
            "balance": row.balance,
            "balloon": row.balloon,
        }
        for row in plan.rows
    ]


def quote_dict(box: Disclosure, with_schedule: bool = True) -> dict[str, Any]:
    items = box.itemization
    plan = box.schedule
    return {
        "payment": box.payment,
        "number_of_payments": plan.terms.term,
        "final_payment": plan.final_payment,
        "balloon": plan.terms.balloon,
        "amount_financed": box.amount_financed,
        "finance_charge": box.finance_charge,
        "apr": box.apr,
        "apr_tolerance": box.tolerance,
        "total_of_payments": box.total_of_payments,
        "total_sale_price": box.total_sale_price,
        "itemization": {
            "cash_price": items.cash_price,
            "sales_tax": items.sales_tax,
            "down_payment": items.down_payment,
            "net_trade": items.net_trade,
            "unpaid_balance_of_cash_price": items.unpaid_balance_of_cash_price,
            "other_charges": [
                {"label": charge.label, "amount": charge.amount} for charge in items.other_charges
            ],
            "prepaid_finance_charge": items.prepaid_finance_charge,
            "amount_financed": box.amount_financed,
        },
        "schedule": schedule_rows(plan) if with_schedule else [],
    }


def scenario_dict(cell: Scenario) -> dict[str, Any]:
    return dict(cell.__dict__)


def four_square_dict(square: FourSquare) -> dict[str, Any]:
    return {name: value for name, value in square.__dict__.items() if name != "payments"}


def lease_dict(quote: LeaseQuote) -> dict[str, Any]:
    values = {name: value for name, value in quote.__dict__.items() if name != "lease"}
    return {**values, "money_factor": quote.lease.money_factor, "term": quote.lease.term}


def uk_dict(quote: UkQuote) -> dict[str, Any]:
    return {
        "product": quote.agreement.product.value,
        "representative_example": dict(quote.example.__dict__),
        "schedule": schedule_rows(quote.schedule),
    }

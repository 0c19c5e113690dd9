"""Test helpers: a US and a UK rooftop set up for deals, and deals desked through actions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from forecourt.customers.tests.factories import make_customer
from forecourt.deals import actions
from forecourt.deals.models import Deal, TaxRule
from forecourt.inventory.tests.factories import make_vin, receive


def us_setup(owner: Any, rooftop: Any) -> None:
    """Illinois-like: a 6.25 % state line and a 1.75 % county line, a capped doc fee."""
    actions.update_deal_settings(owner, rooftop, tax_area="US-ZZ-TEST", doc_fee_cap="350.00")
    TaxRule.objects.create(
        area="US-ZZ", level="state", name="Test state", rate=Decimal("0.0625"),
        citation="test", needs_confirmation=False,
    )  # fmt: skip
    TaxRule.objects.create(
        area="US-ZZ-TEST", level="county", name="Test county", rate=Decimal("0.0175"),
        citation="test", doc_fee_taxable=False, needs_confirmation=False,
    )  # fmt: skip
    actions.add_fee(owner, rooftop, name="Doc fee", kind="doc_fee", amount="300.00",
                    added_by_default=True)  # fmt: skip
    actions.add_fee(owner, rooftop, name="Title", kind="government_fee", amount="150.00",
                    added_by_default=True)  # fmt: skip


def us_customer(actor: Any, rooftop: Any, **fields: Any) -> Any:
    return make_customer(actor, rooftop, **fields)


def uk_customer(actor: Any, rooftop: Any, **fields: Any) -> Any:
    return make_customer(actor, rooftop, country="GB", mobile_phone="", **fields)


def car(actor: Any, rooftop: Any, **fields: Any) -> Any:
    defaults = {"acquisition_cost": Decimal("20000.00"), "list_price": Decimal("25000.00")}
    return receive(actor, rooftop, **{**defaults, **fields})


def desk(
    actor: Any, rooftop: Any, *, buyer: Any = None, vehicle: Any = None, **fields: Any
) -> Deal:
    vehicle = vehicle or car(actor, rooftop)
    buyer = buyer or (uk_customer if rooftop.country == "GB" else us_customer)(actor, rooftop)
    return actions.create_deal(actor, vehicle=vehicle, buyer=buyer, **fields)


def trade_fields(**fields: Any) -> dict[str, Any]:
    return {
        "vin": make_vin(), "year": 2016, "make": "Ford", "model": "Focus", "odometer": 90000,
        "acv": "6000.00", "allowance": "6500.00", "payoff": "0", **fields,
    }  # fmt: skip

"""Test helpers: sellers, purchases and facilities made through the actions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from forecourt.inventory.tests.factories import make_vin
from forecourt.purchasing import actions
from forecourt.purchasing.models import PurchaseInvoice, Seller, SellerKind
from forecourt.purchasing.stocking.models import Facility


def auction(actor: Any, rooftop: Any, name: str = "Manheim Pennsylvania") -> Seller:
    return actions.create_seller(actor, rooftop, kind=SellerKind.AUCTION, name=name)


def car(price: str = "15000.00", **fields: Any) -> dict[str, Any]:
    return {
        "vin": make_vin(),
        "year": 2021,
        "make": "Toyota",
        "model": "Camry",
        "odometer": 31000,
        "price": Decimal(price),
        **fields,
    }


def buy(
    actor: Any, rooftop: Any, *prices: str, seller: Seller | None = None, **kw: Any
) -> PurchaseInvoice:
    seller = seller or auction(actor, rooftop)
    return actions.record_purchase(
        actor, rooftop, seller=seller, lines=[car(p) for p in prices or ("15000.00",)], **kw
    )


def facility(actor: Any, rooftop: Any, **fields: Any) -> Facility:
    defaults: dict[str, Any] = {
        "lender": "NextGear",
        "name": "Used line",
        "credit_limit": "100000.00",
        "annual_percent": "7.30",
        "rate_from": date(2020, 1, 1),
        "advance_percent": "100",
        "curtailments": [{"age_days": 90, "percent": "10"}, {"age_days": 120, "percent": "10"}],
        "payoff_due_days": 5,
    }
    return actions.create_facility(actor, rooftop, **{**defaults, **fields})

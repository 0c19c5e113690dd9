"""Test helpers: valid VINs and vehicles received through the action."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from forecourt.inventory import actions
from forecourt.inventory.models import Vehicle
from forecourt.inventory.vin import check_digit

_serial = itertools.count(100001)


def make_vin(prefix: str = "1HGCM8263", year_code: str = "L") -> str:
    """A North American VIN with a correct check digit and a fresh serial number."""
    body = f"{prefix[:8]}0{year_code}A{next(_serial):06d}"
    return body[:8] + check_digit(body) + body[9:]


def receive(actor: Any, rooftop: Any, **fields: Any) -> Vehicle:
    defaults: dict[str, Any] = {
        "vin": make_vin(),
        "year": 2020,
        "make": "Honda",
        "model": "Accord",
        "acquisition_source": "trade_in",
        "acquisition_cost": Decimal("15000.00"),
        "list_price": Decimal("19995.00"),
        "odometer": 42000,
        "status": "available",
    }
    return actions.receive_vehicle(actor, rooftop=rooftop, **{**defaults, **fields})

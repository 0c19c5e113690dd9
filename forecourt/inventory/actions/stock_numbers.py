"""Stock numbers: the rooftop's pattern and the counter that numbers received units."""

from __future__ import annotations

import string
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from forecourt.accounts.models import Rooftop
from forecourt.core import audit
from forecourt.core.permissions import require_permission
from forecourt.inventory.actions.rules import require_rooftop
from forecourt.inventory.models import (
    StockNumberSettings,
    Vehicle,
)

_PLACEHOLDERS = {"rooftop_code", "yy", "yyyy", "seq", "vin6"}


def validate_stock_number_pattern(pattern: str) -> None:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
        pattern.format(rooftop_code="X", yy="26", yyyy="2026", seq=1, vin6="123456")
    except (ValueError, KeyError, IndexError) as error:
        raise ValidationError({"pattern": f"Not a valid pattern: {error}."}) from None
    if names - _PLACEHOLDERS:
        unknown = ", ".join(sorted(names - _PLACEHOLDERS))
        raise ValidationError({"pattern": f"Unknown placeholder(s): {unknown}."})
    if "seq" not in names:
        raise ValidationError({"pattern": "The pattern needs {seq} so numbers never repeat."})


def format_stock_number(pattern: str, rooftop_code: str, seq: int, vin: str, on: date) -> str:
    """One number from a pattern: the receive form's preview, the counter and the demo data
    all number units this way."""
    return pattern.format(
        rooftop_code=rooftop_code.upper()[:8],
        yy=f"{on.year % 100:02d}",
        yyyy=str(on.year),
        seq=seq,
        vin6=vin[-6:],
    )[:32]


def preview_stock_number(rooftop: Rooftop) -> str:
    """The number the next received unit will most likely get (read only: nothing is
    reserved; a unit received meanwhile takes it, and the counter moves on)."""
    settings = StockNumberSettings.objects.filter(rooftop=rooftop).first()
    pattern = settings.pattern if settings else StockNumberSettings.DEFAULT_PATTERN
    seq = (settings.last_sequence if settings else 0) + 1
    return format_stock_number(pattern, rooftop.code, seq, "", timezone.localdate())


def next_stock_number(rooftop: Rooftop, vin: str) -> str:
    return next_stock_numbers(rooftop, [vin])[0]


def next_stock_numbers(rooftop: Rooftop, vins: list[str]) -> list[str]:
    """One new number per VIN from the rooftop's pattern, under ONE lock of the counter
    row, so two processes receiving at once never get the same number."""
    StockNumberSettings.objects.get_or_create(rooftop=rooftop)
    counter = StockNumberSettings.objects.select_for_update().get(rooftop=rooftop)
    today = timezone.localdate()
    numbers: list[str] = []
    while len(numbers) < len(vins):
        candidates = []
        for vin in vins[len(numbers) :]:
            counter.last_sequence += 1
            candidates.append(
                format_stock_number(
                    counter.pattern, rooftop.code, counter.last_sequence, vin, today
                )
            )
        taken = set(
            Vehicle.objects.filter(
                rooftop=rooftop,
                # The range bounds the index scan whatever the planner believes: with
                # statistics from before a big import into the rooftop (a new rooftop is
                # estimated at one row), PostgreSQL read every number of the rooftop and
                # filtered them by the list, once per batch of the import.
                stock_number__range=(min(candidates), max(candidates)),
                stock_number__in=candidates,
            ).values_list("stock_number", flat=True)
        )
        numbers += [c for c in candidates if c not in taken and c not in numbers]
    counter.save(update_fields=["last_sequence"])
    return numbers


@transaction.atomic
def set_stock_number_pattern(actor: Any, rooftop: Rooftop, pattern: str) -> StockNumberSettings:
    require_permission(actor, "inventory.change_stocknumbersettings")
    require_rooftop(actor, rooftop.pk)
    validate_stock_number_pattern(pattern)
    StockNumberSettings.objects.get_or_create(rooftop=rooftop)
    row = StockNumberSettings.objects.select_for_update().get(rooftop=rooftop)
    before = row.pattern
    row.pattern = pattern
    row.save(update_fields=["pattern"])
    audit.record(
        actor, "inventory.set_stock_number_pattern", row, {"pattern": [before, pattern]},
        rooftop_id=rooftop.pk,
    )  # fmt: skip
    return row

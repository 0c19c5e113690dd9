"""Small helpers every purchasing action uses (the sub-domains too)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from forecourt.inventory.actions import can_reach_rooftop
from forecourt.purchasing.stocking.interest import cents


def user_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def require_rooftop(actor: Any, rooftop_id: int) -> None:
    if not can_reach_rooftop(actor, rooftop_id):
        raise PermissionDenied("This belongs to a rooftop you do not work at.")


def money(value: Any, field: str, *, positive: bool = False) -> Decimal:
    """A non-negative amount in cents, or a ValidationError naming `field`."""
    try:
        amount = cents(Decimal(str(value)))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: "Enter an amount."}) from None
    if amount < 0:
        raise ValidationError({field: "An amount cannot be negative."})
    if positive and amount == 0:
        raise ValidationError({field: "Enter an amount above 0."})
    return amount


def check_version(current: int, expected: int | None, conflict: type[Exception]) -> None:
    if expected is not None and expected != current:
        raise conflict(current)

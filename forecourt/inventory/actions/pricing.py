"""A rooftop's pricing rules: whether a floor price above the list price is confirmed or
refused, and the check every price write (receive, price change) runs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from forecourt.accounts.models import Rooftop
from forecourt.core import audit
from forecourt.core.permissions import require_permission
from forecourt.inventory.actions.rules import require_rooftop
from forecourt.inventory.models import FloorAboveList, PricePolicy

# The ValidationError code a form or API client reads to offer "save anyway".
CONFIRM_FLOOR_CODE = "confirm_floor_above_list"


def floor_above_list_rule(rooftop_id: int) -> str:
    policy = PricePolicy.objects.filter(rooftop_id=rooftop_id).first()
    return policy.floor_above_list if policy else FloorAboveList.CONFIRM


def check_floor_price(
    rooftop_id: int, list_price: Decimal | None, floor_price: Decimal | None, *, confirmed: bool
) -> None:
    """Refuse a floor price above the list price, or ask to confirm it (the rooftop's rule).
    Queries only when the floor is above the list price."""
    if list_price is None or floor_price is None or floor_price <= list_price:
        return
    if floor_above_list_rule(rooftop_id) == FloorAboveList.REFUSE:
        raise ValidationError(
            {
                "floor_price": ValidationError(
                    f"The floor price ({floor_price}) is above the list price ({list_price}); "
                    "this rooftop does not allow that.",
                    code="floor_above_list",
                )
            }
        )
    if not confirmed:
        raise ValidationError(
            {
                "floor_price": ValidationError(
                    f"The floor price ({floor_price}) is above the list price ({list_price}). "
                    "Confirm to save it anyway.",
                    code=CONFIRM_FLOOR_CODE,
                )
            }
        )


@transaction.atomic
def set_price_policy(actor: Any, rooftop: Rooftop, *, floor_above_list: str) -> PricePolicy:
    require_permission(actor, "inventory.change_pricepolicy")
    require_rooftop(actor, rooftop.pk)
    if floor_above_list not in FloorAboveList.values:
        choices = ", ".join(FloorAboveList.values)
        raise ValidationError({"floor_above_list": f"Choose one of {choices}."})
    PricePolicy.objects.get_or_create(rooftop=rooftop)
    policy = PricePolicy.objects.select_for_update().get(rooftop=rooftop)
    before = policy.floor_above_list
    policy.floor_above_list = floor_above_list
    policy.save(update_fields=["floor_above_list"])
    audit.record(
        actor, "inventory.set_price_policy", policy,
        {"floor_above_list": [before, floor_above_list]}, rooftop_id=rooftop.pk,
    )  # fmt: skip
    return policy

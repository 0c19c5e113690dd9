"""UK VAT treatment of a vehicle, from purchasing's record of how the dealer bought it.

The purchase record (bought with VAT shown or not, purchase price) decides; a vehicle with
no purchase on record falls back to the old default (new: standard-rated, used: Second-hand
Margin Scheme). A deal can still override it (Deal.vat_treatment).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from forecourt.deals.calc.uk_vat import VatTreatment
from forecourt.deals.models import TradeIn
from forecourt.inventory.models import Condition
from forecourt.purchasing import reads as purchasing


def vat_treatment_for(vehicle: Any) -> VatTreatment:
    recorded = purchasing.vat_treatment_for(vehicle)
    if recorded is not None:
        return VatTreatment(recorded)
    if vehicle.condition == Condition.NEW:
        return VatTreatment.STANDARD
    return VatTreatment.MARGIN


def deal_vat_treatment(deal: Any) -> VatTreatment:
    if deal.vat_treatment:
        return VatTreatment(deal.vat_treatment)
    return vat_treatment_for(deal.vehicle)


def margin_purchase_price(vehicle: Any) -> Decimal:
    """The margin scheme's purchase price (HMRC Notice 718/1): the price on the unit's
    purchase record (for a part-exchange, its allowance: deals records it so at delivery);
    without one, a trade-in's allowance, otherwise what the dealer paid."""
    line = purchasing.purchase_for(vehicle)
    if line is not None:
        return line.price
    trade = TradeIn.objects.filter(vehicle=vehicle).only("allowance").first()
    if trade is not None:
        return trade.allowance
    return vehicle.acquisition_cost

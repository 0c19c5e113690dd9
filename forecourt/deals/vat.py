"""UK VAT treatment of a vehicle, in one place until purchasing records it.

Today: a new car is standard-rated, a used one goes under the Second-hand Margin Scheme,
and a deal can override it (Deal.vat_treatment, e.g. a "qualifying" ex-fleet car bought
with VAT shown). When the purchasing app lands, its purchase record (bought with VAT shown
or not, purchase invoice number, seller) feeds `vat_treatment_for` and
`margin_purchase_price`; the callers stay as they are.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from forecourt.deals.calc.uk_vat import VatTreatment
from forecourt.deals.models import TradeIn
from forecourt.inventory.models import Condition


def vat_treatment_for(vehicle: Any) -> VatTreatment:
    if vehicle.condition == Condition.NEW:
        return VatTreatment.STANDARD
    return VatTreatment.MARGIN


def deal_vat_treatment(deal: Any) -> VatTreatment:
    if deal.vat_treatment:
        return VatTreatment(deal.vat_treatment)
    return vat_treatment_for(deal.vehicle)


def margin_purchase_price(vehicle: Any) -> Decimal:
    """The margin scheme's purchase price: a part-exchange's allowance (what the dealer
    credited for it, HMRC Notice 718/1), otherwise what the dealer paid."""
    trade = TradeIn.objects.filter(vehicle=vehicle).only("allowance").first()
    if trade is not None:
        return trade.allowance
    return vehicle.acquisition_cost

"""UK VAT on a vehicle sale (HMRC VAT Notice 718/1; VAT (Cars) Order 1992).

Standard-rated (new and "qualifying" cars): VAT is the VAT fraction of the VAT-inclusive
price (1/6 at 20 %), shown on the invoice. Second-hand Margin Scheme: VAT is the fraction
of the margin (selling price - purchase price), nothing on a loss, reconditioning does not
lower the margin, and the invoice shows no VAT.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from forecourt.deals.calc import ZERO, cents

STANDARD_RATE = Decimal("20")


class VatTreatment(StrEnum):
    MARGIN = "margin"
    STANDARD = "standard"


def vat_fraction(rate_percent: Decimal = STANDARD_RATE) -> Decimal:
    """The share of a VAT-inclusive amount that is VAT: rate / (100 + rate), 1/6 at 20 %."""
    return rate_percent / (Decimal("100") + rate_percent)


def vat_in_inclusive(amount: Decimal, rate_percent: Decimal = STANDARD_RATE) -> Decimal:
    return cents(amount * vat_fraction(rate_percent))


@dataclass(frozen=True)
class VehicleVat:
    treatment: VatTreatment
    selling_price: Decimal
    purchase_price: Decimal | None  # margin scheme: what the dealer paid (incl. a PX allowance)
    margin: Decimal | None  # margin scheme only; negative on a loss
    vat: Decimal
    shows_vat: bool  # standard-rated invoices show VAT; margin-scheme invoices must not


def vehicle_vat(
    treatment: VatTreatment,
    selling_price: Decimal,
    purchase_price: Decimal | None = None,
    rate_percent: Decimal = STANDARD_RATE,
) -> VehicleVat:
    if treatment == VatTreatment.STANDARD:
        return VehicleVat(
            treatment, selling_price, purchase_price, None,
            vat_in_inclusive(selling_price, rate_percent), True,
        )  # fmt: skip
    bought = purchase_price if purchase_price is not None else ZERO
    margin = selling_price - bought
    vat = vat_in_inclusive(margin, rate_percent) if margin > 0 else ZERO
    return VehicleVat(treatment, selling_price, bought, margin, vat, False)

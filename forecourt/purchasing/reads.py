"""What other apps read from buying (deals: VAT treatment and purchase of a unit)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.db.models import Q
from django.utils import timezone

from forecourt.accounts.models import Country
from forecourt.inventory.models import Vehicle
from forecourt.purchasing.models import LineQuerySet, PurchaseLine, VatTreatment


def purchase_for(vehicle: Vehicle | int) -> PurchaseLine | None:
    """The unit's latest purchase (its price, VAT, seller via .invoice.seller), or None."""
    pk: int = vehicle.pk if isinstance(vehicle, Vehicle) else vehicle
    return (
        PurchaseLine.objects.filter(vehicle_id=pk)
        .select_related("invoice", "invoice__seller")
        .order_by("-invoice__purchased_on", "-id")
        .first()
    )


def vat_treatment_for(vehicle: Vehicle) -> Literal["margin", "standard"] | None:
    """UK rooftops: "margin" (second-hand margin scheme) or "standard" (VAT-qualifying);
    None outside the UK or when the unit has no purchase on record."""
    if vehicle.rooftop.country != Country.GB:
        return None
    line = purchase_for(vehicle)
    if line is None or not line.vat_treatment:
        return None
    return "margin" if line.vat_treatment == VatTreatment.MARGIN else "standard"


def incoming_watch_list(user: Any) -> LineQuerySet:
    """Bought units not here yet or still missing paperwork, keys or history; soonest due first."""
    return (
        PurchaseLine.objects.for_user(user, "view")
        .incoming()
        .select_related("vehicle", "invoice", "invoice__seller")
        .order_by("expected_on", "id")
    )


def overdue(lines: LineQuerySet, today: date | None = None) -> LineQuerySet:
    """Those past their expected day (arrival or paperwork that should be here by now)."""
    today = today or timezone.localdate()
    return lines.filter(Q(expected_on__lt=today))

"""The Buyers Guide's warranty terms of a vehicle and the dealer's complaints contact."""

from __future__ import annotations

from forecourt.inventory.models import Vehicle, VehicleWarranty

WARRANTY_FIELDS = (
    "kind",
    "labor_percent",
    "parts_percent",
    "systems_covered",
    "duration",
    "manufacturer_warranty_applies",
    "manufacturer_used_warranty_applies",
    "other_used_warranty_applies",
    "service_contract_available",
)


def warranty_of(vehicle: Vehicle) -> VehicleWarranty:
    """The vehicle's saved terms, or the unsaved default (as is, no other warranty)."""
    return VehicleWarranty.objects.filter(vehicle=vehicle).first() or VehicleWarranty(
        vehicle=vehicle
    )

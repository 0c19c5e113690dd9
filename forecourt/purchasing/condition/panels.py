"""The vehicle page's buying panel: purchase, floor plan, recon and condition reports."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from forecourt.purchasing.condition.models import ConditionReport
from forecourt.purchasing.reads import purchase_for
from forecourt.purchasing.recon.models import ReconOrder
from forecourt.purchasing.stocking.models import Flooring


def vehicle_panel(request: HttpRequest, vehicle: Any) -> dict[str, Any] | None:
    user: Any = request.user
    reports = list(ConditionReport.objects.for_user(user, "view").filter(vehicle=vehicle)[:10])
    return {
        "vehicle": vehicle,
        "purchase": purchase_for(vehicle)
        if user.has_perm("purchasing.view_purchaseinvoice")
        else None,
        "flooring": (
            Flooring.objects.filter(vehicle=vehicle).select_related("facility").first()
            if user.has_perm("purchasing.view_flooring")
            else None
        ),
        "recon": ReconOrder.objects.for_user(user, "view").filter(vehicle=vehicle).first(),
        "reports": reports,
    }

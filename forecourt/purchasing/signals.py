"""What the app plugs into core at start-up: dashboard panels and scheduled jobs."""

from __future__ import annotations

from forecourt.core.dashboard import register_panel
from forecourt.core.scheduler import register_job
from forecourt.inventory.vehicle_panels import register_vehicle_panel
from forecourt.purchasing.condition.panels import vehicle_panel
from forecourt.purchasing.dashboard import floor_plan_summary, incoming_summary
from forecourt.purchasing.stocking.actions import accrue_interest, alert_out_of_trust

# Just after midnight (server time) yesterday is complete; the out-of-trust check runs as
# the working day starts, so the alert reaches someone who can act on it.
ACCRUAL_AT = "00:20"
OUT_OF_TRUST_AT = "07:00"


def register() -> None:
    register_panel(
        "purchasing/_dashboard_incoming.html", incoming_summary, "purchasing.view_purchaseline", 20
    )
    register_panel(
        "purchasing/_dashboard_floor_plan.html", floor_plan_summary, "purchasing.view_flooring", 21
    )
    register_vehicle_panel("purchasing/_vehicle_panel.html", vehicle_panel)
    register_job("purchasing.accrue_floor_plan_interest", ACCRUAL_AT, accrue_interest)
    register_job("purchasing.out_of_trust", OUT_OF_TRUST_AT, alert_out_of_trust)

"""The purchasing app's part of the route-driven proof tests (forecourt/core/security/tests/).

EXPECTED: who may GET each route; MODEL_BY_PARAM / MODEL_BY_SEGMENT: which model an id in a
path names; populate(owner, rooftop): one of each object, created through the actions.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

PUBLIC = "public"
SIGNED_IN = "signed-in"
POST_ONLY = "post-only"
PURCHASES = "purchasing.view_purchaseinvoice"
FACILITIES = "purchasing.view_facility"
RECON = "purchasing.view_reconorder"
APPRAISALS = "purchasing.view_appraisal"
REPORTS = "purchasing.view_conditionreport"

EXPECTED: dict[str, str] = {
    # Pages
    "purchasing:purchase-list": PURCHASES,
    "purchasing:purchase-new": "purchasing.add_purchaseinvoice",
    "purchasing:purchase-detail": PURCHASES,
    "purchasing:purchase-payment": POST_ONLY,
    "purchasing:purchase-pdf": PURCHASES,
    "purchasing:seller-list": "purchasing.view_seller",
    "purchasing:incoming": "purchasing.view_purchaseline",
    "purchasing:arrival-update": POST_ONLY,
    "purchasing:facility-list": FACILITIES,
    "purchasing:facility-detail": FACILITIES,
    "purchasing:facility-rate": POST_ONLY,
    "purchasing:statement-import": POST_ONLY,
    "purchasing:statement-detail": "purchasing.view_lenderstatement",
    "purchasing:flooring-payment": POST_ONLY,
    "purchasing:floor-vehicle": POST_ONLY,
    "purchasing:recon-board": RECON,
    "purchasing:recon-numbers": RECON,
    "purchasing:recon-stages": "purchasing.view_reconstage",
    "purchasing:recon-detail": RECON,
    "purchasing:recon-move": POST_ONLY,
    "purchasing:work-item-add": POST_ONLY,
    "purchasing:work-item-update": POST_ONLY,
    "purchasing:recon-start": POST_ONLY,
    "purchasing:appraisal-list": APPRAISALS,
    "purchasing:appraisal-detail": APPRAISALS,
    "purchasing:appraisal-decide": POST_ONLY,
    "purchasing:report-new": "purchasing.add_conditionreport",
    "purchasing:report-detail": REPORTS,
    "purchasing:report-pdf": REPORTS,
    "purchasing:report-photo": REPORTS,
    "purchasing:report-compare": REPORTS,
    # API
    "api:list_sellers": "purchasing.view_seller",
    "api:list_purchases": PURCHASES,
    "api:get_purchase": PURCHASES,
    "api:pay_purchase": POST_ONLY,
    "api:list_incoming": "purchasing.view_purchaseline",
    "api:update_arrival": POST_ONLY,
    "api:list_facilities": FACILITIES,
    "api:get_facility": FACILITIES,
    "api:change_facility_rate": POST_ONLY,
    "api:floor_vehicle": POST_ONLY,
    "api:get_flooring": "purchasing.view_flooring",
    "api:pay_curtailment": POST_ONLY,
    "api:pay_off_flooring": POST_ONLY,
    "api:import_statement": POST_ONLY,
    "api:get_statement": "purchasing.view_lenderstatement",
    "api:start_recon": POST_ONLY,
    "api:get_recon": RECON,
    "api:move_recon": POST_ONLY,
    "api:add_work_item": POST_ONLY,
    "api:decide_work_item": POST_ONLY,
    "api:complete_work_item": POST_ONLY,
    "api:recon_numbers": RECON,
    "api:list_appraisals": APPRAISALS,
    "api:get_appraisal": APPRAISALS,
    "api:decide_appraisal": POST_ONLY,
    "api:create_condition_report": POST_ONLY,
    "api:get_condition_report": REPORTS,
    "api:compare_condition_reports": REPORTS,
}
MODEL_BY_PARAM: dict[str, str] = {
    "purchase_id": "purchasing.PurchaseInvoice",
    "line_id": "purchasing.PurchaseLine",
    "facility_id": "purchasing.Facility",
    "flooring_id": "purchasing.Flooring",
    "statement_id": "purchasing.LenderStatement",
    "order_id": "purchasing.ReconOrder",
    "item_id": "purchasing.WorkItem",
    "appraisal_id": "purchasing.Appraisal",
    "report_id": "purchasing.ConditionReport",
}
MODEL_BY_SEGMENT: dict[str, str] = {
    "purchasing": "purchasing.PurchaseInvoice",
    "purchases": "purchasing.PurchaseInvoice",
    "incoming": "purchasing.PurchaseLine",
    "floor-plan": "purchasing.Facility",
    "facilities": "purchasing.Facility",
    "statements": "purchasing.LenderStatement",
    "floorings": "purchasing.Flooring",
    "recon": "purchasing.ReconOrder",
    "work": "purchasing.WorkItem",
    "work-items": "purchasing.WorkItem",
    "appraisals": "purchasing.Appraisal",
    "condition-reports": "purchasing.ConditionReport",
}
MODEL_BY_PARAM["other_pk"] = "purchasing.ConditionReport"
MODEL_BY_PARAM["other_report_id"] = "purchasing.ConditionReport"
PLAIN_VALUES: dict[str, str] = {"marker_id": "m1"}


def populate(owner: Any, rooftop: Any) -> None:
    """A purchase of two cars, one floored under a facility with a statement, one in recon
    with a work item."""
    from django.utils import timezone

    from forecourt.inventory.tests.factories import make_vin
    from forecourt.purchasing import actions
    from forecourt.purchasing.models import SellerKind

    seller = actions.create_seller(owner, rooftop, kind=SellerKind.AUCTION, name="Route Auction")
    base = {"year": 2021, "make": "Ford", "model": "Focus"}
    invoice = actions.record_purchase(
        owner,
        rooftop,
        seller=seller,
        lines=[
            {
                **base,
                "vin": make_vin(),
                "price": Decimal("9000"),
                "expected_on": timezone.localdate(),
            },
            {**base, "vin": make_vin(), "price": Decimal("8000")},
        ],
    )
    floored, reconditioned = (line.vehicle for line in invoice.lines.order_by("id"))
    facility = actions.create_facility(
        owner,
        rooftop,
        lender="Route Lender",
        name="Used",
        credit_limit="100000",
        annual_percent="7",
    )
    actions.floor_vehicle(
        owner, facility, floored, floored_on=timezone.localdate() - timedelta(days=3)
    )
    actions.import_lender_statement(
        owner,
        facility,
        content=f"vin,balance\n{floored.vin},9000\n",
        statement_on=timezone.localdate(),
    )
    order = actions.start_recon(owner, reconditioned)
    actions.add_work_item(owner, order, description="Valet", estimate="80")
    actions.create_appraisal(
        owner,
        rooftop,
        vin=make_vin(),
        grade="good",
        acv="5000",
        offer="4800",
        expires_on=timezone.localdate() + timedelta(days=7),
    )
    dent = {"id": "m1", "view": "left", "x": 100, "y": 80, "type": "dent", "severity": "minor"}
    actions.record_condition_report(
        owner, floored, occasion="purchase", signed_name="Route", markers=[dent]
    )

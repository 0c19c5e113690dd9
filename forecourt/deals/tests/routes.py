"""The deals app's part of the route-driven proof tests (forecourt/core/security/tests/):
who may GET each route, which model an id names, and one deal (with a line, a trade and a
payment) per rooftop, made through the actions."""

from __future__ import annotations

from typing import Any

POST_ONLY = "post-only"
VIEW = "deals.view_deal"

EXPECTED: dict[str, str] = {
    # Pages
    "deals:deal-list": VIEW,
    "deals:deal-new": "deals.add_deal",
    "deals:stock-book": "inventory.view_vehicle_cost",
    "deals:deal-detail": VIEW,
    "deals:deal-numbers": POST_ONLY,
    "deals:deal-line-add": POST_ONLY,
    "deals:deal-line-remove": POST_ONLY,
    "deals:deal-trade-add": POST_ONLY,
    "deals:deal-trade-remove": POST_ONLY,
    "deals:deal-payment": POST_ONLY,
    "deals:deal-salespeople": POST_ONLY,
    "deals:deal-transition": POST_ONLY,
    "deals:deal-document": VIEW,
    "deals:settings": "deals.view_dealsettings",
    "deals:settings-update": POST_ONLY,
    "deals:fee-add": POST_ONLY,
    "deals:plan-add": POST_ONLY,
    "deals:tax-rule-add": POST_ONLY,
    "deals:tax-rule-confirm": POST_ONLY,
    # API
    "api:list_deals": VIEW,
    "api:get_deal": VIEW,
    "api:deal_document": VIEW,
    "api:add_line": POST_ONLY,
    "api:remove_line": POST_ONLY,
    "api:add_trade": POST_ONLY,
    "api:remove_trade": POST_ONLY,
    "api:take_payment": POST_ONLY,
    "api:transition": POST_ONLY,
    "api:issue_invoice": POST_ONLY,
    "api:cancel_invoice": POST_ONLY,
}
MODEL_BY_PARAM: dict[str, str] = {
    "deal_id": "deals.Deal",
    "line_id": "deals.DealLine",
    "trade_id": "deals.TradeIn",
    "rule_id": "deals.TaxRule",
}
MODEL_BY_SEGMENT: dict[str, str] = {"deals": "deals.Deal"}
PLAIN_VALUES: dict[str, str] = {"kind": "buyers_order"}


def populate(owner: Any, rooftop: Any) -> None:
    # Imported when called, like the other apps' route modules: every proof test reads
    # the tables above, only the world fixture needs the factories and the actions.
    from forecourt.deals import actions
    from forecourt.deals.tests.factories import desk, trade_fields

    deal = desk(owner, rooftop, price="21000.00")
    actions.add_line(owner, deal, kind="accessory", description="Mats", amount="150")
    actions.add_trade(owner, deal, **trade_fields())
    actions.take_payment(owner, deal, method="card", amount="500")

"""Every write to deals: one function per business operation (forecourt.deals.actions)."""

from forecourt.deals.actions.config import (
    add_commission_plan,
    add_fee,
    add_tax_rule,
    confirm_tax_rule,
    update_deal_settings,
)
from forecourt.deals.actions.desk import (
    add_line,
    add_trade,
    complete_task,
    create_deal,
    plan_of,
    remove_line,
    remove_trade,
    take_payment,
    update_deal,
)
from forecourt.deals.actions.invoices import cancel_invoice, issue_invoice
from forecourt.deals.actions.lifecycle import (
    approve_deal,
    cancel_deal,
    contract_deal,
    deliver_deal,
    return_to_quote,
    submit_for_approval,
    unwind_deal,
)
from forecourt.deals.actions.locking import DealConflict, DealVersionConflict

__all__ = [
    "DealConflict",
    "DealVersionConflict",
    "add_commission_plan",
    "add_fee",
    "add_line",
    "add_tax_rule",
    "add_trade",
    "approve_deal",
    "cancel_deal",
    "cancel_invoice",
    "complete_task",
    "confirm_tax_rule",
    "contract_deal",
    "create_deal",
    "deliver_deal",
    "issue_invoice",
    "plan_of",
    "remove_line",
    "remove_trade",
    "return_to_quote",
    "submit_for_approval",
    "take_payment",
    "unwind_deal",
    "update_deal",
    "update_deal_settings",
]

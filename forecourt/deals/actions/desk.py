"""Desking a deal: create it, change its numbers, add and remove lines, trades, payments."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from forecourt.core import audit
from forecourt.core.permissions import require_permission
from forecourt.customers.models import Customer
from forecourt.deals.actions.locking import (
    DealConflict,
    lock_deal,
    money,
    require_editable,
    require_rooftop,
    save_deal,
    user_or_none,
)
from forecourt.deals.models import (
    REPORTABLE_CASH,
    SALE_TYPES_BY_COUNTRY,
    CommissionPlan,
    ComplianceTask,
    Deal,
    DealLine,
    DealSalesperson,
    DealStatus,
    Fee,
    LineKindChoice,
    Payment,
    PaymentMethod,
    TaskKind,
    TradeIn,
)
from forecourt.deals.numbers import settings_for
from forecourt.inventory.models import ACTIVE_STATUSES, Status, Vehicle
from forecourt.leads.models import Lead

SELLABLE = (Status.INCOMING, Status.IN_RECONDITIONING, Status.AVAILABLE, Status.ON_HOLD)
CLOSED = (DealStatus.CANCELLED, DealStatus.UNWOUND)
FORM_8300_THRESHOLD = Decimal("10000.00")
FORM_8300_DAYS = 15
RELATED_WINDOW = timedelta(days=365)
UPDATABLE = ("price", "discount", "sale_type", "sale_date", "vat_treatment", "co_buyer")


def _check_vehicle(vehicle: Vehicle) -> None:
    if vehicle.status not in SELLABLE:
        raise ValidationError(
            {"vehicle": f"This vehicle is {vehicle.get_status_display().lower()}; "
             "it cannot be sold again."}
        )  # fmt: skip
    if Deal.objects.live().filter(vehicle=vehicle).exists():
        raise ValidationError({"vehicle": "Another deal has already contracted this vehicle."})


def _check_customer(actor: Any, customer: Customer | None, field: str) -> None:
    if customer is None:
        return
    if not Customer.objects.for_user(actor, "view").filter(pk=customer.pk).exists():
        raise ValidationError({field: "No such customer."})
    if customer.merged_into_id is not None:
        raise ValidationError({field: "This customer was merged into another; use that one."})


def _check_sale_type(rooftop: Any, sale_type: str) -> None:
    allowed = SALE_TYPES_BY_COUNTRY.get(rooftop.country, ())
    if sale_type not in allowed:
        names = ", ".join(str(s.label) for s in allowed)
        raise ValidationError({"sale_type": f"Not a sale type here. Choose one of: {names}."})


def _set_salespeople(deal: Deal, salespeople: Sequence[tuple[Any, Any, Any]]) -> None:
    """(user, share percent, commission plan or None) for each salesperson."""
    if not salespeople:
        raise ValidationError({"salespeople": "A deal needs at least one salesperson."})
    total = Decimal("0")
    users = set()
    for user, share, plan in salespeople:
        share_value = money(share, "salespeople")
        if share_value <= 0:
            raise ValidationError({"salespeople": "Each salesperson's share must be above 0 %."})
        if user.pk in users:
            raise ValidationError({"salespeople": "A salesperson is listed twice."})
        if not user.is_active or not user.has_perm("deals.add_deal"):
            raise ValidationError({"salespeople": f"{user} does not desk deals."})
        if not user.rooftops.filter(pk=deal.rooftop_id).exists():
            raise ValidationError({"salespeople": f"{user} does not work at this rooftop."})
        if plan is not None and plan.rooftop_id != deal.rooftop_id:
            raise ValidationError({"salespeople": "The commission plan is another rooftop's."})
        users.add(user.pk)
        total += share_value
    if total != Decimal("100"):
        raise ValidationError({"salespeople": f"The shares add up to {total} %, not 100 %."})
    deal.salespeople.all().delete()
    DealSalesperson.objects.bulk_create(
        DealSalesperson(deal=deal, user=user, share=money(share, "salespeople"), plan=plan)
        for user, share, plan in salespeople
    )


def _check_values(deal: Deal, values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    for name in ("price", "discount"):
        if name in values:
            try:
                values[name] = money(values[name], name)
            except ValidationError as error:
                errors[name] = error.messages[0]
    if not errors and values.get("discount", deal.discount) > values.get("price", deal.price):
        errors["discount"] = "The discount cannot exceed the price."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_deal(
    actor: Any,
    *,
    vehicle: Vehicle,
    buyer: Customer,
    co_buyer: Customer | None = None,
    sale_type: str = "cash",
    price: Any = None,
    discount: Any = "0",
    lead: Lead | None = None,
    salespeople: Sequence[tuple[Any, Any, Any]] | None = None,
    sale_date: date | None = None,
    vat_treatment: str = "",
) -> Deal:
    """A new quote for `vehicle` and `buyer`, with the rooftop's default fees."""
    require_permission(actor, "deals.add_deal")
    require_rooftop(actor, vehicle.rooftop_id)
    vehicle = Vehicle.objects.select_related("rooftop").get(pk=vehicle.pk)
    rooftop = vehicle.rooftop
    _check_vehicle(vehicle)
    _check_customer(actor, buyer, "buyer")
    _check_customer(actor, co_buyer, "co_buyer")
    if co_buyer is not None and co_buyer.pk == buyer.pk:
        raise ValidationError({"co_buyer": "The co-buyer cannot be the buyer."})
    _check_sale_type(rooftop, sale_type)
    if lead is not None and lead.customer_id != buyer.pk:
        raise ValidationError({"lead": "This lead is another customer's."})
    if price is None:
        price = vehicle.internet_price or vehicle.list_price
    deal = Deal(
        rooftop=rooftop, vehicle=vehicle, buyer=buyer, co_buyer=co_buyer, sale_type=sale_type,
        lead=lead, sale_date=sale_date or timezone.localdate(), vat_treatment=vat_treatment,
        created_by=user_or_none(actor), price=Decimal("0"),
    )  # fmt: skip
    values = {"price": price, "discount": discount}
    _check_values(deal, values)
    deal.price, deal.discount = values["price"], values["discount"]
    deal.full_clean(exclude=["vehicle", "buyer", "co_buyer", "lead", "rooftop", "created_by"])
    deal.save()
    _set_salespeople(deal, salespeople or [(actor, Decimal("100"), None)])
    for fee in Fee.objects.filter(rooftop=rooftop, added_by_default=True, is_active=True):
        _add_fee_line(deal, fee)
    audit.record(
        actor, "deals.create_deal", deal,
        audit.created(deal, ["vehicle_id", "buyer_id", "co_buyer_id", "sale_type", "price",
                             "discount", "lead_id", "sale_date"]),
    )  # fmt: skip
    return deal


@transaction.atomic
def update_deal(
    actor: Any,
    deal: Deal | int,
    *,
    expected_version: int | None = None,
    salespeople: Sequence[tuple[Any, Any, Any]] | None = None,
    **values: Any,
) -> Deal:
    locked = lock_deal(actor, deal, "deals.change_deal", expected_version)
    require_editable(locked)
    unknown = set(values) - set(UPDATABLE)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    before = audit.snapshot(locked, [*UPDATABLE[:-1], "co_buyer_id"])
    _check_values(locked, values)
    if "sale_type" in values:
        _check_sale_type(locked.rooftop, values["sale_type"])
    if "co_buyer" in values:
        _check_customer(actor, values["co_buyer"], "co_buyer")
        if values["co_buyer"] is not None and values["co_buyer"].pk == locked.buyer_id:
            raise ValidationError({"co_buyer": "The co-buyer cannot be the buyer."})
    for name, value in values.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=["vehicle", "buyer", "co_buyer", "lead", "rooftop", "created_by"])
    changes = audit.diff(before, audit.snapshot(locked, [*UPDATABLE[:-1], "co_buyer_id"]))
    if salespeople is not None:
        old = [f"{s.user_id}:{s.share}" for s in locked.salespeople.all()]
        _set_salespeople(locked, salespeople)
        changes["salespeople"] = [old, [f"{u.pk}:{s}" for u, s, _ in salespeople]]
    if not changes:
        return locked
    save_deal(locked, UPDATABLE)
    audit.record(actor, "deals.update_deal", locked, changes)
    return locked


# --- lines: add-ons, fees, rebates ----------------------------------------------------


def _check_doc_fee(deal: Deal, kind: str, amount: Decimal) -> None:
    cap = settings_for(deal.rooftop).doc_fee_cap
    if kind == LineKindChoice.DOC_FEE and cap is not None and amount > cap:
        raise ValidationError({"amount": f"The documentation fee is capped at {cap} here."})


def _add_fee_line(deal: Deal, fee: Fee) -> DealLine:
    _check_doc_fee(deal, fee.kind, fee.amount)
    return DealLine.objects.create(
        deal=deal, kind=fee.kind, description=fee.name, amount=fee.amount,
        taxable=fee.taxable or fee.kind == LineKindChoice.DOC_FEE, fee=fee,
    )  # fmt: skip


@transaction.atomic
def add_line(
    actor: Any,
    deal: Deal | int,
    *,
    kind: str = "",
    description: str = "",
    amount: Any = None,
    cost: Any = "0",
    taxable: bool = True,
    fee: Fee | None = None,
    expected_version: int | None = None,
) -> DealLine:
    """An add-on or rebate typed in, or a fee from the rooftop's fee table (`fee`; its
    amount may be given to override the table's, within the doc fee cap)."""
    locked = lock_deal(actor, deal, "deals.change_deal", expected_version)
    require_editable(locked)
    if fee is not None:
        if fee.rooftop_id != locked.rooftop_id or not fee.is_active:
            raise ValidationError({"fee": "Not a fee of this rooftop's fee table."})
        kind, description = fee.kind, description or fee.name
        amount = fee.amount if amount in (None, "") else amount
        taxable = fee.taxable or fee.kind == LineKindChoice.DOC_FEE
    if kind not in LineKindChoice.values:
        raise ValidationError({"kind": "Choose what the line is."})
    if not (description or "").strip():
        raise ValidationError({"description": "Describe the line."})
    line = DealLine(
        deal=locked, kind=kind, description=description.strip()[:120],
        amount=money(amount, "amount"), cost=money(cost or "0", "cost"),
        taxable=bool(taxable), fee=fee,
    )  # fmt: skip
    _check_doc_fee(locked, kind, line.amount)
    line.save()
    save_deal(locked)
    audit.record(
        actor, "deals.add_line", locked,
        {"line": [None, f"{line.get_kind_display()}: {line.description} {line.amount}"]},
    )  # fmt: skip
    return line


@transaction.atomic
def remove_line(
    actor: Any, deal: Deal | int, line_id: int, *, expected_version: int | None = None
) -> Deal:
    return _remove_child(
        actor, deal, expected_version, "lines", line_id, "line",
        lambda line: f"{line.get_kind_display()}: {line.description} {line.amount}",
    )  # fmt: skip


def _remove_child(
    actor: Any,
    deal: Deal | int,
    expected_version: int | None,
    relation: str,
    child_id: int,
    field: str,
    describe: Callable[[Any], str],
) -> Deal:
    """Remove a line or trade of a quote: the row goes, the audit entry keeps what it was."""
    locked = lock_deal(actor, deal, "deals.change_deal", expected_version)
    require_editable(locked)
    child = getattr(locked, relation).filter(pk=child_id).first()
    if child is None:
        raise ValidationError({field: f"No such {field} on this deal."})
    described = describe(child)
    child.delete()
    save_deal(locked)
    audit.record(actor, f"deals.remove_{field}", locked, {field: [described, None]})
    return locked


# --- trade-ins ------------------------------------------------------------------------

TRADE_FIELDS = (
    "vin", "plate", "year", "make", "model", "odometer", "acv", "allowance", "payoff",
    "lienholder", "payoff_good_through", "roll_negative_equity",
)  # fmt: skip


def _check_trade(trade: TradeIn) -> None:
    errors: dict[str, str] = {}
    trade.vin = (trade.vin or "").strip().upper()
    if len(trade.vin) != 17 or any(c in "IOQ" for c in trade.vin):
        errors["vin"] = "Enter the trade's 17-character VIN (no I, O or Q)."
    elif Vehicle.objects.filter(vin=trade.vin, status__in=ACTIVE_STATUSES).exists():
        errors["vin"] = "A vehicle with this VIN is already in stock."
    if trade.payoff > trade.acv and not trade.roll_negative_equity:
        errors["payoff"] = (
            "The payoff is above the ACV: confirm the negative equity is rolled into "
            "the deal (roll_negative_equity) or lower the payoff."
        )
    if trade.payoff > 0 and not trade.lienholder.strip():
        errors["lienholder"] = "Name the lienholder the payoff goes to."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_trade(
    actor: Any, deal: Deal | int, *, expected_version: int | None = None, **fields: Any
) -> TradeIn:
    locked = lock_deal(actor, deal, "deals.change_deal", expected_version)
    require_editable(locked)
    unknown = set(fields) - set(TRADE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "Unknown field."))
    errors: dict[str, Any] = {}
    for name in ("acv", "allowance", "payoff"):
        if name in fields:
            try:
                fields[name] = money(fields[name], name)
            except ValidationError as error:
                errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    trade = TradeIn(deal=locked, **fields)
    trade.full_clean(exclude=["deal", "vehicle"])
    _check_trade(trade)
    if locked.trades.filter(vin=trade.vin).exists():
        raise ValidationError({"vin": "This trade is already on the deal."})
    trade.save()
    save_deal(locked)
    audit.record(
        actor, "deals.add_trade", locked,
        {"trade": [None, f"{trade} {trade.vin} ACV {trade.acv} allowance {trade.allowance} "
                         f"payoff {trade.payoff}"]},
    )  # fmt: skip
    return trade


@transaction.atomic
def remove_trade(
    actor: Any, deal: Deal | int, trade_id: int, *, expected_version: int | None = None
) -> Deal:
    return _remove_child(
        actor, deal, expected_version, "trades", trade_id, "trade",
        lambda trade: f"{trade} {trade.vin}",
    )  # fmt: skip


# --- payments -------------------------------------------------------------------------


def next_receipt_number(deal: Deal) -> str:
    """R<rooftop>-<deal>-<n>: unique, and readable off a receipt. The deal row is locked."""
    return f"R{deal.rooftop_id}-{deal.pk}-{deal.payments.count() + 1}"


@transaction.atomic
def take_payment(
    actor: Any,
    deal: Deal | int,
    *,
    method: str,
    amount: Any,
    reference: str = "",
    expected_version: int | None = None,
) -> Payment:
    """A deposit or payment, with its receipt number. US cash (currency and cashier's
    checks) over $10,000 in this deal or the buyer's related deals within 12 months raises
    a Form 8300 task due 15 days after the payment that crossed the threshold."""
    locked = lock_deal(actor, deal, "deals.change_deal", expected_version)
    if locked.status in CLOSED:
        raise DealConflict("A cancelled or unwound deal takes no payments.")
    if method not in PaymentMethod.values:
        raise ValidationError({"method": "Choose cash, card, cheque or bank transfer."})
    value = money(amount, "amount")
    if value <= 0:
        raise ValidationError({"amount": "A payment must be above zero."})
    payment = Payment.objects.create(
        deal=locked, method=method, amount=value, reference=(reference or "")[:80],
        receipt_number=next_receipt_number(locked), received_by=user_or_none(actor),
    )  # fmt: skip
    save_deal(locked)
    audit.record(
        actor, "deals.take_payment", locked,
        {"payment": [None, f"{payment.receipt_number} {payment.get_method_display()} {value}"]},
    )  # fmt: skip
    if locked.rooftop.country == "US" and method in REPORTABLE_CASH:
        _check_form_8300(actor, locked, payment)
    return payment


def _check_form_8300(actor: Any, deal: Deal, payment: Payment) -> None:
    since = payment.received_at - RELATED_WINDOW
    related = Payment.objects.filter(
        deal__buyer_id=deal.buyer_id, deal__rooftop_id=deal.rooftop_id,
        method__in=REPORTABLE_CASH, received_at__gte=since,
    )  # fmt: skip
    cash = related.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    if cash <= FORM_8300_THRESHOLD:
        return
    if deal.tasks.filter(kind=TaskKind.FORM_8300, completed_at__isnull=True).exists():
        return
    due = timezone.localdate(payment.received_at) + timedelta(days=FORM_8300_DAYS)
    task = ComplianceTask.objects.create(
        deal=deal, kind=TaskKind.FORM_8300, due_on=due,
        detail=f"Cash received {cash} (this deal and the buyer's deals within 12 months).",
    )  # fmt: skip
    audit.record(actor, "deals.form_8300_task", deal, {"task": [None, f"{task}"]})


@transaction.atomic
def complete_task(actor: Any, deal: Deal | int, task_id: int) -> ComplianceTask:
    locked = lock_deal(actor, deal, "deals.change_deal")
    task = locked.tasks.filter(pk=task_id, completed_at__isnull=True).first()
    if task is None:
        raise ValidationError({"task": "No such open task on this deal."})
    task.completed_at = timezone.now()
    task.save(update_fields=["completed_at"])
    save_deal(locked)
    audit.record(actor, "deals.complete_task", locked, {"task": [str(task), "completed"]})
    return task


def plan_of(rooftop_id: int, plan_id: Any) -> CommissionPlan | None:
    if plan_id in (None, ""):
        return None
    plan = CommissionPlan.objects.filter(rooftop_id=rooftop_id, pk=plan_id).first()
    if plan is None:
        raise ValidationError({"salespeople": "No such commission plan at this rooftop."})
    return plan

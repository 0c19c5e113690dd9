"""A deal's moves: quote -> pending approval -> approved -> contracted -> delivered, cancel
and unwind. The vehicle follows (hold at approval, sold and delivered at delivery, back on
sale at unwind) through inventory's own actions; trades enter stock at delivery."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from forecourt.customers.models import OfacStatus
from forecourt.deals.actions.invoices import issue_invoice_for
from forecourt.deals.actions.locking import (
    DealConflict,
    lock_deal,
    reason_text,
    record_transition,
    require_status,
)
from forecourt.deals.models import Deal, DealStatus, Payment, SaleType
from forecourt.deals.numbers import deal_numbers
from forecourt.inventory import actions as inventory
from forecourt.inventory.models import (
    AcquisitionSource,
    OdometerBrand,
    Status,
    Vehicle,
    VehicleHold,
)
from forecourt.leads import actions as leads
from forecourt.leads.models import OPEN_LEAD_STATUSES, LeadStatus
from forecourt.purchasing import actions as purchasing
from forecourt.purchasing.condition import actions as appraisals
from forecourt.purchasing.condition.models import Appraisal, AppraisalStatus
from forecourt.purchasing.stocking import actions as stocking

S = DealStatus


def _check_ready(deal: Deal) -> list[str]:
    """The deal's approval reasons; refuses a deal that is not complete enough to approve."""
    if deal.price <= 0:
        raise ValidationError({"price": "Enter the selling price."})
    if not deal.salespeople.exists():
        raise ValidationError({"salespeople": "A deal needs at least one salesperson."})
    return deal_numbers(deal).approval_reasons


@transaction.atomic
def submit_for_approval(
    actor: Any, deal: Deal | int, *, expected_version: int | None = None
) -> Deal:
    """The salesperson's numbers are done. A deal with approval reasons (below floor,
    negative front gross, discount over the limit) waits for a manager; one without is
    approved at once (numbers locked, vehicle held), recorded as needing no manager."""
    locked = lock_deal(actor, deal, "deals.change_deal", expected_version)
    require_status(locked, S.QUOTE, doing="submitted")
    locked.approval_reasons = _check_ready(locked)
    if not locked.approval_reasons:
        _hold_vehicle(actor, locked)
        record_transition(
            actor, locked, S.APPROVED, "Within the salesperson's limits: no manager needed.",
            {"approval_reasons": [None, []]}, ["approval_reasons"],
        )  # fmt: skip
        return locked
    record_transition(
        actor, locked, S.PENDING_APPROVAL, "; ".join(locked.approval_reasons),
        {"approval_reasons": [None, locked.approval_reasons]}, ["approval_reasons"],
    )  # fmt: skip
    return locked


def _our_hold(deal: Deal) -> VehicleHold | None:
    return VehicleHold.objects.filter(
        vehicle_id=deal.vehicle_id, released_at__isnull=True, deal_reference=deal.number
    ).first()


def _hold_vehicle(actor: Any, deal: Deal) -> None:
    if _our_hold(deal) is not None:
        return
    vehicle = Vehicle.objects.get(pk=deal.vehicle_id)
    if vehicle.status not in (Status.AVAILABLE, Status.ON_HOLD):
        raise ValidationError(
            {"vehicle": f"The vehicle is {vehicle.get_status_display().lower()}: only an "
             "available vehicle can be held for a deal."}
        )  # fmt: skip
    inventory.hold_vehicle(
        actor, vehicle, deal_reference=deal.number, customer_name=str(deal.buyer)[:120],
        expires_at=timezone.now() + inventory.MAX_HOLD,
    )  # fmt: skip


def _keep_hold(actor: Any, deal: Deal) -> None:
    """Inventory holds last at most inventory.MAX_HOLD: a deal approved long ago may find
    its hold expired (the vehicle back on sale). Hold it again, or say who has it now."""
    if _our_hold(deal) is not None:
        return
    vehicle = Vehicle.objects.get(pk=deal.vehicle_id)
    if vehicle.status == Status.ON_HOLD:
        raise DealConflict("The vehicle's hold for this deal expired and another deal holds it.")
    _hold_vehicle(actor, deal)


def _release_vehicle(actor: Any, deal: Deal, reason: str) -> None:
    if _our_hold(deal) is not None:
        inventory.release_hold(actor, deal.vehicle_id, reason=f"{deal.number}: {reason}"[:200])


@transaction.atomic
def approve_deal(
    actor: Any, deal: Deal | int, *, note: str = "", expected_version: int | None = None
) -> Deal:
    """A manager (deals.approve_deal) approves: the numbers are locked and the vehicle held."""
    locked = lock_deal(actor, deal, "deals.approve_deal", expected_version)
    require_status(locked, S.QUOTE, S.PENDING_APPROVAL, doing="approved")
    reasons = _check_ready(locked)
    _hold_vehicle(actor, locked)
    locked.approval_reasons = reasons
    locked.approved_by = actor
    locked.approved_at = timezone.now()
    record_transition(
        actor, locked, S.APPROVED, note.strip(),
        {"approved_by": [None, actor.pk], "approval_reasons": [None, reasons]},
        ["approved_by", "approved_at", "approval_reasons"],
    )  # fmt: skip
    return locked


@transaction.atomic
def return_to_quote(
    actor: Any, deal: Deal | int, *, reason: str, expected_version: int | None = None
) -> Deal:
    """Reopen the numbers (a declined approval, a customer who changes the deal)."""
    locked = lock_deal(actor, deal, "deals.change_deal", expected_version)
    require_status(locked, S.PENDING_APPROVAL, S.APPROVED, doing="returned to quote")
    text = reason_text(reason)
    _release_vehicle(actor, locked, "returned to quote")
    approved_by = locked.approved_by_id
    locked.approved_by, locked.approved_at = None, None
    record_transition(
        actor, locked, S.QUOTE, text, {"approved_by": [approved_by, None]},
        ["approved_by", "approved_at"],
    )  # fmt: skip
    return locked


def _check_sanctions(deal: Deal) -> None:
    for role, customer in (("buyer", deal.buyer), ("co_buyer", deal.co_buyer)):
        if customer is not None and customer.ofac_status == OfacStatus.POSSIBLE_MATCH:
            raise ValidationError(
                {role: f"{customer} has an open OFAC possible match: a manager must clear it "
                 "before this deal is contracted or delivered."}
            )  # fmt: skip


@transaction.atomic
def contract_deal(actor: Any, deal: Deal | int, *, expected_version: int | None = None) -> Deal:
    """The buyer signed. One live deal per vehicle: the database refuses a second one even
    when two app processes get here at the same moment (DealConflict, a 409)."""
    locked = lock_deal(actor, deal, "deals.change_deal", expected_version)
    if locked.status in (S.CONTRACTED, S.DELIVERED):
        raise DealConflict("This deal is already contracted.")
    require_status(locked, S.APPROVED, doing="contracted")
    _check_sanctions(locked)
    if Deal.objects.live().filter(vehicle_id=locked.vehicle_id).exclude(pk=locked.pk).exists():
        raise DealConflict("Another deal has already contracted this vehicle.")
    try:
        with transaction.atomic():
            record_transition(actor, locked, S.CONTRACTED)
    except IntegrityError:
        raise DealConflict("Another deal has already contracted this vehicle.") from None
    # After the constraint chose this deal: a concurrent contender waits on the index
    # entry until this transaction ends, so it never reaches the vehicle's hold.
    _keep_hold(actor, locked)
    return locked


def _receive_trades(actor: Any, deal: Deal, on: date) -> None:
    """Each trade enters stock at its ACV (the acquisition cost) with the buyer's purchase
    invoice at the allowance (what the customer was credited: the UK margin scheme's
    purchase price, HMRC Notice 718/1); the appraisal behind it is closed as traded in."""
    for trade in deal.trades.filter(vehicle__isnull=True):
        vehicle = inventory.receive_vehicle(
            actor, rooftop=deal.rooftop, vin=trade.vin, year=trade.year, make=trade.make,
            model=trade.model, odometer=trade.odometer, acquisition_cost=trade.acv,
            acquisition_source=AcquisitionSource.TRADE_IN, acquired_on=on,
            status=Status.INCOMING, notes=f"Trade-in on deal {deal.number}",
        )  # fmt: skip
        trade.vehicle = vehicle
        trade.save(update_fields=["vehicle"])
        invoice = purchasing.record_trade_in_purchase(
            actor, vehicle, deal.buyer, trade.allowance, purchased_on=on,
            lien_holder=trade.lienholder, lien_payoff=trade.payoff, acquisition_cost=trade.acv,
        )  # fmt: skip
        for appraisal in _open_appraisals(deal, trade):
            appraisals.decide_appraisal(
                actor, appraisal, outcome=AppraisalStatus.TRADED_IN,
                purchase_line=invoice.lines.first(),
            )  # fmt: skip


def _open_appraisals(deal: Deal, trade: Any) -> list[Appraisal]:
    """The rooftop's open, unexpired appraisals of the trade (by VIN, else by plate)."""
    if not (trade.vin or trade.plate):
        return []
    found = Appraisal.objects.filter(
        rooftop_id=deal.rooftop_id,
        status=AppraisalStatus.OPEN,
        expires_on__gte=timezone.localdate(),
    )
    if trade.vin:
        return list(found.filter(vin__iexact=trade.vin))
    return list(found.filter(plate__iexact=trade.plate))


def _sell_vehicle(actor: Any, deal: Deal) -> None:
    vehicle = Vehicle.objects.get(pk=deal.vehicle_id)
    reason = f"deal {deal.number}"
    if vehicle.status == Status.ON_HOLD and _our_hold(deal) is None:
        raise DealConflict("The vehicle is on hold for another deal.")
    if vehicle.status != Status.SOLD:
        inventory.change_status(actor, vehicle, to_status=Status.SOLD, reason=reason)
    inventory.change_status(actor, vehicle, to_status=Status.DELIVERED, reason=reason)


def _win_lead(actor: Any, deal: Deal) -> None:
    """Delivering wins the deal's lead. The pipeline reaches won from shown or quoted, so
    an earlier lead is walked through shown first (each move is the lead's own action)."""
    lead = deal.lead
    if lead is None or lead.status not in OPEN_LEAD_STATUSES:
        return
    if lead.status not in (LeadStatus.SHOWN, LeadStatus.QUOTED):
        lead = leads.change_lead_status(actor, lead, to_status=LeadStatus.SHOWN)
    leads.change_lead_status(actor, lead, to_status=LeadStatus.WON)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    return value


@transaction.atomic
def deliver_deal(
    actor: Any,
    deal: Deal | int,
    *,
    odometer: int | None,
    odometer_brand: str = OdometerBrand.ACTUAL,
    delivery_date: date | None = None,
    expected_version: int | None = None,
) -> Deal:
    """The car leaves: odometer disclosed, vehicle sold and delivered, trades into stock,
    the lead won, the numbers kept as delivered (and a UK invoice number issued)."""
    locked = lock_deal(actor, deal, "deals.change_deal", expected_version)
    require_status(locked, S.CONTRACTED, doing="delivered")
    _check_sanctions(locked)
    errors: dict[str, str] = {}
    if odometer is None or odometer < 0:
        errors["odometer"] = "Record the odometer reading disclosed to the buyer."
    elif odometer < locked.vehicle.odometer and odometer_brand == OdometerBrand.ACTUAL:
        errors["odometer"] = (
            f"The reading is below the vehicle's recorded {locked.vehicle.odometer}; "
            "check it, or disclose it as not actual mileage."
        )
    if odometer_brand not in OdometerBrand.values:
        errors["odometer_brand"] = "Choose actual, exceeds mechanical limits or not actual."
    if errors:
        raise ValidationError(errors)
    numbers = deal_numbers(locked)
    if locked.sale_type in (SaleType.CASH, SaleType.WHOLESALE, SaleType.TRADE) and (
        numbers.totals.balance_due > 0
    ):
        raise ValidationError(
            {"balance_due": f"{numbers.totals.balance_due} is still due: take the payment "
             "before a cash deal is delivered."}
        )  # fmt: skip
    _sell_vehicle(actor, locked)
    locked.delivery_date = delivery_date or timezone.localdate()
    # The floor plan is paid off at delivery (docs/stocking.md); the facility's payoff
    # days are the lender's grace, watched by the sold-out-of-trust check.
    stocking.pay_off_on_sale(actor, locked.vehicle_id, locked.delivery_date)
    _receive_trades(actor, locked, locked.delivery_date)
    locked.delivery_odometer = odometer
    locked.delivery_odometer_brand = odometer_brand
    locked.delivered_numbers = _plain(numbers.as_dict(with_gross=True))
    record_transition(
        actor, locked, S.DELIVERED, "",
        {"delivery_odometer": [None, odometer], "delivery_date": [None, str(locked.delivery_date)]},
        ["delivery_odometer", "delivery_odometer_brand", "delivery_date", "delivered_numbers"],
    )  # fmt: skip
    _win_lead(actor, locked)
    if locked.rooftop.country == "GB":
        issue_invoice_for(actor, locked)
    return locked


def _reverse_payments(actor: Any, deal: Deal, reason: str) -> None:
    for payment in deal.payments.filter(reverses__isnull=True, reversal__isnull=True):
        Payment.objects.create(
            deal=deal, method=payment.method, amount=-payment.amount, reverses=payment,
            reference=f"Reversal of {payment.receipt_number}: {reason}"[:80],
            receipt_number=f"{payment.receipt_number}-REV", received_by=actor,
        )  # fmt: skip


@transaction.atomic
def cancel_deal(
    actor: Any, deal: Deal | int, *, reason: str, expected_version: int | None = None
) -> Deal:
    """Cancel before delivery; a contracted deal needs a role that may approve. Payments
    taken are refunded by reversal records."""
    locked = lock_deal(actor, deal, "deals.change_deal", expected_version)
    require_status(locked, S.QUOTE, S.PENDING_APPROVAL, S.APPROVED, S.CONTRACTED, doing="cancelled")
    if locked.status == S.CONTRACTED and not actor.has_perm("deals.approve_deal"):
        raise PermissionDenied("Only a manager can cancel a contracted deal.")
    text = reason_text(reason)
    _release_vehicle(actor, locked, "deal cancelled")
    _reverse_payments(actor, locked, "deal cancelled")
    record_transition(actor, locked, S.CANCELLED, text)
    return locked


@transaction.atomic
def unwind_deal(
    actor: Any, deal: Deal | int, *, reason: str, expected_version: int | None = None
) -> Deal:
    """Undo a delivered deal by new records: the vehicle back on sale, untouched trades out
    of stock, payments reversed, the UK invoice number cancelled with the reason. What
    cannot be reversed stays (docs/deals.md "Unwind"): a floor plan paid off is not
    re-floored, a trade's purchase invoice and closed appraisal are kept as history."""
    locked = lock_deal(actor, deal, "deals.unwind_deal", expected_version)
    require_status(locked, S.DELIVERED, doing="unwound")
    text = reason_text(reason)
    vehicle = Vehicle.objects.get(pk=locked.vehicle_id)
    if vehicle.status in (Status.SOLD, Status.DELIVERED):
        inventory.change_status(
            actor, vehicle, to_status=Status.AVAILABLE, reason=f"{locked.number} unwound: {text}"
        )
    kept = []
    for trade in locked.trades.select_related("vehicle"):
        unit = trade.vehicle
        if unit is None:
            continue
        untouched = unit.status == Status.INCOMING and not unit.costs.exists()
        if untouched:
            inventory.change_status(
                actor, unit, to_status=Status.REMOVED, reason=f"{locked.number} unwound"
            )
        else:
            kept.append(unit.stock_number)
    _reverse_payments(actor, locked, "deal unwound")
    for invoice in locked.invoices.filter(cancelled_at__isnull=True):
        invoice.cancelled_at = timezone.now()
        invoice.cancel_reason = f"Deal unwound: {text}"[:200]
        invoice.save(update_fields=["cancelled_at", "cancel_reason"])
    note = text + (f" (trades kept in stock: {', '.join(kept)})" if kept else "")
    record_transition(actor, locked, S.UNWOUND, note)
    return locked

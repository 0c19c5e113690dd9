"""Every write to buying: sellers, purchase invoices, arrivals, payments.

Each runs in one transaction, checks the actor's permission and rooftop, writes its audit
entry. Vehicles are created and costed only through inventory's actions. The floor plan,
recon and condition writes live in their subpackages and are re-exported here, so callers
(deals) import every public operation from `forecourt.purchasing.actions`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from forecourt.accounts.models import Country, Rooftop
from forecourt.core import audit
from forecourt.core.concurrency import VersionConflict
from forecourt.core.permissions import require_permission
from forecourt.customers.models import Customer
from forecourt.inventory import actions as inventory
from forecourt.inventory.models import AcquisitionSource, CostKind, Status, Vehicle
from forecourt.purchasing.common import check_version, money, require_rooftop
from forecourt.purchasing.common import user_or_none as _user
from forecourt.purchasing.condition.actions import decide_appraisal
from forecourt.purchasing.condition.models import Appraisal, AppraisalStatus
from forecourt.purchasing.models import (
    CHECKLIST,
    PaymentMethod,
    PaymentStatus,
    PurchaseInvoice,
    PurchaseLine,
    PurchaseNumberCounter,
    Seller,
    SellerKind,
    VatTreatment,
)
from forecourt.purchasing.stocking.interest import cents

VEHICLE_FIELDS = (
    "vin",
    "year",
    "make",
    "model",
    "trim",
    "odometer",
    "exterior_color",
    "interior_color",
    "body_style",
    "stock_number",
    "condition",
)
LINE_FIELDS = (
    "price",
    "vat_treatment",
    "vat_amount",
    "buyer_fee",
    "transport_fee",
    "title_received",
    "lien_holder",
    "lien_payoff",
    "expected_on",
    "transport",
    "coming_from",
    "arrived_on",
    *CHECKLIST,
)
SELLER_FIELDS = ("name", "contact_name", "email", "phone", "address", "vat_number", "notes")
SOURCE_BY_SELLER = {
    SellerKind.AUCTION: AcquisitionSource.AUCTION,
    SellerKind.WHOLESALER: AcquisitionSource.PURCHASE,
    SellerKind.DEALER: AcquisitionSource.PURCHASE,
    SellerKind.PRIVATE: AcquisitionSource.PURCHASE,
    SellerKind.LEASE_FLEET: AcquisitionSource.LEASE_RETURN,
}
VAT_FRACTION = Decimal(1) / Decimal(6)


class PurchaseVersionConflict(VersionConflict):
    record_name = "purchase"


class SellerVersionConflict(VersionConflict):
    record_name = "seller"


# --- sellers -------------------------------------------------------------------------


@transaction.atomic
def create_seller(
    actor: Any,
    rooftop: Rooftop,
    *,
    kind: SellerKind | str,
    name: str = "",
    customer: Customer | None = None,
    **details: Any,
) -> Seller:
    """A private seller is a customer of the rooftop (name and address come from them)."""
    require_permission(actor, "purchasing.add_seller")
    require_rooftop(actor, rooftop.pk)
    unknown = set(details) - set(SELLER_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "Unknown field."))
    if kind not in SellerKind.values:
        raise ValidationError({"kind": f"Choose one of: {', '.join(SellerKind.values)}."})
    if kind == SellerKind.PRIVATE:
        if customer is None:
            raise ValidationError({"customer": "A private seller is one of your customers."})
        if customer.rooftop_id != rooftop.pk:
            raise ValidationError({"customer": "The customer belongs to another rooftop."})
        name = name or customer.display_name
    elif customer is not None:
        raise ValidationError({"customer": "Only a private seller is a customer."})
    seller = Seller(
        rooftop=rooftop, kind=kind, name=(name or "").strip(), customer=customer, **details
    )
    seller.full_clean()
    seller.save()
    audit.record(actor, "purchasing.create_seller", seller, audit.created(seller))
    return seller


@transaction.atomic
def update_seller(
    actor: Any, seller: Seller | int, *, expected_version: int | None = None, **fields: Any
) -> Seller:
    require_permission(actor, "purchasing.change_seller")
    locked = Seller.objects.select_for_update().get(pk=getattr(seller, "pk", seller))
    require_rooftop(actor, locked.rooftop_id)
    check_version(locked.version, expected_version, SellerVersionConflict)
    unknown = set(fields) - set(SELLER_FIELDS) - {"is_active"}
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    before = audit.snapshot(locked)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    changes = audit.diff(before, audit.snapshot(locked))
    if changes:
        locked.version += 1
        locked.save()
        audit.record(actor, "purchasing.update_seller", locked, changes)
    return locked


def seller_for_customer(actor: Any, customer: Customer) -> Seller:
    """The customer's private-seller record, created on first use."""
    existing = Seller.objects.filter(customer=customer, kind=SellerKind.PRIVATE).first()
    if existing is not None:
        return existing
    return create_seller(actor, customer.rooftop, kind=SellerKind.PRIVATE, customer=customer)


# --- purchases -----------------------------------------------------------------------


def _next_our_number(rooftop: Rooftop) -> str:
    """The rooftop's next own purchase-invoice number, under a row lock (no repeats)."""
    PurchaseNumberCounter.objects.get_or_create(rooftop=rooftop)
    counter = PurchaseNumberCounter.objects.select_for_update().get(rooftop=rooftop)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{rooftop.code.upper()[:12]}-P{counter.last_number:05d}"


def _line_values(
    rooftop: Rooftop, seller: Seller, raw: Mapping[str, Any], prefix: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(vehicle fields, line fields) of one line, or a ValidationError keyed `lines.N.x`."""
    unknown = set(raw) - set(VEHICLE_FIELDS) - set(LINE_FIELDS)
    if unknown:
        raise ValidationError({f"{prefix}.{name}": "Unknown field." for name in sorted(unknown)})
    errors: dict[str, str] = {}
    line: dict[str, Any] = {k: raw[k] for k in LINE_FIELDS if k in raw}
    for name in ("price", "vat_amount", "buyer_fee", "transport_fee", "lien_payoff"):
        if name in line or name == "price":
            try:
                line[name] = money(line.get(name), name)
            except ValidationError as error:
                errors[f"{prefix}.{name}"] = error.message_dict[name][0]
    treatment = line.get("vat_treatment") or ""
    if rooftop.country == Country.GB:
        if not treatment:
            qualifying = seller.kind == SellerKind.LEASE_FLEET
            treatment = VatTreatment.STANDARD if qualifying else VatTreatment.MARGIN
        if treatment not in VatTreatment.values:
            errors[f"{prefix}.vat_treatment"] = "Choose margin or standard."
        elif treatment == VatTreatment.MARGIN and line.get("vat_amount"):
            errors[f"{prefix}.vat_amount"] = "A margin-scheme purchase shows no VAT."
        elif treatment == VatTreatment.STANDARD and not line.get("vat_amount") and "price" in line:
            line["vat_amount"] = cents(line["price"] * VAT_FRACTION)
    elif treatment or line.get("vat_amount"):
        errors[f"{prefix}.vat_treatment"] = "VAT treatment applies to UK rooftops only."
    line["vat_treatment"] = treatment
    if "price" in line and "vat_amount" in line and line["vat_amount"] > line["price"]:
        errors[f"{prefix}.vat_amount"] = "The VAT cannot exceed the price."
    if errors:
        raise ValidationError(errors)
    vehicle = {k: raw[k] for k in VEHICLE_FIELDS if k in raw}
    return vehicle, line


def _check_vehicle(
    actor: Any, rooftop: Rooftop, seller: Seller, vehicle_fields: dict[str, Any], prefix: str
) -> None:
    """Inventory's own checks of a new unit, without writing, so every bad line of the
    purchase is reported at once (an incoming unit of the same VIN is updated instead)."""
    vin = str(vehicle_fields.get("vin", "")).strip().upper()
    if vin and Vehicle.objects.filter(vin=vin, status=Status.INCOMING).exists():
        return
    try:
        inventory.prepare_vehicle(
            actor,
            rooftop=rooftop,
            status=Status.INCOMING,
            acquisition_source=SOURCE_BY_SELLER[SellerKind(seller.kind)],
            **vehicle_fields,
        )
    except ValidationError as error:
        raise ValidationError(
            {f"{prefix}.{name}": messages for name, messages in error.message_dict.items()}
        ) from None


def _receive(
    actor: Any,
    rooftop: Rooftop,
    seller: Seller,
    vehicle_fields: dict[str, Any],
    cost: Decimal,
    purchased_on: date,
    prefix: str,
) -> Vehicle:
    """Create the unit (incoming) or update the incoming one with this VIN, via inventory."""
    source = SOURCE_BY_SELLER[SellerKind(seller.kind)]
    vin = str(vehicle_fields.get("vin", "")).strip().upper()
    existing = (
        Vehicle.objects.filter(vin=vin, status__in=[Status.INCOMING]).first() if vin else None
    )
    try:
        if existing is not None:
            if existing.rooftop_id != rooftop.pk:
                raise ValidationError({"vin": "This VIN is incoming at another rooftop."})
            extra = {k: v for k, v in vehicle_fields.items() if k not in ("vin", "stock_number")}
            return inventory.update_vehicle(
                actor,
                existing,
                acquisition_cost=cost,
                acquisition_source=source,
                acquired_on=purchased_on,
                **extra,
            )
        return inventory.receive_vehicle(
            actor,
            rooftop=rooftop,
            status=Status.INCOMING,
            acquisition_cost=cost,
            acquisition_source=source,
            acquired_on=purchased_on,
            **vehicle_fields,
        )
    except ValidationError as error:
        raise ValidationError(
            {f"{prefix}.{name}": messages for name, messages in error.message_dict.items()}
        ) from None


def _post_fees(actor: Any, line: PurchaseLine, purchased_on: date, seller: Seller) -> None:
    for amount, kind, label in (
        (line.buyer_fee, CostKind.AUCTION_FEE, "Buyer fee"),
        (line.transport_fee, CostKind.TRANSPORT, "Transport"),
    ):
        if amount:
            inventory.add_cost(
                actor,
                line.vehicle,
                kind=kind,
                amount=amount,
                vendor=seller.name[:120],
                incurred_on=purchased_on,
                description=f"{label}, purchase {line.invoice_id}",
            )


@transaction.atomic
def record_purchase(
    actor: Any,
    rooftop: Rooftop,
    *,
    seller: Seller,
    lines: Sequence[Mapping[str, Any]],
    purchased_on: date | None = None,
    seller_reference: str = "",
    payment_status: str = PaymentStatus.UNPAID,
    payment_method: str = "",
    amount_paid: Any = "0",
    bill_of_sale_received: bool = False,
    notes: str = "",
) -> PurchaseInvoice:
    """Buy one or more vehicles on one invoice. Each vehicle is received (incoming) through
    inventory with the line's net price as its acquisition cost; buyer and transport fees
    become its added costs. All or nothing: any bad line and nothing is written."""
    require_permission(actor, "purchasing.add_purchaseinvoice")
    require_rooftop(actor, rooftop.pk)
    if seller.rooftop_id != rooftop.pk:
        raise ValidationError({"seller": "The seller belongs to another rooftop."})
    if not lines:
        raise ValidationError({"lines": "A purchase needs at least one vehicle."})
    purchased_on = purchased_on or timezone.localdate()
    errors: dict[str, Any] = {}
    if payment_status not in PaymentStatus.values:
        errors["payment_status"] = f"Choose one of: {', '.join(PaymentStatus.values)}."
    if payment_method and payment_method not in PaymentMethod.values:
        errors["payment_method"] = f"Choose one of: {', '.join(PaymentMethod.values)}."
    prepared = []
    for n, raw in enumerate(lines):
        try:
            prepared.append(_line_values(rooftop, seller, raw, f"lines.{n}"))
            _check_vehicle(actor, rooftop, seller, prepared[-1][0], f"lines.{n}")
        except ValidationError as error:
            errors.update(error.message_dict)
    vins = [str(v.get("vin", "")).strip().upper() for v, _ in prepared]
    repeated = {vin for vin in vins if vin and vins.count(vin) > 1}
    for n, vin in enumerate(vins):
        if vin in repeated:
            errors[f"lines.{n}.vin"] = "The same VIN is twice on this purchase."
    try:
        paid = money(amount_paid, "amount_paid")
    except ValidationError as error:
        errors.update(error.message_dict)
        paid = Decimal("0.00")
    if errors:
        raise ValidationError(errors)
    invoice = PurchaseInvoice(
        rooftop=rooftop,
        seller=seller,
        seller_reference=seller_reference[:64],
        purchased_on=purchased_on,
        payment_status=payment_status,
        payment_method=payment_method,
        amount_paid=paid,
        bill_of_sale_received=bill_of_sale_received,
        notes=notes,
        created_by=_user(actor),
    )
    if seller.kind == SellerKind.PRIVATE:
        invoice.our_number = _next_our_number(rooftop)
    invoice.full_clean()
    invoice.save()
    for n, (vehicle_fields, line_fields) in enumerate(prepared):
        net = line_fields["price"] - line_fields.get("vat_amount", Decimal("0"))
        vehicle = _receive(actor, rooftop, seller, vehicle_fields, net, purchased_on, f"lines.{n}")
        line = PurchaseLine(invoice=invoice, vehicle=vehicle, **line_fields)
        try:
            line.full_clean()
        except ValidationError as error:
            raise ValidationError(
                {f"lines.{n}.{k}": v for k, v in error.message_dict.items()}
            ) from None
        line.save()
        _post_fees(actor, line, purchased_on, seller)
    audit.record(
        actor,
        "purchasing.record_purchase",
        invoice,
        {
            **audit.created(invoice),
            "vehicles": [None, [v.get("vin") for v, _ in prepared]],
            "prices": [None, [str(line["price"]) for _, line in prepared]],
        },
    )
    return invoice


@transaction.atomic
def record_trade_in_purchase(
    actor: Any,
    vehicle: Vehicle,
    seller_customer: Customer,
    price: Decimal | str,
    *,
    purchased_on: date | None = None,
    vat_treatment: str = "",
    lien_holder: str = "",
    lien_payoff: Decimal | str = "0",
    acquisition_cost: Decimal | str | None = None,
) -> PurchaseInvoice:
    """A trade-in taken on a deal: the customer's purchase invoice for a unit already in
    inventory. The price is the invoice's (UK margin scheme: the part-exchange allowance);
    the acquisition cost is `acquisition_cost` when given (the deal's ACV), else the price."""
    require_permission(actor, "purchasing.record_trade_in")
    require_rooftop(actor, vehicle.rooftop_id)
    amount = money(price, "price")
    cost = amount if acquisition_cost is None else money(acquisition_cost, "acquisition_cost")
    seller = seller_for_customer(actor, seller_customer)
    rooftop = vehicle.rooftop
    purchased_on = purchased_on or timezone.localdate()
    if vehicle.acquisition_cost != cost:
        inventory.update_vehicle(
            actor, vehicle, acquisition_cost=cost, acquisition_source=AcquisitionSource.TRADE_IN
        )
    raw = {"price": amount, "lien_holder": lien_holder, "lien_payoff": lien_payoff}
    if vat_treatment:
        raw["vat_treatment"] = vat_treatment
    _vehicle, line_fields = _line_values(rooftop, seller, raw, "trade_in")
    invoice = PurchaseInvoice.objects.create(
        rooftop=rooftop,
        seller=seller,
        purchased_on=purchased_on,
        our_number=_next_our_number(rooftop),
        created_by=_user(actor),
        notes="Trade-in",
    )
    PurchaseLine.objects.create(
        invoice=invoice,
        vehicle=vehicle,
        arrived_on=purchased_on,
        expected_on=purchased_on,
        has_keys=True,
        **line_fields,
    )
    audit.record(
        actor,
        "purchasing.record_trade_in_purchase",
        invoice,
        {"vehicle": [None, vehicle.pk], "price": [None, str(amount)]},
    )
    return invoice


def _lock_invoice(actor: Any, invoice: PurchaseInvoice | int, permission: str) -> PurchaseInvoice:
    require_permission(actor, permission)
    locked = PurchaseInvoice.objects.select_for_update().get(pk=getattr(invoice, "pk", invoice))
    require_rooftop(actor, locked.rooftop_id)
    return locked


@transaction.atomic
def record_payment(
    actor: Any,
    invoice: PurchaseInvoice | int,
    *,
    amount: Decimal | str,
    method: str,
    expected_version: int | None = None,
) -> PurchaseInvoice:
    """Money paid to the seller; the status follows from the amount paid and the total."""
    locked = _lock_invoice(actor, invoice, "purchasing.change_purchaseinvoice")
    check_version(locked.version, expected_version, PurchaseVersionConflict)
    paid = money(amount, "amount", positive=True)
    if method not in PaymentMethod.values:
        raise ValidationError({"method": f"Choose one of: {', '.join(PaymentMethod.values)}."})
    total = invoice_total(locked)
    if locked.amount_paid + paid > total:
        raise ValidationError(
            {"amount": f"That pays more than the invoice: {total - locked.amount_paid} is left."}
        )
    before = audit.snapshot(locked, ["amount_paid", "payment_status", "payment_method"])
    locked.amount_paid += paid
    locked.payment_method = method
    locked.payment_status = (
        PaymentStatus.PAID if locked.amount_paid == total else PaymentStatus.PART_PAID
    )
    locked.version += 1
    locked.save()
    after = audit.snapshot(locked, ["amount_paid", "payment_status", "payment_method"])
    audit.record(actor, "purchasing.record_payment", locked, audit.diff(before, after))
    return locked


def invoice_total(invoice: PurchaseInvoice) -> Decimal:
    """Prices and fees of every vehicle on the invoice."""
    return sum(
        (line.price + line.buyer_fee + line.transport_fee for line in invoice.lines.all()),
        Decimal("0.00"),
    )


@transaction.atomic
def update_arrival(actor: Any, line: PurchaseLine | int, **fields: Any) -> PurchaseLine:
    """The watch-list: when it is due, how it comes, and what has arrived with it."""
    require_permission(actor, "purchasing.change_purchaseinvoice")
    locked = (
        PurchaseLine.objects.select_for_update()
        .select_related("invoice")
        .get(pk=getattr(line, "pk", line))
    )
    require_rooftop(actor, locked.invoice.rooftop_id)
    allowed = {
        "expected_on",
        "transport",
        "coming_from",
        "arrived_on",
        "title_received",
        *CHECKLIST,
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    before = audit.snapshot(locked, sorted(allowed))
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    changes = audit.diff(before, audit.snapshot(locked, sorted(allowed)))
    if changes:
        locked.save()
        audit.record(
            actor,
            "purchasing.update_arrival",
            locked,
            changes,
            rooftop_id=locked.invoice.rooftop_id,
        )
    return locked


@transaction.atomic
def purchase_from_appraisal(
    actor: Any,
    appraisal: Appraisal | int,
    *,
    seller: Seller,
    price: Decimal | str | None = None,
    **line: Any,
) -> PurchaseInvoice:
    """The appraised unit bought: a purchase of one vehicle at the offer (or `price`), the
    appraisal closed as bought and linked to its purchase line."""
    found = Appraisal.objects.get(pk=getattr(appraisal, "pk", appraisal))
    vehicle = {
        k: v
        for k, v in {
            "vin": found.vin,
            "year": found.year,
            "make": found.make,
            "model": found.model,
            "odometer": found.odometer,
        }.items()
        if v not in (None, "")
    }
    invoice = record_purchase(
        actor,
        found.rooftop,
        seller=seller,
        lines=[{**vehicle, "price": found.offer if price is None else price, **line}],
    )
    decide_appraisal(
        actor, found, outcome=AppraisalStatus.PURCHASED, purchase_line=invoice.lines.get()
    )
    return invoice

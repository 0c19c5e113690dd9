"""Sellers, purchase invoices, receiving through inventory, the incoming watch-list."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from forecourt.accounts.models import Country, Currency
from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.customers.actions import create_customer
from forecourt.inventory.models import Status, Vehicle, VehicleCost
from forecourt.inventory.tests.factories import receive
from forecourt.purchasing import actions
from forecourt.purchasing.models import (
    PaymentStatus,
    PurchaseInvoice,
    PurchaseLine,
    SellerKind,
    VatTreatment,
)
from forecourt.purchasing.reads import incoming_watch_list, overdue, purchase_for, vat_treatment_for
from forecourt.purchasing.tests.factories import auction, buy, car

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def uk(make_rooftop):
    return make_rooftop(
        name="Leeds Motors", country=Country.GB, currency=Currency.GBP, code="leeds"
    )


@pytest.fixture
def manager(make_user, rooftop, uk):
    return make_user(Role.SALES_MANAGER, rooftops=[rooftop, uk])


def customer_of(actor, rooftop, last_name="Seller"):
    return create_customer(
        actor,
        rooftop,
        {"first_name": "Pat", "last_name": last_name, "email": f"{last_name}@example.com"},
        allow_duplicate=True,
    )


def test_three_cars_at_an_auction_on_one_invoice(manager, rooftop):
    seller = auction(manager, rooftop)
    invoice = actions.record_purchase(
        manager,
        rooftop,
        seller=seller,
        purchased_on=date(2026, 11, 2),
        seller_reference="LOT-77",
        lines=[
            car(
                "15000.00",
                buyer_fee="350.00",
                transport_fee="120.00",
                expected_on=date(2026, 11, 6),
            ),
            car("12500.00", buyer_fee="300.00"),
            car("9800.50"),
        ],
    )
    lines = list(invoice.lines.select_related("vehicle"))
    assert [line.vehicle.acquisition_cost for line in lines] == [
        D("15000.00"),
        D("12500.00"),
        D("9800.50"),
    ]
    assert {line.vehicle.status for line in lines} == {Status.INCOMING}
    assert {line.vehicle.acquisition_source for line in lines} == {"auction"}
    assert lines[0].vehicle.acquired_on == date(2026, 11, 2)
    costs = VehicleCost.objects.filter(vehicle=lines[0].vehicle).order_by("kind")
    assert [(c.kind, c.amount) for c in costs] == [
        ("auction_fee", D("350.00")),
        ("transport", D("120.00")),
    ]
    assert lines[0].vehicle.true_cost == D("15470.00")
    assert actions.invoice_total(invoice) == D("38070.50")
    assert invoice.our_number == ""  # only private sellers get the dealer's own invoice
    assert vat_treatment_for(lines[0].vehicle) is None  # a US rooftop
    assert purchase_for(lines[1].vehicle) == lines[1]
    assert AuditEntry.objects.filter(
        action="purchasing.record_purchase", object_id=str(invoice.pk)
    ).exists()


def test_a_purchase_with_no_vehicles_is_refused(manager, rooftop):
    seller = auction(manager, rooftop)
    with pytest.raises(ValidationError) as error:
        actions.record_purchase(manager, rooftop, seller=seller, lines=[])
    assert error.value.message_dict == {"lines": ["A purchase needs at least one vehicle."]}
    assert PurchaseInvoice.objects.count() == 0


def test_one_bad_line_writes_nothing(manager, rooftop):
    seller = auction(manager, rooftop)
    good = car("15000.00")
    with pytest.raises(ValidationError) as error:
        actions.record_purchase(
            manager, rooftop, seller=seller, lines=[good, car("-5"), {**car(), "vin": "NOTAVIN"}]
        )
    assert "lines.1.price" in error.value.message_dict
    assert "lines.2.vin" in error.value.message_dict
    assert not Vehicle.objects.filter(vin=good["vin"]).exists()
    assert PurchaseInvoice.objects.count() == 0


def test_the_same_vin_twice_is_refused(manager, rooftop):
    seller = auction(manager, rooftop)
    line = car()
    with pytest.raises(ValidationError) as error:
        actions.record_purchase(manager, rooftop, seller=seller, lines=[line, {**line}])
    assert error.value.message_dict["lines.1.vin"] == ["The same VIN is twice on this purchase."]


def test_receiving_updates_an_incoming_vehicle_of_the_same_vin(manager, rooftop):
    known = receive(manager, rooftop, status="incoming", acquisition_cost=D("1.00"))
    invoice = buy(manager, rooftop, seller=auction(manager, rooftop))
    seller = auction(manager, rooftop, name="ADESA")
    invoice = actions.record_purchase(
        manager, rooftop, seller=seller, lines=[{"vin": known.vin, "price": "8000"}]
    )
    known.refresh_from_db()
    assert invoice.lines.get().vehicle == known
    assert known.acquisition_cost == D("8000.00")


def test_uk_vat_treatment_per_vehicle(manager, uk):
    private = actions.create_seller(
        manager, uk, kind=SellerKind.PRIVATE, customer=customer_of(manager, uk)
    )
    fleet = actions.create_seller(manager, uk, kind=SellerKind.LEASE_FLEET, name="Lex Autolease")
    margin = buy(manager, uk, "8000.00", seller=private).lines.get()
    qualifying = buy(manager, uk, "12000.00", seller=fleet).lines.get()
    assert vat_treatment_for(margin.vehicle) == "margin"
    assert margin.vat_amount == D("0.00")
    assert margin.vehicle.acquisition_cost == D("8000.00")
    # VAT-qualifying: 12,000 includes 2,000 VAT (1/6), reclaimable: the unit cost 10,000.
    assert vat_treatment_for(qualifying.vehicle) == "standard"
    assert qualifying.vat_amount == D("2000.00")
    assert qualifying.vehicle.acquisition_cost == D("10000.00")
    with pytest.raises(ValidationError) as error:
        actions.record_purchase(
            manager,
            uk,
            seller=private,
            lines=[car("5000", vat_treatment="margin", vat_amount="100")],
        )
    assert error.value.message_dict == {
        "lines.0.vat_amount": ["A margin-scheme purchase shows no VAT."]
    }


def test_vat_treatment_is_refused_outside_the_uk(manager, rooftop):
    with pytest.raises(ValidationError) as error:
        buy(
            manager, rooftop, seller=auction(manager, rooftop), lines=None
        ) if False else actions.record_purchase(
            manager, rooftop, seller=auction(manager, rooftop), lines=[car(vat_treatment="margin")]
        )
    assert "lines.0.vat_treatment" in error.value.message_dict


def test_a_private_seller_is_a_customer_and_gets_numbered_invoices(manager, uk):
    with pytest.raises(ValidationError):
        actions.create_seller(manager, uk, kind=SellerKind.PRIVATE, name="Nobody")
    seller = actions.create_seller(
        manager, uk, kind=SellerKind.PRIVATE, customer=customer_of(manager, uk)
    )
    assert seller.name == "Pat Seller"
    first = buy(manager, uk, "8000", seller=seller)
    second = buy(manager, uk, "6000", seller=seller)
    assert (first.our_number, second.our_number) == ("LEEDS-P00001", "LEEDS-P00002")


def test_payments_follow_the_total(manager, rooftop):
    invoice = buy(manager, rooftop, "1000.00", "500.00")
    invoice = actions.record_payment(manager, invoice, amount="600", method="bank_transfer")
    assert (invoice.payment_status, invoice.amount_paid) == (PaymentStatus.PART_PAID, D("600.00"))
    with pytest.raises(ValidationError) as error:
        actions.record_payment(manager, invoice, amount="901", method="bank_transfer")
    assert error.value.message_dict == {
        "amount": ["That pays more than the invoice: 900.00 is left."]
    }
    invoice = actions.record_payment(manager, invoice, amount="900", method="check")
    assert invoice.payment_status == PaymentStatus.PAID


def test_the_incoming_watch_list_and_overdue_items(manager, rooftop):
    today = timezone.localdate()
    invoice = actions.record_purchase(
        manager,
        rooftop,
        seller=auction(manager, rooftop),
        lines=[
            car(expected_on=today - timedelta(days=2)),
            car(expected_on=today + timedelta(days=3)),
        ],
    )
    late, soon = invoice.lines.order_by("id")
    assert list(incoming_watch_list(manager)) == [late, soon]
    assert list(overdue(incoming_watch_list(manager))) == [late]
    assert late.missing == [
        "Not arrived",
        "Keys",
        "Second key",
        "V5C / title",
        "Service history",
        "MOT / state inspection",
    ]
    actions.update_arrival(
        manager,
        late,
        arrived_on=today,
        has_keys=True,
        has_second_key=True,
        has_registration_document=True,
        has_service_history=True,
        has_inspection=True,
    )
    assert list(incoming_watch_list(manager)) == [soon]


def test_a_trade_in_purchase_for_deals(manager, uk):
    vehicle = receive(manager, uk, acquisition_cost=D("0"), status="incoming")
    customer = customer_of(manager, uk, "Trader")
    invoice = actions.record_trade_in_purchase(manager, vehicle, customer, "7250.00")
    vehicle.refresh_from_db()
    assert vehicle.acquisition_cost == D("7250.00")
    assert vehicle.acquisition_source == "trade_in"
    assert invoice.seller.customer == customer
    assert invoice.our_number == "LEEDS-P00001"
    assert vat_treatment_for(vehicle) == "margin"
    assert purchase_for(vehicle).price == D("7250.00")


def test_other_rooftops_and_roles_are_refused(make_user, rooftop, other_rooftop, manager):
    outsider = make_user(Role.SALES_MANAGER, rooftops=[other_rooftop])
    with pytest.raises(PermissionDenied):
        buy(outsider, rooftop, seller=auction(manager, rooftop))
    salesperson = make_user(Role.SALESPERSON)
    with pytest.raises(PermissionDenied):
        buy(salesperson, rooftop, seller=auction(manager, rooftop))
    assert PurchaseLine.objects.count() == 0
    assert VatTreatment.MARGIN == "margin"

"""The deal from quote to delivered and back (unwind), US and UK, through the actions."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.deals import actions, registry
from forecourt.deals.models import ComplianceTask, DealStatus, InvoiceNumber, Payment
from forecourt.deals.numbers import deal_numbers
from forecourt.deals.tests.factories import car, desk, trade_fields, uk_customer, us_setup
from forecourt.inventory import actions as inventory
from forecourt.inventory.models import Status, Vehicle, VehicleHold
from forecourt.leads import actions as lead_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_user):
    return make_user(Role.SALES_MANAGER)


def test_us_cash_deal_with_a_trade_from_quote_to_delivered(owner, rooftop, salesperson, manager):
    us_setup(owner, rooftop)
    vehicle = car(owner, rooftop, floor_price=D("24000.00"))
    deal = desk(salesperson, rooftop, vehicle=vehicle, price="25000.00", discount="1500.00")
    lead = lead_actions.create_lead(salesperson, deal.buyer, source="walk_in", vehicle=vehicle)
    deal.lead = lead
    deal.save(update_fields=["lead"])
    trade = actions.add_trade(
        salesperson, deal, **trade_fields(payoff="2000.00", lienholder="Ally")
    )
    numbers = deal_numbers(deal)
    # State: 23,500 + 300 doc - 6,500 trade = 17,300 x 6.25 % = 1,081.25;
    # county (doc fee not taxable): 17,000 x 1.75 % = 297.50.
    assert [line.tax for line in numbers.tax_lines] == [D("1081.25"), D("297.50")]
    assert numbers.totals.balance_due == D("23500") + D("450") + D("1378.75") - D("4500")
    assert numbers.totals.front_gross == D("23500") - D("20000") - D("500")
    assert numbers.approval_reasons == ["The price is below the vehicle's floor price."]

    actions.submit_for_approval(salesperson, deal)
    with pytest.raises(PermissionDenied, match="Only a manager can approve"):
        actions.approve_deal(salesperson, deal)
    actions.approve_deal(manager, deal, note="Aged unit, ok")
    vehicle.refresh_from_db()
    assert vehicle.status == Status.ON_HOLD
    assert (
        VehicleHold.objects.get(vehicle=vehicle, released_at__isnull=True).deal_reference
        == deal.number
    )
    with pytest.raises(ValidationError, match="locked"):
        actions.add_line(salesperson, deal, kind="accessory", description="Mats", amount="100")

    actions.contract_deal(salesperson, deal)
    with pytest.raises(ValidationError, match="still due"):
        actions.deliver_deal(salesperson, deal, odometer=42010)
    actions.take_payment(salesperson, deal, method="bank_transfer", amount="20828.75")
    deal = actions.deliver_deal(salesperson, deal, odometer=42010)

    vehicle.refresh_from_db()
    trade.refresh_from_db()
    lead.refresh_from_db()
    assert (deal.status, vehicle.status, lead.status) == ("delivered", "delivered", "won")
    assert (trade.vehicle.status, trade.vehicle.acquisition_cost) == ("incoming", D("6000.00"))
    assert trade.vehicle.acquisition_source == "trade_in"
    assert deal.delivered_numbers["front_gross"] == "3000.00"
    assert deal.delivered_numbers["balance_due"] == "0.00"
    actions_logged = set(
        AuditEntry.objects.filter(object_type="deals.deal", object_id=str(deal.pk)).values_list(
            "action", flat=True
        )
    )
    assert {
        "deals.create_deal",
        "deals.add_trade",
        "deals.pending_approval",
        "deals.approved",
        "deals.contracted",
        "deals.take_payment",
        "deals.delivered",
    } <= actions_logged
    assert [h.to_status for h in deal.history.all()] == [
        "pending_approval",
        "approved",
        "contracted",
        "delivered",
    ]


def test_uk_margin_scheme_sale_with_a_part_exchange(owner, other_rooftop, make_user):
    seller = make_user(Role.SALESPERSON, rooftops=[other_rooftop])
    manager = make_user(Role.SALES_MANAGER, rooftops=[other_rooftop])
    vehicle = car(owner, other_rooftop, acquisition_cost=D("8000.00"), list_price=D("11500.00"))
    inventory.add_cost(owner, vehicle, kind="reconditioning", amount="600.00")
    deal = desk(seller, other_rooftop, vehicle=vehicle, price="11000.00")
    actions.add_trade(
        seller, deal, **trade_fields(acv="1500.00", allowance="1500.00", plate="AB12CDE")
    )
    numbers = deal_numbers(deal)
    assert (numbers.vat.margin, numbers.vat.vat, numbers.vat.shows_vat) == (
        D("3000.00"),
        D("500.00"),
        False,
    )
    assert numbers.tax_lines == []
    assert numbers.totals.front_gross == D("11000") - D("8600")
    assert numbers.as_dict(with_gross=False)["vat"]["vat"] is None  # it would give the cost away
    assert "front_gross" not in numbers.as_dict(with_gross=False)
    actions.approve_deal(manager, deal)
    actions.contract_deal(seller, deal)
    actions.take_payment(seller, deal, method="card", amount="9500.00")
    deal = actions.deliver_deal(seller, deal, odometer=42000)
    invoice = InvoiceNumber.objects.get(deal=deal)
    assert invoice.number == "INV-000001"
    with pytest.raises(ValidationError, match="already has an invoice"):
        actions.issue_invoice(manager, deal)
    actions.cancel_invoice(manager, deal, reason="Spoilt print")
    second = actions.issue_invoice(manager, deal)
    assert second.number == "INV-000002"
    assert InvoiceNumber.objects.get(pk=invoice.pk).cancel_reason == "Spoilt print"


def test_unwind_reverses_by_new_records(owner, rooftop, salesperson, manager):
    us_setup(owner, rooftop)
    deal = desk(salesperson, rooftop, price="25000.00")
    trade = actions.add_trade(salesperson, deal, **trade_fields())
    deal = actions.submit_for_approval(salesperson, deal)  # within limits: approved at once
    assert deal.status == DealStatus.APPROVED
    actions.contract_deal(salesperson, deal)
    balance = deal_numbers(deal).totals.balance_due
    paid = actions.take_payment(salesperson, deal, method="card", amount=balance)
    actions.deliver_deal(salesperson, deal, odometer=42000)
    with pytest.raises(PermissionDenied):
        actions.unwind_deal(salesperson, deal, reason="Buyer's remorse")
    deal = actions.unwind_deal(manager, deal, reason="Finance fell through")
    trade.refresh_from_db()
    vehicle = Vehicle.objects.get(pk=deal.vehicle_id)
    assert (deal.status, vehicle.status, trade.vehicle.status) == (
        "unwound",
        "available",
        "removed",
    )
    reversal = Payment.objects.get(reverses=paid)
    assert reversal.amount == -paid.amount
    assert Payment.objects.get(pk=paid.pk).amount == paid.amount  # untouched
    assert deal_numbers(deal).totals.payments == D("0.00")


def test_form_8300_task_for_cash_over_10000_across_related_deals(owner, rooftop, salesperson):
    us_setup(owner, rooftop)
    first = desk(salesperson, rooftop, price="9000.00")
    actions.take_payment(salesperson, first, method="cash", amount="6000.00")
    second = desk(salesperson, rooftop, buyer=first.buyer, price="9000.00")
    actions.take_payment(salesperson, second, method="card", amount="6000.00")
    assert not ComplianceTask.objects.exists()
    payment = actions.take_payment(salesperson, second, method="cash", amount="4500.00")
    task = ComplianceTask.objects.get(deal=second)
    assert task.kind == "form_8300"
    assert (task.due_on - payment.received_at.date()).days == 15


def test_open_sanctions_match_blocks_contracting(owner, rooftop, salesperson, manager):
    us_setup(owner, rooftop)
    deal = desk(salesperson, rooftop, price="25000.00")
    actions.submit_for_approval(salesperson, deal)
    type(deal.buyer).objects.filter(pk=deal.buyer_id).update(ofac_status="possible_match")
    with pytest.raises(ValidationError, match="OFAC"):
        actions.contract_deal(salesperson, deal)
    type(deal.buyer).objects.filter(pk=deal.buyer_id).update(ofac_status="cleared")
    assert actions.contract_deal(salesperson, deal).status == DealStatus.CONTRACTED


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"acv": "-1"}, "acv"),
        ({"acv": "3000", "allowance": "3000", "payoff": "5000", "lienholder": "Ally"}, "payoff"),
        ({"payoff": "100"}, "lienholder"),
        ({"vin": "SHORT"}, "vin"),
    ],
)
def test_bad_trades_are_refused_and_change_nothing(owner, rooftop, salesperson, fields, field):
    deal = desk(salesperson, rooftop, price="25000.00")
    with pytest.raises(ValidationError) as refused:
        actions.add_trade(salesperson, deal, **trade_fields(**fields))
    assert field in refused.value.message_dict
    assert deal.trades.count() == 0


def test_a_trade_already_in_stock_is_refused(owner, rooftop, salesperson):
    deal = desk(salesperson, rooftop, price="25000.00")
    in_stock = car(owner, rooftop)
    with pytest.raises(ValidationError, match="already in stock"):
        actions.add_trade(salesperson, deal, **trade_fields(vin=in_stock.vin))


def test_negative_price_a_sold_car_and_a_wrong_sale_type_are_refused(owner, rooftop, salesperson):
    with pytest.raises(ValidationError, match="negative"):
        desk(salesperson, rooftop, price="-5")
    sold = car(owner, rooftop)
    inventory.change_status(owner, sold, to_status="sold")
    with pytest.raises(ValidationError, match="cannot be sold again"):
        desk(salesperson, rooftop, vehicle=sold)
    with pytest.raises(ValidationError, match="sale type"):
        desk(salesperson, rooftop, sale_type="pcp")


def test_doc_fee_over_the_cap_is_refused(owner, rooftop, salesperson):
    us_setup(owner, rooftop)
    deal = desk(salesperson, rooftop, price="25000.00")
    with pytest.raises(ValidationError, match="capped at 350"):
        actions.add_line(salesperson, deal, kind="doc_fee", description="Doc", amount="499")


def test_stale_version_is_a_conflict(owner, rooftop, salesperson):
    deal = desk(salesperson, rooftop, price="25000.00")
    with pytest.raises(actions.DealVersionConflict):
        actions.update_deal(salesperson, deal, expected_version=deal.version + 1, price="1")


def test_cancel_releases_the_hold_and_refunds(owner, rooftop, salesperson):
    deal = desk(salesperson, rooftop, price="25000.00")
    actions.take_payment(salesperson, deal, method="card", amount="500")
    actions.submit_for_approval(salesperson, deal)
    actions.cancel_deal(salesperson, deal, reason="Changed mind")
    vehicle = Vehicle.objects.get(pk=deal.vehicle_id)
    assert vehicle.status == Status.AVAILABLE
    assert deal_numbers(deal).totals.payments == D("0.00")


def test_uk_standard_rated_new_car_shows_vat(owner, other_rooftop, make_user):
    seller = make_user(Role.SALESPERSON, rooftops=[other_rooftop])
    vehicle = car(owner, other_rooftop, condition="new")
    deal = desk(
        seller,
        other_rooftop,
        vehicle=vehicle,
        price="24000.00",
        buyer=uk_customer(seller, other_rooftop),
    )
    vat = deal_numbers(deal).vat
    assert (vat.treatment, vat.vat, vat.shows_vat) == ("standard", D("4000.00"), True)


def test_an_expired_hold_is_taken_again_when_contracting(owner, rooftop, salesperson):
    deal = desk(salesperson, rooftop, price="25000.00")
    actions.submit_for_approval(salesperson, deal)
    VehicleHold.objects.filter(vehicle_id=deal.vehicle_id).update(expires_at=timezone.now())
    inventory.release_expired_holds()
    assert Vehicle.objects.get(pk=deal.vehicle_id).status == Status.AVAILABLE
    actions.contract_deal(salesperson, deal)
    assert Vehicle.objects.get(pk=deal.vehicle_id).status == Status.ON_HOLD


def test_back_gross_comes_from_registered_providers(owner, rooftop, salesperson):
    deal = desk(salesperson, rooftop, price="25000.00")
    registry.register_back_gross("test", lambda d: D("750.00") if d.pk == deal.pk else D("0"))
    try:
        numbers = deal_numbers(deal)
        assert numbers.back_gross == D("750.00")
        assert numbers.total_gross == numbers.totals.front_gross + D("750.00")
    finally:
        registry.unregister_back_gross("test")
    assert deal_numbers(deal).back_gross == D("0.00")


def test_jacket_panels_show_to_the_roles_they_name(rf, salesperson, manager):
    registry.register_jacket_panel("x/_panel.html", lambda request, deal: {"deal": deal},
                                   "deals.approve_deal")  # fmt: skip
    try:
        request = rf.get("/")
        request.user = salesperson
        assert registry.jacket_panels(request, "D-1") == []
        request.user = manager
        assert registry.jacket_panels(request, "D-1") == [
            {"template": "x/_panel.html", "context": {"deal": "D-1"}}
        ]
    finally:
        registry._PANELS.pop("x/_panel.html")

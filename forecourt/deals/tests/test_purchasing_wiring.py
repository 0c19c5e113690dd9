"""Deals read and write purchasing: VAT and stock book from the purchase record, trades
recorded as purchases with their appraisals closed, the floor plan paid off at delivery."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from forecourt.accounts.roles import Role
from forecourt.deals import actions
from forecourt.deals.models import Deal
from forecourt.deals.numbers import deal_numbers
from forecourt.deals.stockbook import stock_book_rows
from forecourt.deals.tests.factories import desk, trade_fields, us_setup
from forecourt.inventory import actions as inventory
from forecourt.inventory.models import Status, Vehicle
from forecourt.purchasing.condition import actions as appraisals
from forecourt.purchasing.condition.models import AppraisalStatus
from forecourt.purchasing.reads import purchase_for
from forecourt.purchasing.stocking import actions as stocking
from forecourt.purchasing.stocking.models import Flooring, FlooringStatus
from forecourt.purchasing.tests.factories import buy, facility

pytestmark = pytest.mark.django_db


def _bought(owner, rooftop, price, **kw) -> Vehicle:
    invoice = buy(owner, rooftop, price, **kw)
    vehicle = invoice.lines.get().vehicle
    inventory.change_status(owner, vehicle, to_status=Status.AVAILABLE, reason="front line")
    vehicle.refresh_from_db()
    return vehicle


def _sell(seller, manager, deal, **deliver) -> Deal:
    actions.approve_deal(manager, deal)
    actions.contract_deal(seller, deal)
    balance = deal_numbers(deal).totals.balance_due
    actions.take_payment(seller, deal, method="bank_transfer", amount=balance)
    return actions.deliver_deal(seller, deal, odometer=40000, **deliver)


def test_a_floored_car_sold_through_a_deal_pays_off_its_floor_plan(owner, rooftop, salesperson):
    manager = owner
    us_setup(owner, rooftop)
    vehicle = _bought(owner, rooftop, "15000.00")
    today = timezone.localdate()
    line = stocking.floor_vehicle(
        owner, facility(owner, rooftop), vehicle, floored_on=today - timedelta(days=10)
    )
    stocking.accrue_interest(today)  # accrues the days before today
    vehicle.refresh_from_db()
    interest = vehicle.true_cost - vehicle.acquisition_cost
    # 10 days (floored 10 days ago, today not yet) of 15,000 at 7.30 % / 365: 3.00 a day.
    assert interest == D("30.00")
    deal = desk(salesperson, rooftop, vehicle=vehicle, price="18000.00")
    numbers = deal_numbers(deal)
    assert numbers.true_cost == vehicle.true_cost
    assert numbers.totals.front_gross == D("18000.00") - D("15000.00") - interest
    _sell(salesperson, manager, deal)
    flooring = Flooring.objects.get(pk=line.pk)
    assert (flooring.status, flooring.principal) == (FlooringStatus.PAID_OFF, D("0.00"))
    assert flooring.sold_on == today


def test_a_uk_margin_car_bought_on_an_invoice_is_on_the_stock_book(owner, other_rooftop, make_user):
    seller = make_user(Role.SALESPERSON, rooftops=[other_rooftop])
    manager = make_user(Role.SALES_MANAGER, rooftops=[other_rooftop])
    vehicle = _bought(owner, other_rooftop, "8000.00", seller_reference="LOT-4471")
    inventory.add_cost(owner, vehicle, kind="reconditioning", amount="600.00")
    deal = desk(seller, other_rooftop, vehicle=vehicle, price="11000.00")
    numbers = deal_numbers(deal)
    # Margin from the purchase price, not the true cost: (11,000 - 8,000) / 6.
    assert (numbers.vat.purchase_price, numbers.vat.margin, numbers.vat.vat) == (
        D("8000.00"),
        D("3000.00"),
        D("500.00"),
    )
    _sell(seller, manager, deal)
    [row] = stock_book_rows(Deal.objects.filter(pk=deal.pk))
    bought = purchase_for(vehicle).invoice
    assert (row.purchase_invoice, row.seller, row.purchase_date) == (
        "LOT-4471",
        str(bought.seller),
        bought.purchased_on,
    )
    assert (row.purchase_price, row.margin, row.vat_due) == (
        D("8000.00"),
        D("3000.00"),
        D("500.00"),
    )


def test_a_uk_trade_is_bought_at_its_allowance_and_costs_its_acv(owner, other_rooftop, make_user):
    seller = make_user(Role.SALESPERSON, rooftops=[other_rooftop])
    manager = make_user(Role.SALES_MANAGER, rooftops=[other_rooftop])
    fields = trade_fields(acv="1500.00", allowance="1800.00", plate="AB12CDE")
    appraisal = appraisals.create_appraisal(
        seller, other_rooftop, vin=fields["vin"], year=2016, make="Ford", model="Focus",
        grade="fair", acv="1500.00", offer="1500.00",
        expires_on=timezone.localdate() + timedelta(days=7),
    )  # fmt: skip
    vehicle = _bought(owner, other_rooftop, "8000.00")
    deal = desk(seller, other_rooftop, vehicle=vehicle, price="11000.00")
    trade = actions.add_trade(seller, deal, **fields)
    _sell(seller, manager, deal)
    trade.refresh_from_db()
    unit = trade.vehicle
    line = purchase_for(unit)
    assert (line.price, line.vat_treatment, unit.acquisition_cost) == (
        D("1800.00"),
        "margin",
        D("1500.00"),
    )
    assert str(line.invoice.seller) == str(deal.buyer)
    appraisal.refresh_from_db()
    assert (appraisal.status, appraisal.purchase_line_id) == (AppraisalStatus.TRADED_IN, line.pk)

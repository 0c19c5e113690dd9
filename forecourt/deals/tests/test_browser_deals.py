"""End-to-end in headless Chromium: desk -> approve -> contract -> deliver, a US cash deal
with a trade-in and a UK margin-scheme sale, then an unwind; no console (CSP) errors."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from forecourt.accounts.roles import Role
from forecourt.accounts.testing import restore_roles
from forecourt.deals.models import Deal
from forecourt.deals.numbers import deal_numbers
from forecourt.deals.tests.factories import car, trade_fields, uk_customer, us_customer, us_setup
from forecourt.inventory.models import Vehicle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def roles():
    restore_roles()


def as_user(page, browser_sign_in, client_for, user):
    page.context.clear_cookies()
    browser_sign_in(client_for(user))


def move(page, button, **fields):
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name=button, exact=True).click()


def sell(page, live_server, browser_sign_in, client_for, seller, manager, vehicle, buyer):
    from playwright.sync_api import expect

    as_user(page, browser_sign_in, client_for, seller)
    page.goto(f"{live_server.url}/inventory/{vehicle.pk}/")
    page.get_by_role("button", name="Desk a deal").click()
    page.get_by_label("Buyer").select_option(str(buyer.pk))
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Price").fill("11000")
    page.get_by_role("button", name="Desk the deal").click()
    page.wait_for_url(re.compile(r"/deals/\d+/$"))
    deal = Deal.objects.get(vehicle=vehicle)

    # Live recalculation: a lower price is swapped in without a reload, below the floor.
    page.get_by_label("Price").fill("10500")
    page.get_by_label("Discount").click()
    expect(page.locator("#n-vehicle-price")).to_contain_text("10,500.00")
    expect(page.locator("#approval-reasons")).to_contain_text("below the vehicle's floor")

    page.locator("summary", has_text="Add a trade-in").click()
    trade = trade_fields(acv="1500.00", allowance="1500.00")
    for label, name in (("VIN", "vin"), ("Year", "year"), ("Make", "make"), ("Model", "model"),
                        ("ACV", "acv"), ("Allowance", "allowance")):  # fmt: skip
        page.get_by_label(label, exact=True).fill(str(trade[name]))
    page.get_by_role("button", name="Add trade-in").click()
    expect(page.get_by_text("Trade-in added.")).to_be_visible()
    move(page, "Submit for approval")
    expect(page.locator("#deal-status")).to_have_text("Pending approval")

    as_user(page, browser_sign_in, client_for, manager)
    page.goto(f"{live_server.url}/deals/{deal.pk}/")
    move(page, "Approve", **{"Reason / note": "Aged unit"})
    expect(page.locator("#deal-status")).to_have_text("Approved")

    as_user(page, browser_sign_in, client_for, seller)
    page.goto(f"{live_server.url}/deals/{deal.pk}/")
    move(page, "Contract (signed)")
    expect(page.locator("#deal-status")).to_have_text("Contracted")
    deal.refresh_from_db()
    due = deal_numbers(deal).totals.balance_due
    page.locator("summary", has_text="Take a payment").click()
    page.get_by_label("Method").select_option("card")
    page.get_by_label("Amount", exact=True).fill(str(due))
    page.get_by_role("button", name="Take payment").click()
    expect(page.get_by_text("Payment taken.")).to_be_visible()
    move(page, "Deliver", **{"Odometer disclosed": str(vehicle.odometer)})
    expect(page.locator("#deal-status")).to_have_text("Delivered")
    return deal


def test_us_and_uk_deals_from_desk_to_delivery_and_an_unwind(
    page, live_server, browser_sign_in, make_user, rooftop, other_rooftop, client_for, owner
):
    from playwright.sync_api import expect

    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    us_setup(owner, rooftop)
    seller = make_user(Role.SALESPERSON, rooftops=[rooftop])
    manager = make_user(Role.SALES_MANAGER, rooftops=[rooftop, other_rooftop])
    vehicle = car(owner, rooftop, acquisition_cost=Decimal("8000"), floor_price=Decimal("10800"))
    us_deal = sell(page, live_server, browser_sign_in, client_for, seller, manager, vehicle,
                   us_customer(owner, rooftop))  # fmt: skip
    vehicle.refresh_from_db()
    assert vehicle.status == "delivered"
    assert Vehicle.objects.filter(vin=us_deal.trades.get().vin, status="incoming").exists()
    href = page.get_by_role("link", name="Buyer's order").get_attribute("href")
    pdf = page.request.get(f"{live_server.url}{href}")  # the browser's session
    assert pdf.headers["content-type"] == "application/pdf"

    uk_seller = make_user(Role.SALESPERSON, rooftops=[other_rooftop])
    uk_car = car(
        owner, other_rooftop, acquisition_cost=Decimal("8000"), floor_price=Decimal("10800")
    )
    uk_deal = sell(page, live_server, browser_sign_in, client_for, uk_seller, manager, uk_car,
                   uk_customer(owner, other_rooftop))  # fmt: skip
    expect(page.get_by_text("Invoice INV-000001")).to_be_visible()
    expect(page.locator("#n-vat")).to_have_text("for cost roles")  # 1/6 of the margin

    as_user(page, browser_sign_in, client_for, manager)
    page.goto(f"{live_server.url}/deals/{uk_deal.pk}/")
    expect(page.locator("#n-vat")).to_contain_text("416.67")  # (10,500 - 8,000) / 6
    move(page, "Unwind", **{"Reason / note": "Customer rejected the car"})
    expect(page.locator("#deal-status")).to_have_text("Unwound")
    uk_car.refresh_from_db()
    assert uk_car.status == "available"
    assert errors == []

"""End-to-end in headless Chromium: a salesperson receives, prices, finds (with filters),
holds and sells a vehicle; htmx filtering never reloads the page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from forecourt.accounts.roles import Role
from forecourt.inventory.models import Vehicle
from forecourt.inventory.tests.factories import make_vin, receive

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_receive_price_find_hold_and_sell(
    page, live_server, browser_sign_in, make_user, rooftop, client_for
):
    seller = make_user(Role.SALESPERSON)
    for _ in range(3):
        receive(seller, rooftop, make="Ford", model="Focus")
    browser_sign_in(client_for(seller))

    # Receive: the VIN prefills make and year through the decoder.
    vin = make_vin("1HGCV1F3", "L")  # position 7 a letter: the 2010+ cycle, L = 2020
    page.goto(f"{live_server.url}/inventory/receive/")
    page.get_by_label("VIN").fill(vin)
    page.get_by_label("VIN").press("Tab")
    expect(page.locator(".decode-result")).to_be_visible()
    page.wait_for_load_state("networkidle")  # the decode swap is done before typing on
    expect(page.get_by_label("Make")).to_have_value("Honda")
    expect(page.get_by_label("Year")).to_have_value("2020")
    page.get_by_label("Model", exact=True).fill("Accord")
    page.get_by_label("Acquisition source").select_option("trade_in")
    page.get_by_label("Status", exact=True).select_option("available")
    page.get_by_label("List price").fill("21000")
    page.get_by_role("button", name="Receive", exact=True).click()
    page.wait_for_url(re.compile(r"/inventory/\d+/$"))
    vehicle = Vehicle.objects.get(vin=vin)

    # Price: the button opens a small dialog with the price form.
    page.get_by_role("button", name="Change price").click()
    expect(page.locator("#price-dialog")).to_be_visible()
    page.locator("#price-dialog").get_by_label("List price").fill("19995")
    page.get_by_role("button", name="Save prices").click()
    # The dialog's form is boosted (htmx): the page is swapped, its URL stays the page's.
    expect(page.locator("#list-price")).to_have_text("$19,995.00")
    assert page.url == f"{live_server.url}/inventory/{vehicle.pk}/"

    # Find with filters: htmx swaps the results and pushes the URL (bookmarkable).
    page.goto(f"{live_server.url}/inventory/")
    page.locator("summary", has_text="Filters").click()
    page.get_by_label("Make").fill("Honda")
    page.get_by_label("Price to").fill("20000")
    page.get_by_label("Price to").press("Enter")
    page.wait_for_url(re.compile(r"make=Honda.*price_max=20000"))
    results = page.locator("#results tbody tr")
    expect(results).to_have_count(1)
    assert vehicle.stock_number in results.first.inner_text()
    page.get_by_label("Search").fill(vin[-6:])
    page.wait_for_url(re.compile(rf"q={vin[-6:]}"))
    page.get_by_role("link", name=vehicle.stock_number).click()

    # Hold, then sell through a status change.
    page.get_by_role("button", name="Hold for deal").click()
    page.get_by_label("Deal", exact=True).fill("D-2001")
    page.get_by_role("button", name="Hold vehicle").click()
    expect(page.get_by_text("On hold for deal D-2001 until")).to_be_visible()
    page.get_by_role("button", name="Change status").click()
    status_dialog = page.locator("#status-dialog")
    status_dialog.get_by_label("Status", exact=True).select_option("sold")
    status_dialog.get_by_label("Reason").fill("Deal D-2001 signed")
    status_dialog.get_by_role("button", name="Save status").click()
    expect(page.get_by_text("Status is now Sold.")).to_be_visible()
    assert page.url == f"{live_server.url}/inventory/{vehicle.pk}/"
    vehicle.refresh_from_db()
    assert vehicle.status == "sold"
    assert vehicle.status_changes.first().reason == "Deal D-2001 signed"  # the latest
    assert vehicle.list_price == 19995

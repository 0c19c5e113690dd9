"""In Chromium: a failed form on the vehicle page (an empty hold) shows its errors and
leaves the address bar on the vehicle page, so a reload shows the page, not a 405."""

from __future__ import annotations

import pytest

from forecourt.accounts.roles import Role
from forecourt.inventory.tests.factories import receive

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_a_failed_hold_keeps_the_vehicle_page_url(
    page, live_server, browser_sign_in, make_user, rooftop, client_for
):
    from playwright.sync_api import expect

    seller = make_user(Role.SALESPERSON)
    vehicle = receive(seller, rooftop)
    browser_sign_in(client_for(seller))
    page_url = f"{live_server.url}/inventory/{vehicle.pk}/"
    page.goto(page_url)
    page.get_by_role("button", name="Hold for deal").click()  # opens the hold dialog
    page.get_by_role("button", name="Hold vehicle").click()
    expect(page.locator(".field-errors").first).to_contain_text("This field is required")
    assert page.url == page_url
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_contain_text(vehicle.make)
    # Typed straight into the address bar, the POST-only URL leads to the page too.
    page.goto(f"{page_url}hold/")
    assert page.url == page_url
    # A successful hold still lands on the page, with its message.
    page.get_by_role("button", name="Hold for deal").click()
    page.get_by_label("Deal", exact=True).fill("D-42")
    page.get_by_role("button", name="Hold vehicle").click()
    expect(page.get_by_text("On hold for deal D-42.")).to_be_visible()
    assert page.url == page_url

"""In headless Chromium: "Screen now" swaps the compliance panel in place (htmx under the
strict CSP, no console errors); a manager clears the possible match with a reason."""

from __future__ import annotations

import pytest

from forecourt.customers.compliance import actions
from forecourt.customers.models import Customer, OfacStatus
from forecourt.customers.tests.compliance_factories import make_customer
from forecourt.customers.tests.test_ofac import ALIASES, SDN

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_screen_now_and_clear_in_the_panel(
    page, live_server, browser_sign_in, make_user, rooftop, client_for
):
    from playwright.sync_api import expect

    from forecourt.accounts.roles import Role

    actions.import_sdn_list(None, SDN, aliases_path=ALIASES, version="2026-11")
    customer = make_customer(rooftop, first_name="Ivan", last_name="Petrov")

    browser_sign_in(client_for(make_user(Role.SALES_MANAGER)))
    page.goto(f"{live_server.url}/customers/{customer.pk}/compliance/")
    page.evaluate("window.notReloaded = true")  # gone if the page reloads
    page.get_by_role("button", name="Screen now").click()
    expect(page.locator("#ofac-status")).to_have_text("Possible match (delivery blocked)")
    expect(page.get_by_text("#1006 PETROV, Ivan Sergeyevich")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True

    page.get_by_label("Reason").first.fill("Born 1990; the listed person in 1965.")
    page.get_by_role("button", name="Clear: not the listed party").click()
    expect(page.locator("#ofac-status")).to_have_text("Cleared by a manager")
    expect(page.get_by_text("Possible OFAC match cleared.")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    assert Customer.objects.get(pk=customer.pk).ofac_status == OfacStatus.CLEARED

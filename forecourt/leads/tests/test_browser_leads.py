"""End-to-end in headless Chromium: a salesperson takes a walk-in (customer + lead), records
a test drive on a vehicle in stock (start and finish), sets a follow-up for today and sees it
on My day; a manager reassigns leads in bulk."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from forecourt.accounts.roles import Role
from forecourt.inventory.tests.factories import receive
from forecourt.leads.models import Activity, Lead
from forecourt.leads.tests.factories import make_customer, make_lead

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_walk_in_test_drive_follow_up_and_my_day_then_bulk_reassign(
    page, live_server, browser_sign_in, make_user, rooftop, client_for
):
    from playwright.sync_api import expect

    seller = make_user(Role.SALESPERSON, full_name="Sam Seller")
    vehicle = receive(seller, rooftop, make="Honda", model="CR-V", odometer=12000)
    browser_sign_in(client_for(seller))

    # The walk-in: one form makes the customer and the lead.
    page.goto(f"{live_server.url}/leads/my-day/")
    page.get_by_role("button", name="Take a walk-in").click()
    page.get_by_label("First name").fill("Wendy")
    page.get_by_label("Last name").fill("Walkin")
    page.get_by_label("Mobile phone").fill("(415) 555-0142")
    page.get_by_label("May we text?").check()
    page.get_by_label("Vehicle of interest (in stock)").select_option(str(vehicle.pk))
    page.get_by_role("button", name="Save walk-in").click()
    page.wait_for_url(re.compile(r"/leads/\d+/$"))
    lead = Lead.objects.get(customer__last_name="Walkin")
    assert lead.owner == seller
    assert lead.vehicle == vehicle

    # A test drive out and back, on the lead page's timeline (htmx swaps, no reload).
    page.locator("summary", has_text="Start a test drive").click()
    page.get_by_label("Vehicle", exact=True).select_option(str(vehicle.pk))
    page.get_by_label("Driver's licence number").fill("W1234567")
    page.get_by_label("Licence state").fill("CA")
    page.get_by_label("Odometer out").fill("12000")
    page.get_by_role("button", name="Start test drive", exact=True).click()
    expect(page.get_by_text("Test drive started.")).to_be_visible()
    expect(page.locator(".licence")).to_have_text("****4567")
    page.get_by_label("Odometer in").fill("12014")
    page.get_by_role("button", name="Finish test drive").click()
    expect(page.get_by_text("Test drive finished.")).to_be_visible()
    drive = Activity.objects.get(kind="test_drive")
    assert (drive.odometer_out, drive.odometer_in) == (12000, 12014)

    # A follow-up for today shows on My day.
    page.get_by_role("button", name="Set follow-up").click()  # opens its dialog
    dialog = page.locator("#lead-follow-up-dialog")
    dialog.get_by_label("Next follow-up", exact=True).fill(timezone.localdate().isoformat())
    dialog.get_by_role("button", name="Save follow-up").click()
    expect(page.get_by_text("Follow-up date set.")).to_be_visible()
    page.get_by_role("link", name="My day").click()
    follow_ups = page.locator("#follow-ups")
    expect(follow_ups.get_by_role("link", name="Wendy Walkin")).to_be_visible()
    assert "Today" in follow_ups.inner_text()

    # A manager gives the salesperson's leads to a colleague, in bulk.
    other = make_lead(seller, rooftop, make_customer(seller, rooftop, first_name="Otto"))
    colleague = make_user(Role.SALESPERSON, full_name="Cora Colleague")
    manager = make_user(Role.SALES_MANAGER, full_name="Mia Manager")
    page.context.clear_cookies()
    browser_sign_in(client_for(manager))
    page.goto(f"{live_server.url}/leads/list/")
    page.get_by_label(f"Select lead #{lead.pk}").check()
    page.get_by_label(f"Select lead #{other.pk}").check()
    page.get_by_label("New owner").select_option(str(colleague.pk))
    page.get_by_role("button", name="Reassign selected").click()
    expect(page.get_by_text("2 lead(s) now belong to Cora Colleague")).to_be_visible()
    assert set(Lead.objects.values_list("owner_id", flat=True)) == {colleague.pk}

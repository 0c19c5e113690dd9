"""Every main screen in headless Chromium (issue 18): axe-core finds no serious or critical
accessibility violation; the lead board shows all its columns and the owner's header one
row at 1366px; on a 390px phone lists are cards, nothing scrolls sideways and the menu sits
behind a Menu button; "/" reaches the header search; htmx adds no inline style.

The leads app holds these tests because its pages sit on top of inventory and customers:
one set of demo-like records covers every department's screens."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from forecourt.accounts.roles import Role
from forecourt.core.testing import axe_violations
from forecourt.customers.tests.factories import make_customer
from forecourt.inventory.tests.factories import receive
from forecourt.leads.actions import change_lead_status
from forecourt.leads.models import LeadStatus
from forecourt.leads.tests.factories import make_lead

pytestmark = [pytest.mark.browser]

PATH_TO = {
    LeadStatus.NEW: [],
    LeadStatus.CONTACTED: [LeadStatus.CONTACTED],
    LeadStatus.APPOINTMENT: [LeadStatus.APPOINTMENT],
    LeadStatus.SHOWN: [LeadStatus.SHOWN],
    LeadStatus.QUOTED: [LeadStatus.SHOWN, LeadStatus.QUOTED],
    LeadStatus.WON: [LeadStatus.SHOWN, LeadStatus.QUOTED, LeadStatus.WON],
    LeadStatus.LOST: [LeadStatus.LOST],
}
LAPTOP = {"width": 1366, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def records(make_user, rooftop):
    """A vehicle, a customer and a lead in every column of the board, owned by a seller
    with a long name (the board's cards and the header must still fit)."""
    cache.clear()  # the dashboard's stock counts are cached per set of rooftop ids
    seller = make_user(Role.SALESPERSON, full_name="Maximiliana Featherstonehaugh-Smythe")
    vehicle = receive(seller, rooftop, make="Toyota", model="RAV4", trim="XLE", engine="")
    customer = make_customer(
        seller,
        rooftop,
        first_name="Wendy",
        last_name="Walker",
        email="wendy.walker@example.com",
        mobile_phone="+12175552671",
    )
    leads = {}
    for status in LeadStatus:
        lead = make_lead(seller, rooftop, customer, vehicle=vehicle)
        for step in PATH_TO[status]:  # the pipeline's legal moves, one at a time
            reason = "bought_elsewhere" if step == LeadStatus.LOST else ""
            lead = change_lead_status(seller, lead, to_status=step, lost_reason=reason)
        leads[status] = lead
    return {"seller": seller, "vehicle": vehicle, "customer": customer, "leads": leads}


def main_pages(records):
    vehicle, customer = records["vehicle"], records["customer"]
    lead = records["leads"][LeadStatus.NEW]
    return [
        "/",
        "/inventory/",
        f"/inventory/{vehicle.pk}/",
        "/inventory/receive/",
        "/customers/",
        f"/customers/{customer.pk}/",
        "/leads/",
        "/leads/list/",
        f"/leads/{lead.pk}/",
        "/leads/my-day/",
        "/leads/walk-in/",
        f"/search/?q={vehicle.stock_number}",
        "/audit/",
        "/accounts/users/",
        "/accounts/rooftops/",
        "/system/",
        "/security/sessions/",
    ]


@pytest.mark.django_db(transaction=True)
def test_every_main_page_passes_axe(page, live_server, browser_sign_in, client_for, owner, records):
    browser_sign_in(client_for(owner))
    page.set_viewport_size(LAPTOP)
    found = {}
    for path in main_pages(records):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")  # the htmx partials are in
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    assert not found, found


@pytest.mark.django_db(transaction=True)
def test_the_lead_board_and_the_owners_header_fit_a_laptop(
    page, live_server, browser_sign_in, client_for, owner, records
):
    browser_sign_in(client_for(owner))  # the owner has the most menu entries
    page.set_viewport_size(LAPTOP)
    page.goto(f"{live_server.url}/leads/")
    columns = page.locator(".lead-column")
    expect(columns).to_have_count(len(LeadStatus))
    for label in ("Won", "Lost"):
        heading = page.get_by_role("heading", name=re.compile(rf"^{label}\b"))
        box = heading.bounding_box()
        assert box["x"] + box["width"] <= LAPTOP["width"], f"{label} is off-screen: {box}"
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]
    # The header is one row: brand, departments, search, Admin and the user's menu.
    tops = [
        page.locator(selector).bounding_box()
        for selector in (".brand", ".main-nav", "#global-search", ".admin-menu", ".user-menu")
    ]
    centres = {round(box["y"] + box["height"] / 2) for box in tops}
    assert max(centres) - min(centres) <= 8, tops
    assert page.locator("header.site-header").bounding_box()["height"] < 100


@pytest.mark.django_db(transaction=True)
def test_on_a_phone_lists_are_cards_and_the_menu_opens_from_its_button(
    page, live_server, browser_sign_in, client_for, owner, records
):
    browser_sign_in(client_for(owner))
    page.set_viewport_size(PHONE)
    for path in ("/", "/inventory/", "/customers/", "/leads/list/", "/leads/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width}px wide on a {PHONE['width']}px phone"
    for path, table in (
        ("/", "#dashboard-stock ~ figure table"),
        ("/inventory/", "#results table"),
        ("/customers/", "table.cards"),
        ("/leads/list/", "table.cards"),
    ):
        page.goto(f"{live_server.url}{path}")
        head = page.locator(f"{table} thead").first.bounding_box()
        assert head is None or head["height"] <= 1, f"{path}: the table head still shows"
        card = page.locator(f"{table} tbody tr").first.bounding_box()
        assert card["width"] <= PHONE["width"], path
        # Price and status stay on screen: every labelled cell lies inside the card.
        for cell in page.locator(f"{table} tbody tr").first.locator("[data-label]").all():
            box = cell.bounding_box()
            assert box["x"] + box["width"] <= PHONE["width"], (path, cell.inner_text())
    page.goto(f"{live_server.url}/inventory/")
    assert "$19,995.00" in page.locator("#results tbody tr").first.inner_text()
    # The menu: hidden behind its button, opened and closed by it.
    menu_button = page.get_by_role("button", name="Menu")
    expect(menu_button).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("link", name="Customers")).to_be_hidden()
    menu_button.click()
    expect(menu_button).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="Customers")).to_be_visible()
    page.locator(".admin-menu summary").click()
    expect(page.get_by_role("link", name="Audit log")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator(".admin-menu summary").click()  # closes it again
    page.get_by_role("link", name="Customers").click()
    page.wait_for_url(f"{live_server.url}/customers/")


@pytest.mark.django_db(transaction=True)
def test_slash_reaches_the_header_search_from_any_page(
    page, live_server, browser_sign_in, client_for, records
):
    browser_sign_in(client_for(records["seller"]))
    vehicle, customer = records["vehicle"], records["customer"]
    page.goto(f"{live_server.url}/leads/my-day/")
    page.keyboard.press("/")
    expect(page.locator("#global-search")).to_be_focused()
    page.keyboard.type(vehicle.vin[-6:])
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    page.get_by_role("link", name=re.compile("Toyota RAV4")).click()
    page.wait_for_url(f"{live_server.url}/inventory/{vehicle.pk}/")
    # On a phone the menu opens to show the box.
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/customers/")
    page.locator("body").click(position={"x": 5, "y": 400})
    page.keyboard.press("/")
    expect(page.locator("#global-search")).to_be_focused()
    page.keyboard.type("(217) 555-2671")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Wendy Walker").click()
    page.wait_for_url(f"{live_server.url}/customers/{customer.pk}/")
    # Typing "/" in a field stays a character.
    page.goto(f"{live_server.url}/inventory/")
    page.locator("#id_q").fill("")
    page.locator("#id_q").type("a/b")
    expect(page.locator("#id_q")).to_have_value("a/b")


@pytest.mark.django_db(transaction=True)
def test_htmx_swaps_add_no_inline_style(page, live_server, browser_sign_in, client_for, records):
    """htmx's indicator styles would be an inline <style> the CSP refuses (a console error
    the page fixture fails on); the htmx-config meta turns them off."""
    browser_sign_in(client_for(records["seller"]))
    page.goto(f"{live_server.url}/inventory/")
    page.locator("summary", has_text="Filters").click()
    page.get_by_label("Make").fill("Toyota")
    page.get_by_label("Make").press("Enter")
    page.wait_for_url(re.compile(r"make=Toyota"))
    expect(page.locator("#results tbody tr")).to_have_count(1)
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    assert page.locator("style").count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_lead_page_shows_how_to_reach_the_customer(
    page, live_server, browser_sign_in, client_for, records
):
    browser_sign_in(client_for(records["seller"]))
    lead = records["leads"][LeadStatus.NEW]
    page.goto(f"{live_server.url}/leads/{lead.pk}/")
    contact = page.locator("#lead-contact")
    expect(contact.get_by_role("link", name="+1 217-555-2671")).to_have_attribute(
        "href", "tel:+12175552671"
    )
    expect(contact.get_by_role("link", name="wendy.walker@example.com")).to_be_visible()
    contact.get_by_role("link", name="Customer record").click()
    page.wait_for_url(f"{live_server.url}/customers/{records['customer'].pk}/")
    # The actions open small dialogs; Escape closes them.
    page.go_back()
    page.get_by_role("button", name="Set follow-up").click()
    expect(page.locator("#lead-follow-up-dialog")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#lead-follow-up-dialog")).to_be_hidden()

"""The header on a phone (a Menu button, no sideways strip) and the browser suite's own
checks: axe-core reports what it should, and a console error fails a test."""

import pytest
from playwright.sync_api import expect

from forecourt.core.testing import axe_violations

pytestmark = pytest.mark.browser


def test_axe_reports_a_serious_violation(page):
    page.set_content(
        "<!DOCTYPE html><html lang='en'><body><main><button></button></main></body></html>"
    )
    violations = axe_violations(page)
    assert any(v.startswith("button-name (critical)") for v in violations), violations


@pytest.mark.django_db(transaction=True)
def test_the_phone_header_is_one_row_with_a_menu_button(
    page, live_server, browser_sign_in, client_for, owner
):
    browser_sign_in(client_for(owner))  # the owner has the longest menu
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    header = page.locator("header.site-header").bounding_box()
    assert header["height"] < 100, header
    expect(page.locator("#site-menu")).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    links = page.locator("ul.main-nav a")
    assert links.count() >= 5
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box["x"] + box["width"] <= 390, links.nth(i).inner_text()
    expect(page.get_by_role("button", name="Sign out")).to_be_hidden()  # in the user's menu
    page.locator(".user-menu summary").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # A laptop shows the whole bar, no button.
    page.set_viewport_size({"width": 1366, "height": 800})
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.locator("ul.main-nav")).to_be_visible()

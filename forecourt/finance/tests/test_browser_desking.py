"""End-to-end in headless Chromium: an F&I manager desks a deal, solves for a payment,
presents the menu, chooses a column and prints the Truth in Lending summary. No console
errors (a CSP violation is one)."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_desk_solve_menu_and_print(
    page, live_server, browser_sign_in, make_user, rooftop, client_for
):
    from playwright.sync_api import expect

    from forecourt.accounts.roles import Role
    from forecourt.finance.tests import factories

    manager = make_user(Role.FI_MANAGER)
    menu = factories.menu(manager, rooftop)
    browser_sign_in(client_for(manager))
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    page.goto(f"{live_server.url}/finance/desk/")
    page.get_by_label("Cash price").fill("25000")
    page.get_by_label("APR (%)").fill("6.9")
    page.get_by_label("Term (months)").fill("72")
    page.get_by_label("Sales tax (%)").fill("6.25")
    page.get_by_label("Scenario terms").fill("60, 72, 84")
    page.get_by_label("Scenario downs").fill("0, 2000")
    page.get_by_label("Solve for").select_option("price")
    page.get_by_label("Target payment").fill("400")
    page.get_by_label("Menu").select_option(str(menu.pk))
    page.get_by_label("Tax jurisdiction").fill("US-TX")
    page.get_by_role("button", name="Calculate").click()

    # Three terms x two downs, side by side.
    expect(page.locator("#scenario-grid tbody tr")).to_have_count(6)
    solved = page.get_by_test_id("solved-payment").inner_text()
    assert float(solved.strip("$").replace(",", "")) <= 400

    # Take the solved price: the payment the page now shows is the one solve-for showed.
    page.locator("#use-solution").click()
    page.wait_for_url(re.compile(r"price=2"))
    expect(page.get_by_test_id("payment")).to_have_text(solved)

    # Present the menu; choosing a column finances its products.
    better = page.locator("#menu article", has_text="Better")
    better_payment = better.locator("p").first.inner_text().split(" a month")[0]
    better.get_by_role("button", name="Choose Better").click()
    page.wait_for_url(re.compile(r"products=2790"))
    expect(page.get_by_test_id("payment")).to_have_text(better_payment)

    # Print: the disclosure repeats the payment the screen shows.
    href = page.locator("#print-disclosure").get_attribute("href")
    response = page.request.get(f"{live_server.url}/finance/desk/{href}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.body())).pages[0].extract_text()
    assert better_payment in text
    assert "FINANCE CHARGE" in text
    assert errors == []

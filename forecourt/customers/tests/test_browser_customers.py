"""End-to-end in headless Chromium: a salesperson takes a walk-in (the duplicate warning
included); an F&I Manager reveals an SSN with the htmx button (strict CSP) and the reveal
is in the audit log."""

from __future__ import annotations

import re

import pytest

from forecourt.core.models import AuditEntry
from forecourt.customers.models import Customer
from forecourt.customers.tests.factories import make_customer

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_walk_in_then_fi_manager_reveals_the_ssn(
    page, live_server, browser_sign_in, make_user, rooftop, client_for
):
    from playwright.sync_api import expect

    from forecourt.accounts.roles import Role

    seller = make_user(Role.SALESPERSON)
    existing = make_customer(seller, rooftop, email="maria@example.com")
    browser_sign_in(client_for(seller))

    page.goto(f"{live_server.url}/customers/new/")
    page.get_by_label("First name").fill("María")
    page.get_by_label("Last name").fill("Garcia")
    page.get_by_label("Mobile phone").fill("(217) 555 2671")
    page.get_by_label("Email", exact=True).fill("Maria@Example.com")
    page.get_by_label("SSN").fill("123-45-6789")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#duplicates")).to_contain_text(existing.display_name)
    page.get_by_label("SSN").fill("123-45-6789")  # sensitive inputs are never re-rendered
    page.get_by_role("button", name="Create anyway").click()
    page.wait_for_url(re.compile(r"/customers/\d+/$"))
    customer = Customer.objects.get(first_name="María")
    expect(page.locator("#reveal-ssn")).to_have_text("***-**-6789")
    expect(page.get_by_role("button", name="Reveal")).to_have_count(0)
    # The leads timeline and the compliance panel load into the page (htmx, strict CSP).
    expect(page.locator(".timeline h2")).to_have_text("Leads and activity")
    expect(page.locator("#compliance-title")).to_have_text("Compliance")

    fi_manager = make_user(Role.FI_MANAGER)
    page.context.clear_cookies()
    browser_sign_in(client_for(fi_manager))
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    page.locator("#sensitive").get_by_role("button", name="Reveal").first.click()
    expect(page.locator("#reveal-date_of_birth, #reveal-ssn").first).to_be_visible()
    ssn_row = page.locator("#reveal-ssn").locator("xpath=..")
    ssn_row.get_by_role("button", name="Reveal").click()
    expect(page.locator("#reveal-ssn")).to_have_text("123-45-6789")
    assert AuditEntry.objects.filter(
        action="reveal_field", actor=fi_manager, object_id=str(customer.pk), changes__has_key="ssn"
    ).exists()

"""On a phone (390px) wide tables scroll inside their box and long values wrap: the page
itself never scrolls sideways (customers, compliance, rooftops, sessions, system status)."""

import pytest

from forecourt.customers.tests.factories import make_customer

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_admin_and_customer_pages_fit_a_phone(
    page, live_server, browser_sign_in, client_for, owner, rooftop
):
    customer = make_customer(
        owner, rooftop, email="a.very.long.address.for.a.phone@customers.example-dealer.com"
    )
    browser_sign_in(client_for(owner))
    page.set_viewport_size({"width": 390, "height": 844})
    for path in (
        f"/customers/{customer.pk}/",
        f"/customers/{customer.pk}/compliance/",
        "/accounts/rooftops/",
        "/security/sessions/",
        "/system/",
    ):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")  # the htmx partials are in
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width}px wide on a 390px screen"


@pytest.mark.django_db(transaction=True)
def test_lead_and_customer_filters_are_usable_on_a_phone(
    page, live_server, browser_sign_in, client_for, owner
):
    browser_sign_in(client_for(owner))
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/leads/", "/leads/list/", "/customers/"):
        page.goto(f"{live_server.url}{path}")
        search = page.locator("#id_q").bounding_box()
        assert search["width"] >= 200, f"{path}: the search box is {search['width']}px wide"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path


@pytest.mark.django_db(transaction=True)
def test_the_new_departments_fit_a_phone(
    page, live_server, browser_sign_in, client_for, owner, rooftop
):
    """Lists become cards and every other table scrolls in its own box (forecourt.css), so
    the deals, F&I and buying pages never widen a 390px screen either."""
    from forecourt.deals.tests.factories import desk, us_setup

    us_setup(owner, rooftop)
    deal = desk(owner, rooftop, price="25000.00")
    browser_sign_in(client_for(owner))
    page.set_viewport_size({"width": 390, "height": 844})
    for path in (
        "/deals/",
        f"/deals/{deal.pk}/",
        "/deals/stock-book/",
        "/deals/settings/",
        "/finance/",
        "/finance/desk/",
        "/purchasing/",
        "/purchasing/recon/",
    ):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width}px wide on a 390px screen"

"""Layout on a phone: the header keeps to a few rows and the whole menu stays reachable."""

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_the_menu_takes_one_scrolling_row_on_a_phone(
    page, live_server, browser_sign_in, client_for, owner
):
    browser_sign_in(client_for(owner))  # the owner has the longest menu
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    header = page.locator("header.site-header").bounding_box()
    menu = page.locator("ul.main-nav")
    links = menu.locator("a")
    assert links.count() >= 10
    tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
    assert len(tops) == 1, f"menu items on {len(tops)} rows"
    assert header["height"] < 200, header
    # Every item is still there: the row scrolls sideways to the last one.
    assert menu.evaluate("m => m.scrollWidth > m.clientWidth")
    links.last.scroll_into_view_if_needed()
    assert links.last.is_visible()
    sign_out = page.get_by_role("button", name="Sign out")
    assert sign_out.bounding_box()["y"] < header["y"] + header["height"]
    # A wide screen is unchanged: the menu wraps instead of scrolling.
    page.set_viewport_size({"width": 1280, "height": 800})
    assert not menu.evaluate("m => m.scrollWidth > m.clientWidth")

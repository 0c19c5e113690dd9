"""End-to-end in headless Chromium: damage markers placed by mouse and by touch on an
emulated phone, and a car moved through recon to the front line. Any console error (a
CSP violation is one) fails the test."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.conf import settings

from forecourt.accounts.roles import Role
from forecourt.inventory.models import Vehicle
from forecourt.inventory.tests.factories import receive
from forecourt.purchasing.condition.diagram import HEIGHT, WIDTH
from forecourt.purchasing.condition.models import ConditionReport
from forecourt.purchasing.recon.models import ReconOrder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch_console(page):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def at(box, x, y):
    """A point of the diagram (its own coordinates) as a position inside the element."""
    return {"x": box["width"] * x / WIDTH, "y": box["height"] * y / HEIGHT}


def test_markers_by_mouse_and_by_touch_on_a_phone(
    page, live_server, browser_sign_in, make_user, rooftop, client_for, tmp_path
):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path
    manager = make_user(Role.SALES_MANAGER)
    vehicle = receive(manager, rooftop, status="incoming")
    client = client_for(manager)
    browser_sign_in(client)
    errors = watch_console(page)

    page.goto(f"{live_server.url}/purchasing/vehicles/{vehicle.pk}/condition/")
    diagram = page.locator("svg.damage-diagram")
    box = diagram.bounding_box()
    diagram.click(position=at(box, 150, 90))  # left side, front door
    diagram.click(position=at(box, 300, 240))  # roof, seen from above
    rows = page.locator("#marker-list .marker-row")
    expect(rows).to_have_count(2)
    rows.nth(0).locator(".marker-type").select_option("dent")
    rows.nth(0).locator(".marker-severity").select_option("moderate")
    rows.nth(0).locator(".marker-note").fill("Driver's door")
    rows.nth(1).locator(".marker-type").select_option("chip")
    page.get_by_label("Front left tread").fill("6")
    page.get_by_role("button", name="Sign report").click()
    page.wait_for_url(re.compile(r"/purchasing/condition-reports/\d+/$"))
    report = ConditionReport.objects.get()
    assert [(m["view"], m["type"], m["severity"]) for m in report.markers] == [
        ("left", "dent", "moderate"),
        ("top", "chip", "minor"),
    ]
    assert abs(report.markers[0]["x"] - 150) < 3
    assert abs(report.markers[0]["y"] - 90) < 3
    assert report.markers[0]["note"] == "Driver's door"
    expect(page.locator("svg.damage-diagram .marker")).to_have_count(2)

    # A phone: touch only, narrow screen.
    phone = page.context.browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
    )
    phone.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    mobile = phone.new_page()
    mobile.set_default_timeout(10_000)
    errors += watch_console(mobile)
    mobile.goto(f"{live_server.url}/purchasing/vehicles/{vehicle.pk}/condition/")
    mobile.get_by_label("Occasion").select_option("delivery")
    small = mobile.locator("svg.damage-diagram")
    small.scroll_into_view_if_needed()
    small.tap(position=at(small.bounding_box(), 450, 400))  # right side, rear wing
    expect(mobile.locator("#marker-list .marker-row")).to_have_count(1)
    mobile.locator(".marker-type").select_option("scratch")
    mobile.get_by_role("button", name="Sign report").tap()
    mobile.wait_for_url(re.compile(r"/purchasing/condition-reports/\d+/$"))
    delivery = ConditionReport.objects.get(occasion="delivery")
    [mark] = delivery.markers
    assert (mark["view"], mark["type"]) == ("right", "scratch")
    assert abs(mark["x"] - 450) < 3
    assert abs(mark["y"] - 400) < 3
    compare_link = mobile.get_by_role("link", name=re.compile("At purchase"))
    mobile.goto(live_server.url + compare_link.get_attribute("href"))
    expect(mobile.locator("#new-damage li")).to_have_count(1)
    phone.close()
    assert errors == []


def test_a_car_through_recon_to_the_front_line(
    page, live_server, browser_sign_in, make_user, rooftop, client_for
):
    from playwright.sync_api import expect

    manager = make_user(Role.SALES_MANAGER)
    vehicle = receive(manager, rooftop, status="incoming", acquisition_cost=Decimal("9000"))
    browser_sign_in(client_for(manager))
    errors = watch_console(page)

    page.goto(f"{live_server.url}/inventory/{vehicle.pk}/")
    page.get_by_role("button", name="Start recon").click()
    page.wait_for_url(re.compile(r"/purchasing/recon/\d+/$"))
    expect(page.locator("#current-stage")).to_have_text("Inspection")
    work = page.locator("#work-form")
    work.get_by_label("Description").fill("Two front tyres")
    work.get_by_label("Vendor").fill("Tyre Co")
    work.get_by_label("Estimate").fill("240")
    work.get_by_role("button", name="Add work").click()
    page.get_by_label("Actual cost of Two front tyres").fill("228.50")
    page.get_by_role("button", name="Done").click()
    expect(page.locator("#work-items")).to_contain_text("Done")

    order = ReconOrder.objects.get()
    page.goto(f"{live_server.url}/purchasing/recon/?rooftop={rooftop.pk}")
    card = page.locator(f"#recon-card-{order.pk}")
    card.get_by_label(re.compile("Move .* to")).select_option("detail")
    card.get_by_role("button", name="Move").click()
    expect(page.locator("[data-stage=detail]")).to_contain_text(vehicle.stock_number)
    card = page.locator(f"#recon-card-{order.pk}")
    card.get_by_label(re.compile("Move .* to")).select_option("front_line")
    card.get_by_role("button", name="Move").click()
    expect(page.locator("[data-stage=front_line]")).to_contain_text(vehicle.stock_number)
    vehicle.refresh_from_db()
    assert vehicle.status == "available"
    assert vehicle.true_cost == Decimal("9228.50")
    assert Vehicle.objects.get(pk=vehicle.pk).status == "available"
    assert errors == []

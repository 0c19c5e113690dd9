"""In Chromium: clicking a checkbox's label (its text, or the middle of the box) toggles that
box and no other. The walk-in's consent boxes are legal records (TCPA / PECR); the receive
form's "Is published" box has help text under it that must not intercept the click."""

from __future__ import annotations

import pytest

from forecourt.accounts.roles import Role

pytestmark = [pytest.mark.browser]

STATES = "els => els.map(e => e.checked)"


def click_each_label(page, form_selector: str) -> list[str]:
    """Click every checkbox's label text, then the box itself; the labels clicked."""
    boxes = page.locator(f"{form_selector} input[type=checkbox]")
    clicked = []
    for index in range(boxes.count()):
        box = boxes.nth(index)
        label = box.locator("xpath=ancestor::label[1]")
        assert label.count() == 1, f"checkbox {box.get_attribute('name')} is not in a label"
        before = boxes.evaluate_all(STATES)
        # The far end of the label: its text, not the box.
        size = label.bounding_box()
        label.click(position={"x": size["width"] - 3, "y": size["height"] / 2})
        after = boxes.evaluate_all(STATES)
        flipped = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
        assert flipped == [index], f"label {label.inner_text()!r} toggled boxes {flipped}"
        # The middle of the box itself (help text below must not cover it).
        box_size = box.bounding_box()
        page.mouse.click(
            box_size["x"] + box_size["width"] / 2, box_size["y"] + box_size["height"] / 2
        )
        assert boxes.evaluate_all(STATES) == before
        clicked.append(label.inner_text().strip())
    return clicked


@pytest.mark.django_db(transaction=True)
def test_walk_in_consent_labels_toggle_their_own_box(
    page, live_server, browser_sign_in, make_user, client_for
):
    seller = make_user(Role.SALESPERSON)
    browser_sign_in(client_for(seller))
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/leads/walk-in/")
    clicked = click_each_label(page, "main form")
    assert {"May we call?", "May we text?", "May we email?"} <= set(clicked)
    # Ticking "text" records text consent, and nothing else.
    page.get_by_text("May we text?").click()
    assert page.get_by_label("May we text?").is_checked()
    assert not page.get_by_label("May we call?").is_checked()
    assert not page.get_by_label("May we email?").is_checked()


@pytest.mark.django_db(transaction=True)
def test_receive_form_is_published_toggles_from_its_label_and_its_middle(
    page, live_server, browser_sign_in, make_user, client_for
):
    manager = make_user(Role.SALES_MANAGER)
    browser_sign_in(client_for(manager))
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/inventory/receive/")
        assert "Is published" in click_each_label(page, "#receive-form form")

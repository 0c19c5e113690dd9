"""End-to-end: a demo user signs in through headless Chromium and reaches the dashboard."""

import os
import shutil
from pathlib import Path

import pytest

from forecourt.accounts.demo import DEMO_PASSWORD, seed_accounts

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("FORECOURT_TEST_ARTIFACTS", "test-artifacts"))

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not os.environ.get("CI"),
        reason="Debian's chromium is not installed (.ci/run installs it)",
    ),
]


@pytest.fixture
def page(request, live_server):
    # Playwright's sync API runs an event loop in this thread; Django's ORM use from
    # the test body is still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page()
        page.set_default_timeout(10_000)
        yield page
        if getattr(request.node, "rep_call", None) and request.node.rep_call.failed:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        browser.close()


@pytest.mark.django_db(transaction=True)
def test_demo_user_signs_in_and_reaches_the_dashboard(page, live_server):
    seed_accounts()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/")
    page.get_by_label("Email").fill("sales.manager@demo.forecourt.test")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Good day, Sam").is_visible()
    assert page.get_by_role("link", name="Audit log").is_visible()
    assert page.get_by_role("link", name="Users").count() == 0
    assert not errors, f"browser console errors (CSP?): {errors}"

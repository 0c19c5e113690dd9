"""End-to-end: a demo user signs in through headless Chromium and reaches the dashboard."""

import base64

import pytest
from django_otp.oath import totp

from forecourt.accounts.demo import DEMO_PASSWORD, seed_accounts

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_demo_user_signs_in_and_reaches_the_dashboard(page, live_server):
    seed_accounts()
    page.goto(f"{live_server.url}/")
    page.get_by_label("Email").fill("sales.manager@demo.forecourt.test")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # MFA is enforced outside development: enrol an authenticator (computing its code here).
    page.wait_for_url(f"{live_server.url}/security/mfa/setup/**")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code from the app").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    assert page.get_by_role("heading", name="Your recovery codes").is_visible()
    page.get_by_role("button", name="I have saved them, continue").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Good day, Sam").is_visible()
    page.locator(".admin-menu summary").click()  # administration sits under one menu
    assert page.get_by_role("link", name="Audit log").is_visible()
    assert page.get_by_role("link", name="Users").count() == 0

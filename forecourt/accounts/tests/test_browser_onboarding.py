"""End-to-end in headless Chromium: first-run setup, a second rooftop, an invitation, its
acceptance, MFA enrolment, and the new colleague at work. No password is ever handed over:
the owner's link comes from `forecourt setup`, the colleague's from the invitation email."""

from __future__ import annotations

import base64
import re
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django_otp.oath import totp
from playwright.sync_api import expect

from forecourt.accounts.models import Rooftop, User

pytestmark = [pytest.mark.browser]

OWNER_PASSWORD = "violet-kettle-harbour-93"
STAFF_PASSWORD = "amber-lantern-orchard-57"


def _local(url: str, live_server) -> str:
    parts = urlsplit(url)
    return f"{live_server.url}{parts.path}?{parts.query}"


def _join(page, live_server, link: str, email: str, password: str) -> None:
    """Open an invitation link, choose the password, sign in and enrol an authenticator."""
    page.goto(_local(link, live_server))
    page.wait_for_url(re.compile(r"/accounts/invitation/accept/$"))  # the token left the URL
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password again").fill(password)
    page.get_by_role("button", name="Set password").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/security/mfa/setup/"))
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")  # as a person types it
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.locator("input[name=code]").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    page.get_by_role("button", name="I have saved them, continue").click()


@pytest.mark.django_db(transaction=True)
def test_setup_rooftop_invite_accept_mfa_and_work(page, live_server, settings):
    settings.DEBUG = False
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    # First run: the operator's terminal shows the owner's one-time link.
    out = StringIO()
    call_command(
        "setup",
        "--email=owner@dealer.example",
        "--name=Olive Owner",
        "--rooftop-code=main",
        "--rooftop-name=Main Street Motors",
        "--country=US",
        "--time-zone=America/Chicago",
        "--no-input",
        stdout=out,
    )
    owner_link = re.search(r"https?://\S+\?token=\S+", out.getvalue()).group(0)
    _join(page, live_server, owner_link, "owner@dealer.example", OWNER_PASSWORD)
    expect(page.get_by_text("Good day, Olive")).to_be_visible()

    # The owner adds a second rooftop (just signed in: sudo mode is fresh).
    page.goto(f"{live_server.url}/accounts/rooftops/new/")
    page.get_by_label("Code").fill("leeds")
    page.get_by_label("Name").fill("Leeds Motors")
    page.get_by_label("Country").select_option("GB")
    page.get_by_label("Currency").select_option("GBP")
    page.get_by_label("Locale").fill("en-GB")
    page.get_by_label("Time zone").fill("Europe/London")
    page.get_by_role("button", name="Create rooftop").click()
    page.wait_for_url(re.compile(r"/accounts/rooftops/\d+/$"))
    leeds = Rooftop.objects.get(code="leeds")
    assert (leeds.currency, leeds.time_zone) == ("GBP", "Europe/London")

    # ...and invites a salesperson there.
    page.goto(f"{live_server.url}/accounts/users/invite/")
    page.get_by_label("Email").fill("sam@dealer.example")
    page.get_by_label("Full name").fill("Sam Seller")
    page.get_by_label("Salesperson", exact=True).check()
    page.get_by_label("Leeds Motors").check()
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_url(re.compile(r"/accounts/users/$"))
    expect(page.locator("table").last).to_contain_text("sam@dealer.example")
    page.locator(".user-menu summary").click()  # sign out sits in the user's own menu
    page.get_by_role("button", name="Sign out").first.click()

    # The salesperson accepts from the email, enrols MFA and works at their rooftop.
    staff_link = re.search(r"https?://\S+\?token=\S+", mail.outbox[-1].body).group(0)
    _join(page, live_server, staff_link, "sam@dealer.example", STAFF_PASSWORD)
    expect(page.get_by_text("Good day, Sam")).to_be_visible()
    page.goto(f"{live_server.url}/accounts/rooftops/")
    expect(page.locator("table")).to_contain_text("Leeds Motors")
    expect(page.locator("table")).not_to_contain_text("Main Street Motors")
    sam = User.objects.get(email="sam@dealer.example")
    assert sam.check_password(STAFF_PASSWORD)
    assert errors == []

"""End-to-end in Chromium with a virtual authenticator: register a passkey, sign out,
sign in with the password and pass the second step with the passkey."""

import pytest
from django_otp.oath import totp
from django_otp_webauthn.models import WebAuthnCredential

from forecourt.core.security.testing import confirmed_totp_device
from forecourt.core.testing import TEST_PASSWORD

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_register_a_passkey_then_sign_in_with_it(page, live_server, settings, make_user):
    # WebAuthn needs a secure context and a domain: http://localhost is both.
    base = live_server.url.replace("127.0.0.1", "localhost")
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [base]
    user = make_user(full_name="Pat Passkey")
    device = confirmed_totp_device(user)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )

    def sign_in_with_password() -> None:
        page.goto(f"{base}/")
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{base}/security/mfa/verify/**")

    sign_in_with_password()
    page.get_by_label("Code").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/security/mfa/")
    page.get_by_role("button", name="Add a passkey").click()
    # The page reloads once the passkey is saved: the table then lists it.
    page.get_by_text("No passkeys yet.").wait_for(state="detached")
    assert WebAuthnCredential.objects.filter(user=user, confirmed=True).count() == 1

    page.locator(".user-menu summary").click()  # sign out sits in the user's own menu
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{base}/accounts/login/**")
    sign_in_with_password()
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url(f"{base}/")
    assert page.get_by_role("heading", name="Good day, Pat").is_visible()
    assert WebAuthnCredential.objects.get(user=user).last_used_at is not None
    assert not errors, f"browser console errors (CSP?): {errors}"

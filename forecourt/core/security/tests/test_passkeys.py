"""Passkeys (django-otp-webauthn): who may start which ceremony, sudo mode, removal."""

import json
import time

import pytest
from django.test import Client
from django_otp_webauthn.models import WebAuthnCredential

from forecourt.core.models import AuditEntry
from forecourt.core.security import actions, mfa
from forecourt.core.security.models import UserSession
from forecourt.core.security.sessions import RECENT_AUTH_AT
from forecourt.core.security.testing import confirmed_totp_device

pytestmark = pytest.mark.django_db

REGISTER_BEGIN = "/security/mfa/passkeys/register/begin/"
REGISTER_COMPLETE = "/security/mfa/passkeys/register/complete/"
VERIFY_BEGIN = "/security/mfa/passkeys/verify/begin/"


def passkey_for(user, name="Laptop"):
    return WebAuthnCredential.objects.create(
        user=user,
        name=name,
        credential_id=f"{user.pk}-{name}".encode(),
        public_key=b"not-a-real-key",
        confirmed=True,
    )


def without_sudo(client):
    session = client.session
    session[RECENT_AUTH_AT] = time.time() - 11 * 60
    session.save()
    return client


def password_only(user):
    """Signed in with the password, second factor not yet given."""
    client = Client()
    client.force_login(user)
    return client


def test_registration_starts_for_a_verified_user_in_sudo_mode(client_for, salesperson):
    response = client_for(salesperson).post(REGISTER_BEGIN)
    assert response.status_code == 200
    options = response.json()
    assert options["rp"] == {"id": "localhost", "name": "Forecourt"}
    assert options["user"]["name"] == salesperson.email


def test_registration_needs_sudo_mode(client_for, salesperson):
    client = without_sudo(client_for(salesperson))
    response = client.post(REGISTER_BEGIN)
    assert response.status_code == 403
    assert response.json()["code"] == "reauth_required"
    assert "otp_webauthn_register_state" not in client.session


def test_registration_needs_the_existing_factor_first(salesperson):
    confirmed_totp_device(salesperson)
    client = password_only(salesperson)
    response = client.post(REGISTER_BEGIN)
    assert response.status_code == 302
    assert response["Location"].startswith("/security/mfa/verify/")
    assert "otp_webauthn_register_state" not in client.session


def test_a_forged_registration_is_refused_and_saves_nothing(client_for, salesperson):
    client = client_for(salesperson)
    assert client.post(REGISTER_BEGIN).status_code == 200
    forged = {"id": "AAAA", "rawId": "AAAA", "type": "public-key", "response": {}}
    response = client.post(REGISTER_COMPLETE, json.dumps(forged), content_type="application/json")
    assert 400 <= response.status_code < 500
    assert not WebAuthnCredential.objects.filter(user=salesperson).exists()
    # The challenge was used up: replaying the completion finds no ceremony.
    again = client.post(REGISTER_COMPLETE, json.dumps(forged), content_type="application/json")
    assert again.json()["code"] == "invalid_state"


def test_verification_starts_for_a_password_only_session(salesperson):
    passkey = passkey_for(salesperson)
    response = password_only(salesperson).post(VERIFY_BEGIN)
    assert response.status_code == 200
    options = response.json()
    assert options["rpId"] == "localhost"
    assert [c["id"] for c in options["allowCredentials"]] != []
    assert mfa.has_confirmed_device(salesperson)
    assert passkey.confirmed


def test_no_passwordless_sign_in(db):
    response = Client().post(VERIFY_BEGIN)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_verify_page_offers_a_passkey_only_to_users_with_one(salesperson):
    confirmed_totp_device(salesperson)
    page = password_only(salesperson).get("/security/mfa/verify/").content.decode()
    assert "passkey-verification-button" not in page
    passkey_for(salesperson)
    page = password_only(salesperson).get("/security/mfa/verify/").content.decode()
    assert "passkey-verification-button" in page
    assert 'id="otp_webauthn_config" type="application/json"' in page
    assert "<script>" not in page  # configuration is data, code comes from static files


def test_removing_a_passkey_needs_sudo(client_for, salesperson):
    passkey = passkey_for(salesperson)
    client = without_sudo(client_for(salesperson))
    response = client.post(f"/security/mfa/passkeys/{passkey.pk}/remove/")
    assert response["Location"].startswith("/security/reauth/")
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()


def test_removing_a_passkey_is_audited_and_ends_other_sessions(client_for, salesperson):
    passkey = passkey_for(salesperson)
    here, elsewhere = client_for(salesperson), client_for(salesperson)
    response = here.post(f"/security/mfa/passkeys/{passkey.pk}/remove/")
    assert response["Location"] == "/security/mfa/"
    assert not WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    assert AuditEntry.objects.filter(action="security.remove_passkey").count() == 1
    assert UserSession.objects.filter(user=salesperson).count() == 1
    assert elsewhere.get("/").status_code == 302
    assert mfa.has_confirmed_device(salesperson)  # the authenticator app remains


def test_another_users_passkey_cannot_be_removed(client_for, salesperson, owner):
    theirs = passkey_for(owner)
    response = client_for(salesperson).post(f"/security/mfa/passkeys/{theirs.pk}/remove/")
    assert response.status_code == 404
    assert WebAuthnCredential.objects.filter(pk=theirs.pk).exists()


def test_admin_mfa_reset_removes_passkeys(owner, salesperson):
    passkey_for(salesperson)
    actions.reset_mfa(owner, salesperson)
    assert not WebAuthnCredential.objects.filter(user=salesperson).exists()


def test_the_devices_page_lists_passkeys_and_the_register_button(client_for, salesperson):
    passkey_for(salesperson, name="Work laptop")
    page = client_for(salesperson).get("/security/mfa/").content.decode()
    assert "Work laptop" in page
    assert "passkey-register-button" in page
    assert "otp_webauthn_register.js" in page

"""Sudo mode: a recent password or MFA check before changing tokens, users, MFA, passwords."""

import time

import pytest
from django.test import Client

from forecourt.accounts.models import ApiToken
from forecourt.core.security.sessions import RECENT_AUTH_AT
from forecourt.core.security.testing import pass_mfa
from forecourt.core.testing import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def stale_sudo(client):
    session = client.session
    session[RECENT_AUTH_AT] = time.time() - 11 * 60
    session.save()
    return client


@pytest.fixture
def verified_without_sudo(db):
    def make(user):
        client = Client()
        client.force_login(user)
        pass_mfa(client, user)
        return stale_sudo(client)

    return make


@pytest.mark.parametrize(
    "path",
    ["/accounts/tokens/new/", "/accounts/users/invite/", "/security/password/"],
)
def test_sensitive_pages_ask_to_confirm_first(verified_without_sudo, owner, path):
    response = verified_without_sudo(owner).get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/security/reauth/?next=")


def test_confirming_with_the_password_opens_sudo_mode_and_returns(verified_without_sudo, owner):
    client = verified_without_sudo(owner)
    wrong = client.post(
        "/security/reauth/", {"password": "not-it", "next": "/accounts/tokens/new/"}
    )
    assert "did not match" in wrong.content.decode()
    key_before = client.session.session_key
    ok = client.post(
        "/security/reauth/", {"password": TEST_PASSWORD, "next": "/accounts/tokens/new/"}
    )
    assert ok["Location"] == "/accounts/tokens/new/"
    assert client.session.session_key != key_before  # a privilege change rotates the key
    assert client.get("/accounts/tokens/new/").status_code == 200


def test_token_revoke_without_sudo_changes_nothing(
    verified_without_sudo, owner, salesperson, token_for
):
    token_for(salesperson)
    token = ApiToken.objects.get()
    response = verified_without_sudo(owner).post(
        f"/accounts/tokens/{token.pk}/revoke/", HTTP_REFERER="http://testserver/accounts/tokens/"
    )
    assert response["Location"].startswith("/security/reauth/?next=")
    assert "%2Faccounts%2Ftokens%2F" in response["Location"]
    token.refresh_from_db()
    assert token.revoked_at is None


def test_session_api_token_management_needs_sudo(
    verified_without_sudo, owner, salesperson, client_for
):
    payload = {"user_id": salesperson.pk, "name": "x", "scopes": ["read"]}
    stale = verified_without_sudo(owner)
    response = stale.post("/api/v1/tokens", payload, content_type="application/json")
    assert response.status_code == 403
    assert "Confirm your password" in response.json()["error"]["message"]
    assert not ApiToken.objects.exists()
    fresh = client_for(owner)
    assert fresh.post("/api/v1/tokens", payload, content_type="application/json").status_code == 201


def test_mfa_changes_need_sudo(verified_without_sudo, salesperson):
    client = verified_without_sudo(salesperson)
    response = client.post(
        "/security/mfa/recovery-codes/", HTTP_REFERER="http://testserver/security/mfa/"
    )
    assert response["Location"].startswith("/security/reauth/")

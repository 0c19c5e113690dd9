"""Sudo mode: a recent password or MFA check before changing tokens, users, MFA, passwords."""

import time

import pytest
from django.test import Client
from django.utils import timezone

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


def _confirm(client, password, ip):
    return client.post(
        "/security/reauth/", {"password": password, "next": "/accounts/tokens/"}, REMOTE_ADDR=ip
    )


def test_wrong_passwords_on_the_sudo_page_count_like_sign_in_attempts(
    verified_without_sudo, owner, settings
):
    """Finding 5: 12 wrong passwords from 12 addresses were all answered 200."""
    from forecourt.core.security.models import AccountLockout

    settings.FORECOURT_LOGIN_ACCOUNT_THROTTLE_AFTER = 20  # above the 12: each one is checked
    client = verified_without_sudo(owner)
    answers = [
        _confirm(client, "not-the-password", f"192.0.2.{n + 1}").status_code for n in range(12)
    ]
    assert answers == [200] * 12  # no wait reached yet...
    assert AccountLockout.objects.get(username=owner.email).consecutive_failures == 12
    # ...but each counted, and the account's slow-down answers the next attempt (the wait
    # is pinned to a long one from now: no test depends on how fast requests run).
    AccountLockout.objects.filter(username=owner.email).update(
        consecutive_failures=26, last_failure_at=timezone.now()
    )
    assert _confirm(client, "not-the-password", "192.0.2.40").status_code == 429
    # During the wait even the right password does not confirm (this session proves nothing).
    assert _confirm(client, TEST_PASSWORD, "192.0.2.50").status_code == 429
    assert client.get("/accounts/tokens/new/").status_code == 302


def test_the_sudo_page_shares_the_per_address_limit(verified_without_sudo, owner):
    client = verified_without_sudo(owner)
    answers = [_confirm(client, "not-the-password", "198.51.100.3").status_code for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]

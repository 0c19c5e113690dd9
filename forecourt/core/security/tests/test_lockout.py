"""Sign-in lockout: (account, IP) cool-off, the per-IP limit, the account ceiling, unlock."""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client, override_settings
from django.utils import timezone

from forecourt.core.models import AuditEntry
from forecourt.core.security.actions import unlock_account
from forecourt.core.security.models import AccountLockout
from forecourt.core.testing import TEST_PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "wrong-password-123"


def sign_in(email, password, ip="198.51.100.7", **headers):
    return Client().post(
        "/accounts/login/", {"username": email, "password": password}, REMOTE_ADDR=ip, **headers
    )


def is_signed_in(response):
    return response.status_code == 302 and not response["Location"].startswith("/accounts/login")


def test_five_failures_from_one_address_lock_that_pair_for_the_cool_off(salesperson, caplog):
    for _ in range(4):
        assert sign_in(salesperson.email, WRONG).status_code == 200
    with caplog.at_level(logging.WARNING, logger="forecourt.security"):
        assert sign_in(salesperson.email, WRONG).status_code == 429
    assert any(getattr(r, "event", "") == "login_locked_out" for r in caplog.records)
    locked = sign_in(salesperson.email, TEST_PASSWORD)
    assert locked.status_code == 429, "the right password does not help during the cool-off"
    assert "Sign-in paused" in locked.content.decode()
    # Another address still gets in: guessing a victim's email can't lock them out everywhere.
    assert is_signed_in(sign_in(salesperson.email, TEST_PASSWORD, ip="203.0.113.50"))
    # After the 15-minute cool-off the first address may try again.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert is_signed_in(sign_in(salesperson.email, TEST_PASSWORD))


def test_a_forged_forwarded_for_does_not_give_fresh_addresses(salesperson):
    with override_settings(FORECOURT_TRUSTED_PROXY_HOPS=1):
        for n in range(5):
            # The client writes any left part; the trusted proxy appends the real address.
            sign_in(
                salesperson.email,
                WRONG,
                ip="10.0.0.2",
                HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.9",
            )
        refused = sign_in(
            salesperson.email,
            TEST_PASSWORD,
            ip="10.0.0.2",
            HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.9",
        )
        assert refused.status_code == 429
        assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}


@override_settings(FORECOURT_LOGIN_IP_FAILURE_LIMIT=8)
def test_password_spraying_from_one_address_is_refused(make_user):
    victims = [make_user() for _ in range(8)]
    for victim in victims:
        assert sign_in(victim.email, WRONG, ip="198.51.100.99").status_code in {200, 429}
    fresh = make_user()
    assert sign_in(fresh.email, TEST_PASSWORD, ip="198.51.100.99").status_code == 429
    assert is_signed_in(sign_in(fresh.email, TEST_PASSWORD, ip="198.51.100.100"))


def test_the_account_ceiling_locks_everywhere_until_an_admin_unlocks(salesperson, owner, caplog):
    # 100 consecutive failures, five from each of twenty addresses (each pair then cools off).
    with caplog.at_level(logging.WARNING, logger="forecourt.security"):
        for n in range(100):
            sign_in(salesperson.email, WRONG, ip=f"192.0.2.{n // 5 + 1}")
    row = AccountLockout.objects.get(username=salesperson.email)
    assert row.consecutive_failures == 100
    assert row.locked_at is not None
    assert [r for r in caplog.records if getattr(r, "event", "") == "login_account_locked"]
    # A brand-new address with the right password is refused too, and nothing is counted.
    assert sign_in(salesperson.email, TEST_PASSWORD, ip="203.0.113.77").status_code == 429
    assert AccountLockout.objects.get(username=salesperson.email).consecutive_failures == 100
    # No cool-off ends it: only an admin.
    AccessAttempt.objects.all().delete()
    assert sign_in(salesperson.email, TEST_PASSWORD, ip="203.0.113.78").status_code == 429
    unlock_account(owner, salesperson)
    assert AuditEntry.objects.filter(action="security.unlock_account").exists()
    assert is_signed_in(sign_in(salesperson.email, TEST_PASSWORD, ip="203.0.113.78"))


def test_below_the_ceiling_a_success_resets_the_consecutive_count(salesperson):
    for n in range(3):
        sign_in(salesperson.email, WRONG, ip=f"192.0.2.{n + 1}")
    assert AccountLockout.objects.get(username=salesperson.email).consecutive_failures == 3
    assert is_signed_in(sign_in(salesperson.email, TEST_PASSWORD, ip="192.0.2.200"))
    assert AccountLockout.objects.get(username=salesperson.email).consecutive_failures == 0


def test_email_case_does_not_split_the_count(salesperson):
    for _ in range(5):
        sign_in(salesperson.email.upper(), WRONG)
    assert sign_in(salesperson.email, TEST_PASSWORD).status_code == 429


def test_the_unlock_button_needs_the_permission_and_recent_auth(client_for, owner, salesperson):
    AccountLockout.objects.create(username=salesperson.email, locked_at=timezone.now())
    page = client_for(owner).get("/security/access-review/").content.decode()
    assert f"/security/users/{salesperson.pk}/unlock/" in page
    assert (
        client_for(salesperson).post(f"/security/users/{salesperson.pk}/unlock/").status_code == 403
    )
    response = client_for(owner).post(f"/security/users/{salesperson.pk}/unlock/")
    assert response.status_code == 302
    assert not AccountLockout.objects.filter(username=salesperson.email).exists()

"""Sign-in limits: (account, IP) cool-off, the per-IP limit, the account's slow-down (never a
lock a stranger can cause), known devices, the password-and-code path, unlock."""

import io
import logging
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import CommandError, call_command
from django.db.models import F
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from forecourt.core.models import AuditEntry
from forecourt.core.security import lockout
from forecourt.core.security.actions import unlock_account
from forecourt.core.security.models import AccountLockout
from forecourt.core.security.testing import confirmed_totp_device
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


def _code(device):
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    generator.time = time.time()
    return f"{generator.token():06d}"


def _attack(email, failures=105, addresses=21):
    """The assessment's attack: wrong passwords spread over many addresses. Most meet the
    slow-down and are refused unchecked; the account is then put at the capped wait, dated
    now, so no test depends on how long the attack took."""
    for n in range(failures):
        sign_in(email, WRONG, ip=f"192.0.2.{n % addresses + 1}")
    AccountLockout.objects.filter(username=email).update(
        last_failure_at=timezone.now(), consecutive_failures=F("consecutive_failures") + 20
    )


def test_a_stranger_cannot_lock_the_owner_out(owner, caplog):
    """Finding 1: 105 wrong passwords from 21 addresses locked any account until an admin
    unlocked it. Now they slow unknown devices down; the owner still gets in."""
    known = Client()
    first = known.post(
        "/accounts/login/", {"username": owner.email, "password": TEST_PASSWORD},
        REMOTE_ADDR="203.0.113.5",
    )  # fmt: skip
    assert is_signed_in(first)
    assert lockout.KNOWN_DEVICE_COOKIE in first.cookies
    known.post("/accounts/logout/")
    with caplog.at_level(logging.WARNING, logger="forecourt.security"):
        _attack(owner.email)
    assert [r for r in caplog.records if getattr(r, "event", "") == "login_account_throttled"]
    # The owner's own browser: the right password works at once.
    again = known.post(
        "/accounts/login/", {"username": owner.email, "password": TEST_PASSWORD},
        REMOTE_ADDR="203.0.113.5",
    )  # fmt: skip
    assert is_signed_in(again)


def test_an_unknown_device_waits_a_bounded_time_then_gets_in(salesperson):
    _attack(salesperson.email)
    # Attempts refused during a wait are not checked, counted, or extend the wait.
    counted = AccountLockout.objects.get(username=salesperson.email)
    assert counted.consecutive_failures < 105 + 20
    paused = sign_in(salesperson.email, TEST_PASSWORD, ip="203.0.113.77")
    assert paused.status_code == 429
    assert 0 < int(paused["Retry-After"]) <= 901
    assert "Sign-in paused" in paused.content.decode()
    row = AccountLockout.objects.get(username=salesperson.email)
    assert (row.consecutive_failures, row.last_failure_at) == (
        counted.consecutive_failures,
        counted.last_failure_at,
    )
    # No lock that only an admin lifts: once the wait is over, the right password works.
    AccountLockout.objects.update(last_failure_at=timezone.now() - timedelta(minutes=16))
    assert is_signed_in(sign_in(salesperson.email, TEST_PASSWORD, ip="203.0.113.77"))
    assert AccountLockout.objects.get(username=salesperson.email).consecutive_failures == 0


def test_password_and_code_together_pass_from_any_device(salesperson):
    device = confirmed_totp_device(salesperson)
    _attack(salesperson.email, failures=30, addresses=6)
    client = Client()
    wrong_code = client.post(
        "/accounts/login/",
        {"username": salesperson.email, "password": TEST_PASSWORD, "code": "000000"},
        REMOTE_ADDR="203.0.113.80",
    )
    wrong_password = client.post(
        "/accounts/login/",
        {"username": salesperson.email, "password": WRONG, "code": _code(device)},
        REMOTE_ADDR="203.0.113.80",
    )
    # Neither tells whether the password was right: both are the pause page.
    assert wrong_code.status_code == wrong_password.status_code == 429
    for answer in (wrong_code, wrong_password):
        assert "Sign-in paused" in answer.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, last_t=-1)
    device.refresh_from_db()
    both = client.post(
        "/accounts/login/",
        {"username": salesperson.email, "password": TEST_PASSWORD, "code": _code(device)},
        REMOTE_ADDR="203.0.113.80",
    )
    assert is_signed_in(both)
    assert client.get("/").status_code == 200  # the code was the second factor: no MFA page


def test_the_delay_doubles_from_one_second_to_the_cap(settings):
    settings.FORECOURT_LOGIN_ACCOUNT_THROTTLE_AFTER = 10
    settings.FORECOURT_LOGIN_ACCOUNT_THROTTLE_MAX_SECONDS = 900
    delays = [lockout.throttle_delay(n).total_seconds() for n in (9, 10, 11, 12, 19, 20, 500)]
    assert delays == [0, 1, 2, 4, 512, 900, 900]


def test_forecourt_unlock_user_clears_every_limit(salesperson):
    _attack(salesperson.email, failures=20, addresses=4)
    assert AccessAttempt.objects.exists()
    output = io.StringIO()
    call_command("unlock_user", salesperson.email.upper(), stdout=output)
    assert "sign-in limits cleared" in output.getvalue()
    assert not AccountLockout.objects.filter(username=salesperson.email).exists()
    assert not AccessAttempt.objects.filter(username=salesperson.email).exists()
    entry = AuditEntry.objects.get(action="security.unlock_account")
    assert entry.actor is None
    assert is_signed_in(sign_in(salesperson.email, TEST_PASSWORD, ip="192.0.2.1"))
    with pytest.raises(CommandError, match="No user"):
        call_command("unlock_user", "nobody@example.com")


def test_the_admin_unlock_clears_the_slow_down(salesperson, owner):
    _attack(salesperson.email, failures=20, addresses=4)
    unlock_account(owner, salesperson)
    assert AuditEntry.objects.filter(action="security.unlock_account", actor=owner).exists()
    assert is_signed_in(sign_in(salesperson.email, TEST_PASSWORD, ip="203.0.113.78"))


def test_a_success_resets_the_consecutive_count(salesperson):
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
    AccountLockout.objects.create(
        username=salesperson.email, consecutive_failures=50, last_failure_at=timezone.now()
    )
    page = client_for(owner).get("/security/access-review/").content.decode()
    assert f"/security/users/{salesperson.pk}/unlock/" in page
    assert (
        client_for(salesperson).post(f"/security/users/{salesperson.pk}/unlock/").status_code == 403
    )
    response = client_for(owner).post(f"/security/users/{salesperson.pk}/unlock/")
    assert response.status_code == 302
    assert not AccountLockout.objects.filter(username=salesperson.email).exists()
